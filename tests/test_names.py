"""Names: aliases, typos and the words people put around them."""

import tomllib

import pytest

from bot.core.issue_names import KEY_ISSUES, WORDS_FILE
from bot.core.messages import Incoming
from bot.core.names import NameIndex
from storage.directory import DelegationName, Names
from storage.member_states import reference_states
from storage.models import DelegationKind
from storage.state_names import codes, common_names
from tests.test_i18n import FSI, PDI


def index(*delegations: tuple[str, tuple[str, ...]]) -> NameIndex:
    names = tuple(
        DelegationName(n, f"d{n}", name, DelegationKind.MEMBER_STATE, aliases, None)
        for n, (name, aliases) in enumerate(delegations)
    )
    return NameIndex(Names(issues=(), delegations=names, members={}))


def test_short_aliases_that_look_like_words_are_found():
    names = index(("United States of America", ("US", "USA")), ("India", ()))
    assert [d[0].name for d in names.mentions("what does the US say?").delegations] == [
        "United States of America"
    ]


def test_a_name_matching_a_longer_name_is_not_a_mention():
    names = index(("Niger", ()), ("Nigeria", ()))
    assert [d[0].name for d in names.mentions("Nigeria on the veto").delegations] == ["Nigeria"]


def test_a_short_name_is_matched_exactly_not_inside_a_longer_word():
    names = index(("India", ("Inde",)), ("Togo", ("Того",)))
    assert names.mentions("the index of the letters").delegations == ()
    assert names.mentions("а что насчёт этого?").delegations == ()
    found = names.mentions("la position de l'Inde et du Того").delegations
    assert [d[0].name for d in found] == ["India", "Togo"]


def test_every_member_state_has_its_names_in_the_six_languages():
    members = {key for key, spec in reference_states().items() if spec.kind == "member_state"}
    assert set(codes()) == members and len(members) == 193
    assert len(set(codes().values())) == 193, "no two States under one code"
    brazil = common_names()["Brazil"]
    assert {"Brazil", "Brésil", "Brasil", "Бразилия", "巴西", "البرازيل"} <= set(brazil)


@pytest.mark.parametrize(
    ("language", "asked", "found"),
    [
        ("fr", "/position Brésil", "Brésil"),
        ("es", "/position Alemania", "Alemania"),
        ("ru", "/position Япония", "Япония"),
        ("zh", "/position 印度", "印度：没有本国立场记录"),
        ("ar", "/position البرازيل", "البرازيل"),
        ("fr", "quelle est la position de la Russie sur le veto ?", "Russie"),
        ("zh", "巴西 对否决权的立场是什么？", "巴西：没有关于否决权问题的立场记录"),
        ("zh", "Brazil对否决权的立场", "巴西：没有关于否决权问题的立场记录"),
        ("zh", "发展中国家对否决权的立场", "关于否决权问题的立场"),  # "developing countries"
        ("ru", "кроме того, позиция по вето", "Позиции: вопрос о праве вето"),  # not Togo
        ("ar", "ما موقف البرازيل من حق النقض؟", "البرازيل"),
        ("ar", "ما موقف البرازيل من حق النقض؟", "مسألة حق النقض"),
        ("ru", "позиции по вопросу о вето", "Позиции: вопрос о праве вето"),
        ("zh", "/positions 否决权", "关于否决权问题的立场"),
        ("es", "posiciones sobre los puestos permanentes", "Posiciones: categorías de miembros"),
        ("fr", "positions sur les sièges permanents", "Positions\u00a0: catégories de membres"),
    ],
)
async def test_states_and_key_issues_are_found_by_the_names_people_use_in_their_language(
    plenary, language, asked, found
):
    reply = await plenary.core.answer(Incoming("console", "u1", asked, language=language))
    assert not reply.not_found, reply.text  # not "I know no State called …, did you mean"
    assert found in reply.text.replace(FSI, "").replace(PDI, ""), reply.text


def test_the_key_issue_words_are_the_five_in_the_five_other_languages():
    with WORDS_FILE.open("rb") as file:
        words = tomllib.load(file)
    assert set(words) == KEY_ISSUES
    assert all(
        set(in_languages) == {"ar", "zh", "fr", "ru", "es"} for in_languages in words.values()
    )
