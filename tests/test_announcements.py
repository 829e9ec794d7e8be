"""Announcements: preview, confirmation, audiences, scheduling, corrections, delivery reports,
and a broadcast that survives a crash."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.answering import Core
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from storage import announcements, outbox
from storage.models import Account, Announcement, AuditEntry, Delivery, DeliveryStatus, Role
from storage.outbox import LEASE
from testkit.bulk import add_people
from tests.recorder import Recorder
from tests.test_roles import invitation

CHAIR = "sylvie"
T = TypeVar("T")


async def make_chair(plenary) -> None:
    code = await invitation(plenary, Role.CHAIR)
    assert "Chair's office" in await chair_says(plenary, f"/register {code}")


async def make_focal_point(plenary, user: str, delegation: str) -> None:
    code = await invitation(plenary, Role.FOCAL_POINT, delegation)
    assert "focal point" in await says(plenary, user, f"/register {code}")


async def count(plenary, model, *where) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def people(plenary, number: int, platform: str = "console") -> list[str]:
    async with plenary.sessions() as session:
        ids = await add_people(session, number, plenary.clock.now(), platform)
        await session.commit()
    return [str(i) for i in ids]


async def says(plenary, user: str, text: str) -> str:
    """The answer to one message, sent with its line breaks (as a chat app sends it)."""
    incoming = Incoming("console", user, text, chat_id=user, direct_chat_id=user)
    return (await plenary.core.answer(incoming)).text


async def chair_says(plenary, text: str) -> str:
    return await says(plenary, CHAIR, text)


async def test_preview_then_confirm_then_a_report(plenary, dispatcher, recorder):
    await make_chair(plenary)
    readers = await people(plenary, 3)
    preview = await chair_says(
        plenary, "/announce The IGN meets on 3 February.\n\nBring the <b>framework</b> & notes."
    )
    assert "Preview of announcement #1" in preview
    assert "Bring the <b>framework</b> & notes." in preview
    assert "everyone: 4 people (Console 4)" in preview  # the chair is one of everyone
    assert await count(plenary, Delivery) == 0, "nothing is queued before Confirm"
    assert "Sending to 4 people" in await chair_says(plenary, "/announce 1 confirm")
    await dispatcher.run_until_idle()
    for reader in readers:
        (text,) = recorder.texts(reader)
        assert text.startswith("Announcement from the Chair's office\nThe IGN meets on 3 Feb")
    report = recorder.texts(CHAIR)[-1]
    assert "Delivery report: announcement #1" in report and "Console: 4 delivered" in report
    assert "already been confirmed" in await chair_says(plenary, "/announce 1 confirm")
    await dispatcher.run_until_idle()
    assert len(recorder.sent) == 5, "confirming twice sends nothing more"
    assert "The IGN meets on 3 February." in await says(plenary, readers[0], "/announcements")


@pytest.mark.parametrize("text", ["/announce 1 confirm", "/announce Hello", "/correct 1 x"])
async def test_delegates_and_focal_points_may_not_announce(plenary, text):
    await make_focal_point(plenary, "fp", "Brazil")
    for user in ("delegate", "fp"):
        assert "is not available to you" in await says(plenary, user, text)
    assert await count(plenary, Announcement) == 0
    assert await count(plenary, AuditEntry, AuditEntry.allowed.is_(False)) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/announce", "What should the announcement say?"),
        ("/announce to Atlantis: hello", "I know no audience called “Atlantis”"),
        ("/announce to G4:", "What should the announcement say?"),
        ("/announce " + "x" * 3501, "3,501 characters long; one message holds 3,500"),
    ],
)
async def test_bad_announcements_store_nothing(plenary, text, expected):
    await make_chair(plenary)
    assert expected in await chair_says(plenary, text)
    assert await count(plenary, Announcement) == 0


async def test_a_group_audience_reaches_its_members_focal_points(plenary, dispatcher, recorder):
    await make_chair(plenary)
    await make_focal_point(plenary, "brazil", "Brazil")
    await make_focal_point(plenary, "italy", "Italy")
    preview = await chair_says(plenary, "/announce to G4: The G4 meets at noon.")
    assert "G4: 1 person (Console 1)" in preview
    await chair_says(plenary, "/announce 1 confirm")
    await dispatcher.run_until_idle()
    assert recorder.texts("brazil") and not recorder.texts("italy")
    assert "The G4 meets" not in await says(plenary, "italy", "/announcements")


async def test_an_audience_of_nobody_cannot_be_confirmed(plenary):
    await make_chair(plenary)
    preview = await chair_says(plenary, "/announce to Brazil: Only for Brazil.")
    assert "This audience reaches nobody" in preview and "Confirm" not in preview
    assert "reaches nobody" in await chair_says(plenary, "/announce 1 confirm")
    assert await count(plenary, Delivery) == 0


async def test_a_scheduled_announcement_waits_and_can_be_withdrawn(plenary, dispatcher, recorder):
    await make_chair(plenary)
    await people(plenary, 2)
    await chair_says(plenary, "/announce Tomorrow's meeting is confirmed.")
    preview = await chair_says(plenary, "/announce 1 at 2016-01-16 09:00")
    assert "Sending: Saturday 16 January 2016, 09:00 New York time" in preview
    assert "Scheduled for" in await chair_says(plenary, "/announce 1 confirm")
    assert await dispatcher.run_until_idle() == 0
    plenary.clock.advance(timedelta(hours=21, minutes=1))
    assert await dispatcher.run_until_idle() == 4  # three people, then the report
    await chair_says(plenary, "/announce Second one.")
    await chair_says(plenary, "/announce 2 at 2016-01-20 09:00")
    await chair_says(plenary, "/announce 2 confirm")
    assert "Withdrawn: 3 messages were not sent." in await chair_says(plenary, "/announce 2 cancel")
    report = await chair_says(plenary, "/deliveries 2")  # issue 18, item 9: not "No deliveries."
    assert "Withdrawn. It was withdrawn before any message went out." in report
    plenary.clock.advance(timedelta(days=5))
    await dispatcher.run_until_idle()
    assert not any("Second one" in text for _, text in recorder.sent)


async def test_a_time_in_the_past_is_refused(plenary):
    await make_chair(plenary)
    await chair_says(plenary, "/announce Hello.")
    assert "is not a time to come" in await chair_says(plenary, "/announce 1 at 2015-12-01 09:00")
    assert "is not a time to come" in await chair_says(plenary, "/announce 1 at 31 February 9:00")


@pytest.mark.parametrize("edits", [True, False])
async def test_a_correction_edits_or_follows_the_sent_messages(plenary, edits):
    recorder = Recorder(edits=edits)
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await make_chair(plenary)
    (reader,) = await people(plenary, 1)
    await chair_says(plenary, "/announce The meeting is in Conference Room 4.")
    await chair_says(plenary, "/announce 1 confirm")
    await dispatcher.run_until_idle()
    preview = await chair_says(
        plenary, "/correct 1 The meeting is in the Trusteeship Council Chamber."
    )
    assert "Preview of the correction" in preview
    assert "What changed:\nConference Room 4. → the Trusteeship Council Chamber." in preview
    await dispatcher.run_until_idle()
    assert len(recorder.texts(reader)) == 1, "nothing goes out before the correction is confirmed"
    assert "2 messages already sent" in await chair_says(plenary, "/correct 1 confirm")
    await dispatcher.run_until_idle()
    if edits:
        (edit,) = [e for e in recorder.edited if e[0] == reader]
        sent_as = str(recorder.sent.index((reader, recorder.texts(reader)[0])) + 1)
        assert edit[1] == sent_as and "Trusteeship Council Chamber" in edit[2]
        assert "Conference Room 4. → the Trusteeship Council Chamber." in edit[2]
        assert len(recorder.texts(reader)) == 1
    else:
        latest = recorder.texts(reader)[-1]
        assert latest.startswith("Correction: announcement from the Chair's office")
        assert "What changed:\nConference Room 4. → the Trusteeship Council Chamber." in latest
    shown = await says(plenary, reader, "/announcements 1")
    assert "Trusteeship Council Chamber" in shown and "has been corrected" in shown


async def test_blocked_accounts_are_counted_not_retried(plenary):
    await make_chair(plenary)
    readers = await people(plenary, 4)
    recorder = Recorder(blocked={readers[0]})
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await chair_says(plenary, "/announce Hello all.")
    await chair_says(plenary, "/announce 1 confirm")
    await dispatcher.run_until_idle()
    plenary.clock.advance(timedelta(hours=1))
    await dispatcher.run_until_idle()
    assert "Console: 4 delivered, 1 blocked (account unreachable)" in recorder.texts(CHAIR)[-1]
    async with plenary.sessions() as session:
        failed = await session.scalar(
            select(Delivery).where(Delivery.status == DeliveryStatus.FAILED)
        )
    assert failed.attempts == 1 and failed.error.startswith("unreachable")


class DyingPlatform(Recorder):
    """Takes `answers` messages as a platform does; then the process sending to it dies: each
    message it sends still reaches the reader, but the platform's answer never comes back."""

    def __init__(self, answers: int) -> None:
        super().__init__()
        self.answers = answers
        self.unanswered = 0
        self.changed = asyncio.Event()

    async def deliver(self, account, reply, skip=0) -> str:
        await asyncio.sleep(0)
        message_id = await super().deliver(account, reply)
        if len(self.sent) > self.answers:
            self.unanswered += 1
            self.changed.set()
            await asyncio.Event().wait()  # never answered
        return message_id


async def test_a_broadcast_survives_a_crash_midway_resending_at_most_what_was_in_flight(plenary):
    await make_chair(plenary)
    readers = await people(plenary, 2000)
    await chair_says(plenary, "/announce To every delegation.")
    await chair_says(plenary, "/announce 1 confirm")
    first = DyingPlatform(answers=500)
    dying = Dispatcher(plenary.core, {"console": first}, concurrency=8)
    dead = asyncio.create_task(dying.run_until_idle())
    # The process dies: every send slot holds a message the platform took, unanswered.
    while first.unanswered < dying.concurrency:
        first.changed.clear()
        await first.changed.wait()
    in_flight = {who for who, _ in first.sent} - {who for who, _ in await recorded(plenary)}
    second = Recorder()
    restarted = Dispatcher(
        Core(plenary.sessions, plenary.clock),
        {"console": second},
        real_now=lambda: datetime.now(UTC) + LEASE + timedelta(seconds=1),  # its leases ran out
    )
    try:
        await restarted.run_until_idle()
    finally:
        dead.cancel()
    received = [who for who, _ in first.sent + second.sent if who != CHAIR]
    assert sorted(set(received)) == sorted(readers), "nobody is missing"
    duplicates = {who for who in received if received.count(who) > 1}
    assert duplicates == in_flight, "sent again: exactly what was in flight when it died"
    assert len(in_flight) == dying.concurrency, "in flight: at most one send a slot"
    assert "Console: 2,001 delivered" in second.texts(CHAIR)[-1]


async def recorded(plenary) -> list[tuple[str, str]]:
    """(account, message id) of the deliveries recorded as sent."""
    async with plenary.sessions() as session:
        rows = await session.execute(
            select(Account.external_id, Delivery.message_id)
            .join(Account, Account.id == Delivery.account_id)
            .where(Delivery.status == DeliveryStatus.SENT)
        )
        return [tuple(row) for row in rows]


async def settling_apart(plenary):
    """An announcement to a terminal and a Telegram reader, its rows claimed, and a way to
    settle one platform's rows in a session of its own (as that platform's dispatcher does)."""
    await make_chair(plenary)
    await people(plenary, 1, "telegram")
    await chair_says(plenary, "/announce The IGN meets on 3 February.")
    assert "Sending to 2 people" in await chair_says(plenary, "/announce 1 confirm")
    now = plenary.clock.now()
    lease = outbox.Lease("test/1", datetime.now(UTC) + LEASE)
    async with plenary.sessions() as session:
        claimed = await outbox.claim(
            session, now, lease, datetime.now(UTC), 10, ["console", "telegram"]
        )
        platforms = dict((await session.execute(select(Account.id, Account.platform))).all())
        await session.commit()

    async def settle(platform: str, session) -> int:
        mine = [d for d in claimed.rows if platforms[d.account_id] == platform]
        sent = DeliveryStatus.SENT
        rows = [{"id": d.id, "status": sent, "message_id": "1", "sent_at": now} for d in mine]
        assert await outbox.settle(session, lease.token, rows) == {d.id for d in mine}
        return await announcements.report_finished(session, {1}, now)

    return settle


async def test_platforms_finishing_at_once_still_get_their_report(plenary, backend):
    """Each platform settles its rows in a transaction of its own: the last one to commit
    must see the others' outcomes, or neither sends the delivery report."""
    settle = await settling_apart(plenary)
    async with plenary.sessions() as console, plenary.sessions() as telegram:
        assert await settle("console", console) == 0, "Telegram's row is not settled yet"
        if backend == "sqlite":  # one writer at a time: Telegram's settles after
            await console.commit()
            assert await settle("telegram", telegram) == 1
        else:
            async with blocked_behind(console, telegram, settle("telegram", telegram)) as last:
                await console.commit()  # both transactions were open at once
                assert await last == 1
        await telegram.commit()
    assert await count(plenary, Delivery, Delivery.kind == "report") == 1


@pytest.mark.postgres_only
async def test_a_failure_while_a_settlement_waits_leaves_no_session_in_use(plenary):
    """A test failing while a task waits on one of its sessions closes them only once that
    task is over: closed under it, one was "another operation is in progress", and its
    connection, left to the garbage collector, an error logged in a later test."""
    settle = await settling_apart(plenary)
    with pytest.raises(AssertionError, match="failed while Telegram's settlement waits"):
        async with plenary.sessions() as console, plenary.sessions() as telegram:
            await settle("console", console)
            async with blocked_behind(console, telegram, settle("telegram", telegram)):
                raise AssertionError("failed while Telegram's settlement waits")
    assert await count(plenary, Delivery, Delivery.status == DeliveryStatus.SENT) == 0


@contextlib.asynccontextmanager
async def blocked_behind(
    holder: AsyncSession, waiter: AsyncSession, work: Coroutine[Any, Any, T]
) -> AsyncIterator[asyncio.Task[T]]:
    """`work` on the session `waiter`, run as a task, entered once it waits for a lock the
    session `holder` holds: asked of PostgreSQL about those two backends, with no deadline
    that a loaded machine could miss. On the way out the task is over (cancelled if need
    be): no session is closed under it."""
    waiting, holding = [
        await session.scalar(text("SELECT pg_backend_pid()")) for session in (waiter, holder)
    ]
    blockers = text("SELECT pg_blocking_pids(:pid)")
    task = asyncio.create_task(work)
    try:
        async with holder.bind.connect() as observer:
            while holding not in await observer.scalar(blockers, {"pid": waiting}):
                assert not task.done(), f"it never waited for the lock: {task.result()!r}"
                await observer.rollback()
                await asyncio.sleep(0.01)  # polling: PostgreSQL tells nobody of a lock wait
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_only_the_author_confirms_an_announcement_and_once(plenary, dispatcher, recorder):
    await make_chair(plenary)
    code = await invitation(plenary, Role.CHAIR)
    assert "Chair's office" in await says(plenary, "deputy", f"/register {code}")
    await people(plenary, 2)
    incoming = Incoming("console", CHAIR, "/announce Agenda attached.", chat_id=CHAIR)
    preview = await plenary.core.answer(incoming)
    (confirm,) = [b.command for row in preview.buttons for b in row if b.label == "Confirm"]
    refused = await says(plenary, "deputy", confirm)
    assert "belongs to someone else" in refused and "Nothing was done." in refused
    assert "No preview of announcement #1 is waiting" in await says(
        plenary, "deputy", "/announce 1 confirm"
    )
    assert await count(plenary, Delivery) == 0
    assert "Sending to 4 people" in await chair_says(plenary, confirm)
    assert "confirmed already" in await chair_says(plenary, confirm)
    await dispatcher.run_until_idle()
    assert await count(plenary, Delivery, Delivery.kind == "announcement") == 4
    assert await count(plenary, AuditEntry, AuditEntry.allowed.is_(False)) == 1


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("/announce to: empty", "To whom? Name the audience before the colon"),
        ("/announce to Atlantis: Hello", "I know no audience called “Atlantis”"),
        ("/announce to G4:", "What should the announcement say?"),
    ],
)
async def test_an_audience_that_is_not_one_stores_nothing(plenary, said, expected):
    await make_chair(plenary)
    assert expected in await chair_says(plenary, said)
    assert await count(plenary, Announcement) == 0


async def test_a_shared_name_asks_which_and_the_choice_carries_the_text(plenary):
    await make_chair(plenary)
    incoming = Incoming("console", CHAIR, "/announce to Congo: Visa office hours.", chat_id=CHAIR)
    asked = await plenary.core.answer(incoming)
    assert "Which one do you mean?" in asked.text
    choices = {b.label: b.command for row in asked.buttons for b in row}
    assert set(choices) == {"Congo", "Democratic Republic of the Congo"}
    assert await count(plenary, Announcement) == 0
    preview = await chair_says(plenary, choices["Democratic Republic of the Congo"])
    assert "Audience: Democratic Republic of the Congo: 0 people" in preview
    assert "Visa office hours." in preview


async def test_a_confirmed_delegate_of_a_g4_state_gets_a_g4_announcement(plenary):
    await make_chair(plenary)
    await make_focal_point(plenary, "brazil-fp", "Brazil")
    assert "once its focal point" in await says(plenary, "ana", "/delegation Brazil")
    before = await chair_says(plenary, "/announce to G4: Coordination meeting.")
    assert "G4: 1 person" in before, "the focal point only, until the claim is confirmed"
    members = await plenary.core.answer(
        Incoming("console", "brazil-fp", "/members", chat_id="brazil-fp")
    )
    (admit,) = [b.command for row in members.buttons for b in row if b.label.startswith("Confirm")]
    assert "is not available to you" in await says(plenary, "ana", admit), "not by oneself"
    assert "G4: 1 person" in await chair_says(plenary, "/announce to G4: Coordination meeting.")
    assert "Confirmed: " in await says(plenary, "brazil-fp", admit)
    assert "You belong to Brazil." in await says(plenary, "ana", "/delegation")
    after = await chair_says(plenary, "/announce to G4: Coordination meeting.")
    assert "G4: 2 people" in after
