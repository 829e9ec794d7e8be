"""Delivery under faults: a send outliving its lease, a claim taken over, a row that cannot be
rendered, a correction racing a send, rows given up, and retention."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.metrics import REGISTRY
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.results import backoff
from bot.runtime.scheduler import Scheduler
from storage import outbox
from storage.models import (
    Account,
    ButtonCommand,
    Delivery,
    DeliveryStatus,
    OneTimeCode,
    ProcessedUpdate,
)
from storage.outbox import LEASE, MAX_ATTEMPTS
from storage.retention import Retention
from tests.recorder import Recorder
from tests.test_announcements import CHAIR, chair_says, make_chair, people


class Held(Recorder):
    """A platform that holds the messages to `held` (everyone's if None) until `release`."""

    def __init__(self, held: set[str] | None = None) -> None:
        super().__init__()
        self.held = held
        self.arrived = asyncio.Event()  # a held message is being sent
        self.release = asyncio.Event()

    async def deliver(self, account, reply, skip=0) -> str:
        if self.held is None or account.external_id in self.held:
            self.arrived.set()
            await self.release.wait()
        await super().deliver(account, reply)
        return f"held-{len(self.sent)}"


async def announce(plenary, text: str) -> None:
    await chair_says(plenary, f"/announce {text}")
    assert "Sending to" in await chair_says(plenary, "/announce 1 confirm")


async def row_of(plenary, reader: str) -> Delivery:
    async with plenary.sessions() as session:
        return await session.scalar(
            select(Delivery).where(
                Delivery.kind == "announcement",
                Delivery.account_id.in_(select_account(reader)),
            )
        )


def select_account(external_id: str):
    return select(Account.id).where(Account.external_id == external_id)


async def until(condition, timeout: float = 20) -> None:
    """Waits for `condition()` (a coroutine function) to hold."""
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.02)


async def test_a_send_that_outlives_its_lease_is_never_taken_over(plenary):
    (reader,) = await people(plenary, 1)
    await make_chair(plenary)
    await announce(plenary, "The IGN meets on 3 February.")
    slow = Held({reader})
    lease = timedelta(seconds=1.5)
    sending = asyncio.create_task(
        Dispatcher(plenary.core, {"console": slow}, lease=lease).run_until_idle()
    )
    await slow.arrived.wait()
    first_end = (await row_of(plenary, reader)).claimed_until

    async def renewed_well_past_its_first_end() -> bool:
        return (await row_of(plenary, reader)).claimed_until > first_end + 2 * lease

    await until(renewed_well_past_its_first_end)  # the send has outlived two leases
    other = Recorder()
    assert await Dispatcher(plenary.core, {"console": other}).run_until_idle() == 0
    slow.release.set()
    await sending
    assert other.sent == [] and [who for who, _ in slow.sent].count(reader) == 1
    assert (await row_of(plenary, reader)).status == DeliveryStatus.SENT


async def test_only_the_holder_of_a_claim_settles_its_rows(plenary, caplog):
    (reader,) = await people(plenary, 1)
    await make_chair(plenary)
    await announce(plenary, "The IGN meets on 3 February.")
    frozen = Held({reader})
    sending = asyncio.create_task(Dispatcher(plenary.core, {"console": frozen}).run_until_idle())
    await frozen.arrived.wait()
    # The first process froze past its lease: another takes the row over and sends it.
    later = lambda: datetime.now(UTC) + LEASE + timedelta(seconds=1)  # noqa: E731
    other = Recorder()
    await Dispatcher(plenary.core, {"console": other}, real_now=later).run_until_idle()
    assert other.texts(reader)
    frozen.release.set()  # the first one wakes up and records what it thought it did
    with caplog.at_level(logging.WARNING):
        await sending
    row = await row_of(plenary, reader)
    assert (row.status, row.message_id) == (DeliveryStatus.SENT, "1"), "the holder's outcome"
    assert row.claim_token is None
    assert "another claim holds them" in caplog.text


@pytest.mark.logs_errors(r"rendering delivery announcement:1:\d+ failed")
async def test_a_row_that_cannot_be_rendered_is_retried_then_given_up_and_holds_no_other(
    plenary, monkeypatch
):
    await make_chair(plenary)
    readers = await people(plenary, 4)
    broken = readers[1]
    notice = plenary.core.notice

    async def failing_for_one(session, delivery, account, person, subject):
        if account.external_id == broken and delivery.kind == "announcement":
            raise ValueError("a bug that shows with this row only")
        return await notice(session, delivery, account, person, subject)

    monkeypatch.setattr(plenary.core, "notice", failing_for_one)
    await announce(plenary, "The IGN meets on 3 February.")
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await dispatcher.run_until_idle()
    received = {who for who, _ in recorder.sent}
    assert received == {*readers, CHAIR} - {broken}, "the others went on"
    row = await row_of(plenary, broken)
    assert (row.status, row.attempts, row.error) == (
        DeliveryStatus.PENDING,
        1,
        "rendering failed: ValueError",
    )
    assert row.due_at == plenary.clock.now() + backoff(1)
    given_up_before = REGISTRY.get_sample_value("plenary_deliveries_given_up_total")
    for attempt in range(1, MAX_ATTEMPTS):
        plenary.clock.advance(backoff(attempt))
        assert await dispatcher.run_until_idle() >= 1
    row = await row_of(plenary, broken)
    assert row.status == DeliveryStatus.FAILED
    assert row.error == f"gave up after {MAX_ATTEMPTS} attempts: rendering failed: ValueError"
    assert REGISTRY.get_sample_value("plenary_deliveries_given_up_total") == given_up_before + 1
    assert "Console: 4 delivered, 1 failed" in recorder.texts(CHAIR)[-1]


async def test_rows_that_crash_their_process_or_fail_for_a_day_are_given_up(plenary):
    await make_chair(plenary)
    readers = await people(plenary, 3)
    await announce(plenary, "The IGN meets on 3 February.")
    now = plenary.clock.now()
    async with plenary.sessions() as session:
        ids = {r: (await row_of(plenary, r)).id for r in readers}
        # Claimed again and again by processes that died before recording anything:
        await session.execute(
            update(Delivery).where(Delivery.id == ids[readers[0]]).values(attempts=MAX_ATTEMPTS)
        )
        # First tried more than a day ago, retried since:
        first_tried = now - outbox.GIVE_UP_AFTER - timedelta(minutes=1)
        await session.execute(
            update(Delivery)
            .where(Delivery.id == ids[readers[1]])
            .values(attempts=3, first_tried_at=first_tried)
        )
        await session.commit()
    recorder = Recorder()
    await Dispatcher(plenary.core, {"console": recorder}).run_until_idle()
    assert {who for who, _ in recorder.sent} == {readers[2], CHAIR}
    errors = {r: (await row_of(plenary, r)).error for r in readers[:2]}
    assert errors == {
        readers[0]: f"gave up after {MAX_ATTEMPTS} attempts",
        readers[1]: "gave up: still failing after a day",
    }
    assert "Console: 2 delivered, 2 failed" in recorder.texts(CHAIR)[-1]


async def test_a_correction_reaches_a_message_being_sent_with_the_old_text(plenary):
    await make_chair(plenary)
    (reader,) = await people(plenary, 1)
    await announce(plenary, "The IGN meets at 10:00.")
    platform = Held({reader})
    sending = asyncio.create_task(Dispatcher(plenary.core, {"console": platform}).run_until_idle())
    await platform.arrived.wait()  # rendered with the old text, on its way
    await chair_says(plenary, "/correct 1 The IGN meets at 11:00.")
    confirmed = await chair_says(plenary, "/correct 1 confirm")
    assert "1 message already sent" in confirmed  # the Chair's own; the reader's is in flight
    platform.release.set()
    await sending
    await Dispatcher(plenary.core, {"console": platform}).run_until_idle()
    (old,) = platform.texts(reader)
    assert "10:00" in old
    edits = [(message, text) for who, message, text in platform.edited if who == reader]
    assert len(edits) == 1 and "11:00" in edits[0][1]
    assert edits[0][0] == (await row_of(plenary, reader)).message_id


async def test_housekeeping_prunes_what_retention_no_longer_keeps_and_counts_it(plenary):
    await people(plenary, 1)
    await make_chair(plenary)
    await announce(plenary, "Old news.")
    recorder = Recorder()
    await Dispatcher(plenary.core, {"console": recorder}).run_until_idle()
    now, real_now = plenary.clock.now(), datetime.now(UTC)
    keep = Retention()
    async with plenary.sessions() as session:
        session.add_all(
            [
                ProcessedUpdate(platform="telegram", key="old", received_at=now - timedelta(8)),
                ProcessedUpdate(platform="telegram", key="new", received_at=now),
                ButtonCommand(token="old", command="/x", used_at=real_now - timedelta(181)),
                ButtonCommand(token="new", command="/y", used_at=real_now),
                OneTimeCode(
                    purpose="link",
                    code_hash="old",
                    created_at=now - timedelta(40),
                    expires_at=now - timedelta(31),
                ),
                OneTimeCode(purpose="link", code_hash="new", created_at=now, expires_at=now),
            ]
        )
        await session.commit()
    scheduler = Scheduler(Dispatcher(plenary.core, {"console": recorder}), retention=keep)

    def pruned(table: str) -> float:
        return REGISTRY.get_sample_value("plenary_pruned_total", {"table": table}) or 0

    tables = ("deliveries", "processed_updates", "button_commands", "one_time_codes")
    before = {table: pruned(table) for table in tables}
    await scheduler.housekeeping()  # nothing is old enough yet but what was made old
    assert {table: pruned(table) - before[table] for table in tables} == {
        "deliveries": 0,
        "processed_updates": 1,
        "button_commands": 1,
        "one_time_codes": 1,
    }
    plenary.clock.advance(keep.deliveries + timedelta(minutes=1))
    await scheduler.housekeeping()
    assert pruned("deliveries") == before["deliveries"] + 3  # reader, Chair, the report
    async with plenary.sessions() as session:
        left = {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model))
            for model in (Delivery, ProcessedUpdate, ButtonCommand, OneTimeCode)
        }
    # The clock moved 90 days: the recent update id and codes went too (the Chair's invitation
    # among them); a button's use is kept in real time.
    assert left == {
        "deliveries": 0,
        "processed_updates": 0,
        "button_commands": 1,
        "one_time_codes": 0,
    }
