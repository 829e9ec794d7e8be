"""The reply cache never serves one person's answer to another, nor an answer that changed
anything: every registered command is asked by one person, then by another alike in all the
cache knows (role, language, zone), and the second answer must be the one they get uncached."""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.commands import COMMANDS
from bot.core.messages import Incoming
from bot.render.plain import render_plain
from storage.database import create_engine, session_factory
from storage.models import Role
from testkit.demo import DEMO_NOW
from tests.test_roles import invitation

SQLITE_ONLY = True  # copies the database file between the two askers

# What each command is asked, as someone would send it; {code} is an unused invitation.
ASKED = {
    "addmeeting": "/addmeeting 7 March 2016 10:00; Conference Room 4; veto",
    "admit": "/admit 1",
    "announce": "/announce The informal meeting moves to Conference Room 1.",
    "announcements": "/announcements",
    "audit": "/audit",
    "calendar": "/calendar",
    "cancelmeeting": "/cancelmeeting ign70-4",
    "compare": "/compare Brazil and Italy on veto",
    "confirm": "/confirm AAAAAAAAAAAA",
    "correct": "/correct 1 The informal meeting moves to Conference Room 2.",
    "cover": "/cover ign70-1 yes",
    "coverage": "/coverage",
    "decline": "/decline 1",
    "delegation": "/delegation Brazil",
    "deliveries": "/deliveries 1",
    "digest": "/digest daily 08:00",
    "discard": "/discard AAAAAAAAAAAA",
    "document": "/document",
    "documents": "/documents",
    "element": "/element size further Enlargement to a total of 25 seats",
    "editmeeting": "/editmeeting ign70-2 room Conference Room 1",
    "focalpoints": "/focalpoints",
    "follow": "/follow Brazil",
    "following": "/following",
    "forget": "/forget",
    "group": "/group G4",
    "groups": "/groups",
    "help": "/help",
    "history": "/history Brazil veto",
    "ics": "/ics ign70-1",
    "invite": "/invite focal-point Brazil",
    "issue": "/issue veto",
    "issues": "/issues",
    "language": "/language",
    "letter": "/letter The next meeting is on 7 March 2016 at 10 a.m. on the veto.",
    "link": "/link",
    "map": "/map veto",
    "meeting": "/meeting ign70-1",
    "meetings": "/meetings",
    "members": "/members Brazil",
    "next": "/next",
    "position": "/position Brazil veto",
    "positions": "/positions veto",
    "postpone": "/postpone ign70-3",
    "quiet": "/quiet 22:00-07:00",
    "floor": "/floor Brazil",
    "speak": "/speak ign70-1",
    "speakers": "/speakers ign70-1",
    "register": "/register {code}",
    "remind": "/remind 2h",
    "reminders": "/reminders",
    "remindme": "/remindme 1h veto",
    "roles": "/roles",
    "search": "/search veto",
    "settings": "/settings",
    "snooze": "/snooze ign70-1 15 60",
    "stance": "/stance ufc size-1 opposes",
    "start": "/start {code}",
    "stop": "/stop",
    "submit": "/submit veto Our delegation supports the text.",
    "submitted": "/submitted veto",
    "subscribe": "/subscribe",
    "subscribers": "/subscribers",
    "time": "/time Geneva",
    "timezone": "/timezone Europe/Paris",
    "unfollow": "/unfollow",
    "unsubscribe": "/unsubscribe",
}
# Who asks: pairs alike in role, language and zone; the first has a history of their own.
PAIRS = {
    "delegates": (None, None),
    "focal points": ("Brazil", "Italy"),
    "chairs": ("", ""),
}
RANDOM = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}|/calendar/[\w-]+\.ics|(?<=/confirm |/discard )[\w-]+")


def test_every_command_is_asked():
    assert set(ASKED) == set(COMMANDS)


class Copy:
    """A core on its own copy of a database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = create_engine(f"sqlite:///{path}")
        self.sessions = session_factory(self.engine)
        self.clock = FixedClock(DEMO_NOW)
        self.core = Core(self.sessions, self.clock)

    async def ask(self, user: str, text: str) -> str:
        reply = await self.core.answer(Incoming("console", user, text, chat_id=user))
        return RANDOM.sub("…", render_plain(reply))

    def digest(self) -> str:
        """What the database holds (committed), whatever the files' layout."""
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()

    def copy_to(self, path: Path) -> Copy:
        """A consistent copy of what is committed (the journal is a write-ahead log)."""
        with (
            contextlib.closing(sqlite3.connect(self.path)) as source,
            contextlib.closing(sqlite3.connect(path)) as target,
        ):
            source.backup(target)
        return Copy(path)


async def prepared(path: Path, pair: str) -> Copy:
    """A database where the first of the pair has subscriptions, follows, lead times, a
    calendar and a linking code, and both hold the pair's role."""
    first = Copy(path)
    for text in ("/subscribe veto", "/follow Brazil", "/remind 3h", "/calendar", "/link"):
        await first.ask("first", text)
    roles = PAIRS[pair]
    if roles[0] is not None:
        role = Role.CHAIR if roles[0] == "" else Role.FOCAL_POINT
        for user, delegation in zip(("first", "second"), roles, strict=True):
            code = await invitation(first, role, delegation or None)
            await first.ask(user, f"/register {code}")
    return first


@pytest.mark.parametrize("pair", list(PAIRS))
async def test_no_cached_answer_reaches_another_person(plenary, demo_url, tmp_path, pair):
    template = Path(demo_url.removeprefix("sqlite:///"))
    await plenary.engine.dispose()
    role = {"delegates": Role.DELEGATE, "focal points": Role.FOCAL_POINT, "chairs": Role.CHAIR}
    wrong = []
    for name, asked in sorted(ASKED.items()):
        if role[pair] not in COMMANDS[name].roles:
            continue
        for leftover in tmp_path.glob("start.db*"):
            leftover.unlink()
        shutil.copy(template, tmp_path / "start.db")
        shared = await prepared(tmp_path / "start.db", pair)
        text = asked.format(code=await invitation(shared, Role.FOCAL_POINT, "Brazil"))
        before = shared.digest()
        await shared.ask("first", text)
        cached = len(shared.core.replies._replies)
        if shared.digest() != before and cached:
            wrong.append(f"{name}: an answer that changed the database was cached")
        (tmp_path / "alone.db").unlink(missing_ok=True)
        alone = shared.copy_to(tmp_path / "alone.db")
        try:
            expected = await alone.ask("second", text)
            got = await shared.ask("second", text)
        finally:
            await alone.engine.dispose()
            await shared.engine.dispose()
        if got != expected:
            wrong.append(f"{name}: the second asker got\n{got}\ninstead of\n{expected}")
    assert not wrong, "\n\n".join(wrong)
