"""A new sender's first message costs the others nothing: what the core read of every other
sender stays read, what a new sender changes about themselves shows at once, and many new
senders at once are written together, each a person with one account."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.messages import Incoming
from bot.core.newcomers import Newcomers
from storage import people
from storage.models import Account, Person, Role
from storage.people import Newcomer
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


async def test_many_newcomers_at_once_are_each_answered_and_each_a_person(plenary):
    core = Core(plenary.sessions, FixedClock(DEMO_NOW))
    users = [str(9100 + n) for n in range(30)]
    questions = {"en": ("/next", "Next meeting"), "fr": ("/next", "Prochaine réunion")}
    languages = ["en" if n % 2 else "fr" for n in range(30)]
    replies = await asyncio.gather(
        *(
            core.answer(
                Incoming("telegram", user, questions[lang][0], language=lang, direct_chat_id=user)
            )
            for user, lang in zip(users, languages, strict=True)
        )
    )
    for reply, lang in zip(replies, languages, strict=True):
        assert reply.text.startswith(questions[lang][1]), reply.text
    async with plenary.sessions() as session:
        rows = (
            await session.execute(
                select(Account.external_id, Account.language, Account.chat_id, Person.role)
                .join(Person, Person.id == Account.person_id)
                .where(Account.external_id.in_(users))
            )
        ).all()
    assert sorted(rows) == sorted(
        (user, lang, user, Role.DELEGATE) for user, lang in zip(users, languages, strict=True)
    )


async def test_a_newcomer_made_meanwhile_elsewhere_costs_the_others_nothing(plenary):
    async with plenary.sessions() as session:  # as another process would, just before
        await people.create_account(session, "telegram", "9201", "Delegate", DEMO_NOW)
        await session.commit()
    newcomers = Newcomers(plenary.sessions, lambda: DEMO_NOW)
    made = await asyncio.gather(
        *(
            newcomers.create(Newcomer("telegram", user, "Delegate", user, True, "en"))
            for user in ("9200", "9201", "9202")
        ),
        return_exceptions=True,
    )
    assert isinstance(made[1], IntegrityError)
    async with plenary.sessions() as session:
        found = {
            user: await people.find_person(session, "telegram", user)
            for user in ("9200", "9201", "9202")
        }
    assert [found["9200"].id, found["9202"].id] == [made[0], made[2]]
    assert found["9201"] is not None
