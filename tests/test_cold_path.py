"""A new sender's first message costs the others nothing: what the core read of every other
sender stays read, and what a new sender changes about themselves shows at once."""

from __future__ import annotations

from sqlalchemy import event

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.messages import Incoming
from testkit.demo import DEMO_NOW
from tests.test_faults import HeldTime

SQLITE_ONLY = True  # the core's caches; the storage tests cover PostgreSQL


class SenderReads:
    """Counts the queries that read who sent a message (persons joined to accounts)."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement: str, *_args) -> None:
        if "FROM persons JOIN accounts" in statement:
            self.count += 1


async def test_a_new_sender_leaves_every_other_senders_settings_read(plenary):
    core = Core(plenary.sessions, FixedClock(DEMO_NOW), monotonic=HeldTime())
    reads = SenderReads(plenary.engine)

    async def ask(user: str, text: str) -> str:
        return (await core.answer(Incoming("telegram", user, text, chat_id=user))).text

    await ask("901", "/language fr")
    before = reads.count
    assert (await ask("901", "/next")).startswith("Prochaine réunion")
    assert reads.count == before + 1  # read once after their own change...
    for newcomer in ("902", "903", "904"):
        assert (await ask(newcomer, "/next")).startswith("Next meeting")
    before = reads.count
    assert (await ask("901", "/next")).startswith("Prochaine réunion")
    assert reads.count == before, "newcomers made the core read a known sender again"


async def test_a_new_senders_own_change_shows_in_their_next_answer(plenary):
    core = Core(plenary.sessions, FixedClock(DEMO_NOW), monotonic=HeldTime())

    async def ask(text: str) -> str:
        return (await core.answer(Incoming("telegram", "905", text, chat_id="905"))).text

    assert (await ask("/next")).startswith("Next meeting")
    await ask("/language es")
    assert (await ask("/next")).startswith("Próxima reunión")
