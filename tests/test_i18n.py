"""Translations: complete and current catalogs for the six languages, and the same short
dialogue in each of them."""

from __future__ import annotations

import gettext
import re
import tomllib
from functools import cache
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

import handlers  # noqa: F401 - registers every command
from bot.core.commands import COMMANDS
from bot.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, RIGHT_TO_LEFT
from bot.core.issue_names import KEY_ISSUE_DESCRIPTIONS, KEY_ISSUES
from bot.core.messages import Incoming, Reply
from bot.render.slack import render_messages as slack_messages
from bot.render.telegram import render_messages as telegram_messages
from storage.models import Person
from testkit.fakes.telegram_api import private_message
from testkit.slack_blocks import check_blocks
from testkit.telegram_html import check_message
from tests.test_telegram import converse

SQLITE_ONLY = True  # nothing here depends on the database engine
ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}  # as `make catalogs`
TRANSLATED = sorted(set(LANGUAGES) - {"en"})
FSI, PDI = "\u2068", "\u2069"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FIX = "run `make catalogs` and translate what it added"


@cache
def template() -> Catalog:
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as file:
        return read_po(file)


@cache
def catalog(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as file:
        return read_po(file, locale=language)


def forms(message: Message) -> list[tuple[str, str]]:
    """(source, translation) for the singular and each plural form."""
    if not isinstance(message.id, tuple):
        return [(message.id, message.string)]
    singular, plural = message.id
    return [(singular if i == 0 else plural, s) for i, s in enumerate(message.string)]


def plain(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    """A message id or string with its plural forms as a tuple (.mo files give lists)."""
    return value if isinstance(value, str) else tuple(value)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def single_number_forms(language: str) -> set[int]:
    """The plural forms used for exactly one number (Arabic's zero, one and two): like CLDR's
    own patterns ("يوم", "يومان"), these may say the number in words instead of {count}."""
    plural = gettext.c2py(catalog(language).plural_expr)
    uses: dict[int, int] = {}
    for n in range(10_000):
        uses[plural(n)] = uses.get(plural(n), 0) + 1
    return {form for form, count in uses.items() if count == 1}


def test_the_template_holds_every_message_of_the_code():
    """A message added or changed in the code without `make catalogs` fails here."""
    with open(ROOT / "babel.cfg") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
    }
    known = {m.id for m in template() if m.id}
    assert found - known == set(), FIX
    assert known - found == set(), FIX


def test_command_help_texts_and_key_issue_names_are_in_the_template():
    known = {m.id for m in template() if m.id}
    assert {c.summary for c in COMMANDS.values() if c.summary} <= known
    assert known >= KEY_ISSUES | KEY_ISSUE_DESCRIPTIONS


def test_the_demo_key_issues_are_the_ones_translated():
    with open(ROOT / "storage" / "demo" / "ign70.toml", "rb") as file:
        issues = tomllib.load(file)["key_issues"]
    assert {issue["name"] for issue in issues} == KEY_ISSUES
    assert {issue["description"] for issue in issues} == KEY_ISSUE_DESCRIPTIONS


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language):
    translations = catalog(language)
    assert not translations.fuzzy, "the catalog is marked fuzzy: it would not be compiled"
    assert translations.num_plurals == Catalog(locale=language).num_plurals
    for message in template():
        if not message.id:
            continue
        translated = translations.get(message.id)
        assert translated is not None, f"{message.id!r} is missing: {FIX}"
        assert not translated.fuzzy, f"{message.id!r} is fuzzy: check its translation"
        strings = translated.string if translated.pluralizable else (translated.string,)
        assert len(strings) == (translations.num_plurals if translated.pluralizable else 1)
        assert all(strings), f"{message.id!r} has an empty translation"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_edge_spaces_are_kept(language):
    may_name_the_number = single_number_forms(language)
    for message in catalog(language):
        if not message.id or not message.string:
            continue
        for form, (source, translation) in enumerate(forms(message)):
            expected, got = fields(source), fields(translation)
            if message.pluralizable and form in may_name_the_number:
                expected -= {"count"} - got
            assert got == expected, f"{language} {message.id!r} form {form}: {got} != {expected}"
            edges = (source[:1].isspace(), source[-1:].isspace())
            if language == "zh" and translation.endswith("："):
                edges = (edges[0], False)  # a full-width colon brings its own space
            assert (translation[:1].isspace(), translation[-1:].isspace()) == edges, (
                f"{language} {message.id!r}: spaces at the edges differ"
            )


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogs_are_current(language):
    """The .mo files are committed: each must hold exactly its .po's translations."""
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as file:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(file) if m.id}
    source = {m.id: plain(m.string) for m in catalog(language) if m.id and not m.fuzzy}
    assert compiled == source, f"{language}: the .mo is stale: run `make catalogs`"


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_right_to_left_catalogs_isolate_left_to_right_runs(language):
    """Placeholders and /commands sit in first-strong isolates (U+2068…U+2069), so that a
    Latin name or a command keeps its order inside Arabic text."""
    for message in catalog(language):
        if not message.id:
            continue
        for _, translation in forms(message):
            depth, inside = 0, []
            for char in translation:
                depth += (char == FSI) - (char == PDI)
                assert depth >= 0, f"{translation!r}: unbalanced isolates"
                inside.append(depth > 0)
            assert depth == 0, f"{translation!r}: unbalanced isolates"
            for run in re.finditer(r"\{\w+\}|(?<![\w/])/[a-z]+", translation):
                assert inside[run.start()], f"{run.group()} not isolated in {translation!r}"


# -- the same dialogue in each language -----------------------------------------------------
# (what is said, a phrase the answer must hold) for each language.
DIALOGUE = {
    "en": [
        ("/next", "Next meeting: "),
        ("/next", "Wednesday 3 February 2016, 10:00 New York time"),
        ("/issues", "the question of the veto"),
        ("/issues", "retained, restricted, abolished, or extended"),
        ("/help", "When and where the next meeting is"),
        (
            "when is the next meeting?",
            "the relationship between the Council and the General Assembly",
        ),
    ],
    "fr": [
        ("/next", "Prochaine réunion\u00a0: "),
        ("/next", "mercredi 3 février 2016 à 10:00, heure de New York"),
        ("/issues", "la question du veto"),
        ("/issues", "maintenu, restreint, aboli ou étendu"),
        ("/help", "Quand et où se tient la prochaine réunion"),
        ("when is the next meeting?", "les relations entre le Conseil et l'Assemblée générale"),
    ],
    "es": [
        ("/next", "Próxima reunión: "),
        ("/next", "miércoles, 3 de febrero de 2016, a las 10:00, hora de Nueva York"),
        ("/issues", "la cuestión del veto"),
        ("/issues", "mantenerse, restringirse, abolirse"),
        ("/help", "Cuándo y dónde es la próxima reunión"),
        ("when is the next meeting?", "la relación entre el Consejo y la Asamblea General"),
    ],
    "ru": [
        ("/next", "Следующее заседание: "),
        ("/next", "среда, 3 февраля 2016\u202fг., 10:00, Нью-Йорк"),
        ("/issues", "вопрос о праве вето"),
        ("/issues", "сохранить, ограничить или отменить право вето"),
        ("/help", "Когда и где состоится следующее заседание"),
        ("when is the next meeting?", "взаимоотношения между Советом и Генеральной Ассамблеей"),
    ],
    "zh": [
        ("/next", "下次会议："),
        ("/next", "2016年2月3日星期三 纽约时间 10:00"),
        ("/issues", "否决权问题"),
        ("/issues", "否决权应予保留、限制、废除"),
        ("/help", "下次会议的时间和地点"),
        ("when is the next meeting?", "安理会与大会的关系"),
    ],
    "ar": [
        ("/next", "الاجتماع القادم: "),
        ("/next", "الأربعاء، 3 فبراير 2016"),
        ("/issues", "مسألة حق النقض"),
        ("/issues", "الإبقاء على حق النقض"),
        ("/help", "موعد الاجتماع القادم ومكانه"),
        ("when is the next meeting?", "العلاقة بين المجلس والجمعية العامة"),
    ],
}


async def ask(plenary, text: str, language: str | None, user: str = "501") -> Reply:
    return await plenary.core.answer(Incoming("telegram", user, text, language=language))


def check_platforms(reply: Reply) -> None:
    """The reply renders as valid Telegram HTML and Slack blocks, with no bidirectional
    control character inside markup (a tag, or a link's address)."""
    for html in telegram_messages(reply):
        check_message(html)
        assert not any(BIDI_CONTROLS.search(tag) for tag in re.findall(r"<[^>]*>", html))
    payloads = {b.command: b.command for row in reply.buttons for b in row}
    for message in slack_messages(reply, payloads):
        check_blocks(message.blocks)
        for block in message.blocks:
            text = (block.get("text") or {}).get("text", "")
            assert not any(BIDI_CONTROLS.search(url) for url in re.findall(r"<([^|>]*)", text))


@pytest.mark.parametrize("language", sorted(DIALOGUE))
async def test_the_same_dialogue_in_each_language(plenary, language):
    for said, phrase in DIALOGUE[language]:
        reply = await ask(plenary, said, language)
        assert phrase in reply.text.replace(FSI, "").replace(PDI, ""), (
            f"{language} {said!r}: {phrase!r} missing from:\n{reply.text}"
        )
        check_platforms(reply)


async def test_a_new_french_speaking_user_is_answered_in_french(plenary):
    """Telegram's language_code (and Slack's locale) reach Incoming.language."""
    reply = await ask(plenary, "/start", "fr-FR")
    assert "Bienvenue dans Plenary" in reply.text
    assert [b.label for b in reply.buttons[0]] == [
        "Prochaine réunion",
        "Questions clefs",
        "Réglages",
    ]


async def test_language_is_chosen_and_remembered(plenary):
    shown = await ask(plenary, "/language", "en")
    assert "Language: English" in shown.text
    assert [b.command for row in shown.buttons for b in row] == [
        f"/language {code}" for code in LANGUAGES
    ]
    assert "Désormais" in (await ask(plenary, "/language Français", "en")).text
    assert "Prochaine réunion" in (await ask(plenary, "/next", "en")).text
    assert "Langue\u00a0: Français" in (await ask(plenary, "/settings", "es")).text
    assert "Español" in (await ask(plenary, "/language es", "en")).text
    assert "Próxima reunión" in (await ask(plenary, "/next", "fr")).text


async def test_an_unknown_language_changes_nothing(plenary):
    reply = await ask(plenary, "/language xx", "en")
    assert "“xx” is not one of my languages" in reply.text
    for code, name in LANGUAGES.items():
        assert f"{name} ({code})" in reply.text
    assert len([b for row in reply.buttons for b in row]) == len(LANGUAGES)
    async with plenary.sessions() as session:
        assert await session.scalar(select(Person.language)) is None
    await ask(plenary, "/language ru", "en")
    assert "Русский" in (await ask(plenary, "/language klingon", "en")).text
    assert "Следующее заседание" in (await ask(plenary, "/next", "en")).text


@pytest.mark.parametrize("language", TRANSLATED)
async def test_arabic_and_every_language_render_on_both_platforms(plenary, language):
    """Replies with placeholders, buttons, bold and italic spans, in every language."""
    for said in ("/meetings", "/meeting ign70-1", "/positions veto", "/nxt", "/language xx"):
        check_platforms(await ask(plenary, said, language))


async def test_a_telegram_user_gets_the_language_of_their_app(fake_telegram, telegram):
    """The real python-telegram-bot: `language_code` chooses the answer's language."""
    answer = await converse(fake_telegram, private_message("/next", language="fr"))
    assert "Prochaine réunion" in answer and "mercredi 3 février 2016" in answer


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("quand est la prochaine réunion ?", "fr", "3 février 2016"),
        ("¿cuándo es la próxima reunión?", "es", "3 de febrero de 2016"),
        ("когда следующее заседание?", "ru", "3 февраля 2016"),
        ("下次会议是什么时候？", "zh", "2016年2月3日"),
        ("متى الاجتماع القادم؟", "ar", "الاجتماع القادم"),
        ("quelles sont les questions clés ?", "fr", "la question du veto"),
        ("¿cuál es la posición del G4 sobre el veto?", "es", "la cuestión del veto"),
    ],
)
async def test_plain_questions_in_other_languages(plenary, question, language, expected):
    reply = await plenary.core.answer(Incoming("console", "u", question, language=language))
    assert expected in reply.text, reply.text


async def test_dates_in_french_and_spanish(plenary):
    french = await plenary.core.answer(
        Incoming("console", "u", "/meetings 22 février", language="fr")
    )
    spanish = await plenary.core.answer(
        Incoming("console", "u", "/meetings 22 de febrero", language="es")
    )
    # the day's meetings, not the upcoming ones (which list 22 February too)
    assert "22 février 2016" in french.text.splitlines()[0], french.text
    assert "22 de febrero de 2016" in spanish.text.splitlines()[0], spanish.text
