"""The world the understanding corpus is asked in, and the scoring of one answer."""

from __future__ import annotations

import gettext
import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR
from bot.core.messages import Incoming, Reply
from storage import DATA_DIR, people, positions, roles, subscriptions
from storage.database import create_engine, session_factory
from storage.member_states import reference_states
from storage.models import Delegation, KeyIssue, Role
from storage.state_names import codes
from testkit.demo import migrated_demo

CORPUS_DIR = Path(__file__).parent / "corpus"
NOW = datetime.fromisoformat("2016-02-01T09:00:00-05:00")
CHAIR = "corpus-chair"  # one a language: a person keeps the language they first wrote in
ANNOUNCEMENT = (
    "Reminder: the IGN meets on Wednesday 3 February at 10:00 in the Trusteeship Council Chamber."
)
G4_CATEGORIES_V2 = (
    "Expansion in both the permanent and the non-permanent categories; text-based negotiations."
)
SPEAKERS = """1. Sierra Leone (on behalf of the African Group)
2. Italy (on behalf of Uniting for Consensus) 5 min
3. Brazil
4. India
5. Japan"""  # the list of speakers of the meeting of 3 February
PARTS = ("tuning", "heldout")
PLATFORM = "telegram"


@dataclass(frozen=True)
class Question:
    language: str
    capability: str
    text: str
    expected: tuple[str, ...]
    role: str = "delegate"
    first: str | None = None
    line: int = 0


def load(part: str) -> list[Question]:
    """The questions of one part of the corpus ("tuning" or "heldout")."""
    found = []
    lines = (CORPUS_DIR / f"{part}.tsv").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        language, capability, text, expected, *options = line.split("\t")
        settings = dict(option.split("=", 1) for option in options)
        found.append(
            Question(
                language,
                capability,
                text,
                tuple(e.strip() for e in expected.split(" | ")),
                settings.get("role", "delegate"),
                settings.get("first"),
                number,
            )
        )
    return found


def _said(user: str, text: str, language: str = "en") -> Incoming:
    """A private message on Telegram (a platform Plenary can write back to)."""
    return Incoming(
        PLATFORM,
        user,
        text,
        display_name=user,
        chat_id=user,
        language=language,
        direct_chat_id=user,
    )


def digest(part: str) -> str:
    return hashlib.sha256((CORPUS_DIR / f"{part}.tsv").read_bytes()).hexdigest()


def _day(value: str, language: str) -> str:
    day = date.fromisoformat(value)
    if language == "en":
        return format_date(day, "d MMMM", locale="en")
    if language == "fr" and day.day == 1:
        return "1er " + format_date(day, "MMMM", locale="fr")
    return format_skeleton("MMMMd", day, locale=language)


def _group_names() -> dict[str, dict[str, str]]:
    with (DATA_DIR / "group_names.toml").open("rb") as file:
        return {key: spec["name"] for key, spec in tomllib.load(file).items()}


def _issue(key: str, language: str, issues: dict[str, str]) -> str:
    return _catalog(language).gettext(issues[key])


def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


@dataclass
class World:
    """The corpus world: a Core on the demo database with the additions the README lists."""

    core: Core
    engine: AsyncEngine
    issues: dict[str, str]  # key -> English name
    states: dict[str, str]  # ISO code -> UN short name
    people_asked: int = 0
    groups: dict[str, dict[str, str]] = field(default_factory=_group_names)

    async def close(self) -> None:
        await self.engine.dispose()

    def expand(self, expectation: str, language: str) -> str:
        if not (expectation.startswith("{") and expectation.endswith("}")):
            return expectation
        kind, _, value = expectation[1:-1].partition(":")
        if kind == "day":
            return _day(value, language)
        if kind == "month":
            return format_skeleton("yMMMM", date.fromisoformat(value + "-01"), locale=language)
        if kind == "state":
            return self.states[value] if language == "en" else Locale(language).territories[value]
        if kind == "group":
            return self.groups[value][language]
        if kind == "issue":
            return _issue(value, language, self.issues)
        if kind == "msg":
            return _catalog(language).gettext(value)
        raise ValueError(f"unknown expectation {expectation}")

    async def ask(self, question: Question) -> Outcome:
        self.people_asked += 1
        user = (
            f"{CHAIR}-{question.language}"
            if question.role == "chair"
            else f"asker-{self.people_asked}"
        )
        if question.first:
            await self.core.answer(_said(user, question.first, question.language))
        reply = await self.core.answer(_said(user, question.text, question.language))
        missing = [e for e in question.expected if not await self._holds(e, question, user, reply)]
        return Outcome(question, reply, tuple(missing))

    async def _holds(self, expectation: str, question: Question, user: str, reply: Reply) -> bool:
        text = reply.text.replace("\u2068", "").replace("\u2069", "")
        language = question.language
        if expectation.startswith("@"):
            return await self._state_holds(expectation[1:], user, reply)
        if expectation == "{not-understood}":
            sorry = _catalog(language).gettext("Sorry, I didn't understand that.")
            maybe = _catalog(language).gettext("Did you mean: {names}?").split("{")[0]
            return sorry in text and maybe not in text
        if expectation.startswith("!"):
            return self.expand(expectation[1:], language) not in text
        return self.expand(expectation, language) in text

    async def _state_holds(self, expectation: str, user: str, reply: Reply) -> bool:
        what, _, value = expectation.partition("=")
        if what == "file":
            return any(a.filename == value for a in reply.attachments)
        async with self.core.sessions() as session:
            person = await people.find_person(session, PLATFORM, user)
            if person is None:
                return what == "sub" and value == "none"
            if what == "sub":
                return await _follows(session, person.id) == value
            if what == "lead":
                return (person.lead_times or []) == [int(value)]
            if what == "zone":
                return person.timezone == value
            if what == "lang":
                return person.language == value
        raise ValueError(f"unknown expectation @{expectation}")


async def _follows(session: AsyncSession, person_id: int) -> str:
    followed = await subscriptions.of_person(session, person_id)
    if not followed:
        return "none"
    if any(s.key_issue_id is None for s in followed):
        return "all"
    keys = [
        await session.scalar(select(KeyIssue.key).where(KeyIssue.id == s.key_issue_id))
        for s in followed
    ]
    return ",".join(sorted(k for k in keys if k))


@dataclass(frozen=True)
class Outcome:
    question: Question
    reply: Reply
    missing: tuple[str, ...]

    @property
    def right(self) -> bool:
        return not self.missing


async def build_world(url: str) -> World:
    """The demo database at `url` with the corpus world's additions, and a Core on it."""
    await migrated_demo(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    core = Core(sessions, FixedClock(NOW))
    async with sessions() as session:
        by_key = {d.key: d for d in await session.scalars(select(Delegation))}
        issues = {i.key: i for i in await session.scalars(select(KeyIssue))}
        await positions.add_version(
            session,
            by_key["g4"].id,
            issues["categories"].id,
            G4_CATEGORIES_V2,
            date(2016, 1, 20),
            ["de_g4_2014"],
            None,
            NOW - timedelta(days=12),
        )
        chairs = {
            language: await roles.invite(session, Role.CHAIR, None, NOW, timedelta(days=1))
            for language in LANGUAGES
        }
        focal = await roles.invite(
            session, Role.FOCAL_POINT, by_key["brazil"].id, NOW, timedelta(days=1)
        )
        await session.commit()
    core.invalidate()
    for language, code in chairs.items():
        await core.answer(_said(f"{CHAIR}-{language}", f"/register {code}", language))
    await core.answer(_said("brazil-fp", f"/register {focal}"))
    for user, what in (("sub-1", ""), ("sub-2", ""), ("sub-3", " veto")):
        await core.answer(_said(user, f"/subscribe{what}"))
    draft = await core.answer(_said(f"{CHAIR}-en", f"/announce {ANNOUNCEMENT}"))
    confirm = next(
        b.command for row in draft.buttons for b in row if b.command.startswith("/confirm ")
    )
    await core.answer(_said(f"{CHAIR}-en", confirm))
    preview = await core.answer(_said(f"{CHAIR}-en", f"/speakers ign70-1 paste\n{SPEAKERS}"))
    confirm = next(b.command for row in preview.buttons for b in row if b.label == "Confirm")
    await core.answer(_said(f"{CHAIR}-en", confirm))
    names = reference_states()
    states = {code: names[key].name for key, code in codes().items()}
    return World(core, engine, {k: i.name for k, i in issues.items()}, states)


async def evaluate(world: World, questions: list[Question]) -> list[Outcome]:
    """Every question's outcome; the Chair's office's first, before the delegates' questions
    change who follows what."""
    ordered = sorted(questions, key=lambda q: q.role != "chair")
    return [await world.ask(question) for question in ordered]
