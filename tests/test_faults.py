"""Faults: the database away for 10 seconds under traffic, and a dispatcher process killed in
the middle of a broadcast. Nobody gets a stack trace, nothing crashes, no delivery is lost."""

import asyncio
import logging
import signal
import sys
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.config import TelegramConfig
from bot.core.answering import SNAPSHOT_TTL, Core
from bot.core.clock import FixedClock
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.leader import Leadership
from bot.runtime.process import prepare
from bot.runtime.scheduler import Scheduler
from bot.transports.telegram.transport import TelegramTransport
from storage import announcements
from storage.announcements import Audience
from storage.database import create_engine, session_factory
from storage.importer import import_demo
from storage.models import Account, Delivery, DeliveryStatus
from storage.outbox import LEASE
from testkit import pg
from testkit.bulk import add_people
from testkit.fakes.telegram_api import private_message
from testkit.service import ROOT
from tests.conftest import DEMO_NOW, FAST
from tests.dispatch_worker import CONCURRENCY
from tests.recorder import Recorder

UNAVAILABLE = "Plenary is temporarily unavailable. Please try again in a moment."
OUTAGE = 10.0  # seconds


async def broadcast(sessions, people: int, now: datetime) -> int:
    """`people` new persons on the terminal, and an announcement to everyone (them and
    whoever wrote before), confirmed; returns how many it goes to."""
    async with sessions() as session:
        await add_people(session, people, now, "console")
        draft = await announcements.draft(session, None, "cli", "Hello", Audience("all"), now)
        count = await announcements.confirm(session, draft, now)
        await session.commit()
    return count


@pytest.fixture
async def own_cluster():
    """A cluster of the test's own, to stop and start without disturbing the others."""
    if not pg.available():
        pytest.fail("PostgreSQL (initdb, pg_ctl, postgres) is needed for the fault tests")
    cluster = pg.Cluster()
    await asyncio.to_thread(cluster.start)
    yield cluster
    await asyncio.to_thread(cluster.stop)


class HeldTime:
    """Monotonic time that moves only when told: the core's caches last exactly as long as
    the test says, however slow the machine."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def demo_on(
    cluster, name: str, monotonic: HeldTime | None = None
) -> tuple[AsyncEngine, async_sessionmaker, Core]:
    """A new database on `cluster` holding the demo, and a core on it."""
    engine = create_engine(await cluster.create_database(name))
    sessions = await prepare(engine)
    async with sessions() as session:
        await import_demo(session, DEMO_NOW)
        await session.commit()
    core = Core(sessions, FixedClock(DEMO_NOW), monotonic=monotonic or time.monotonic)
    return engine, sessions, core


@pytest.mark.logs_errors("database unavailable while answering", "dispatching failed")
async def test_ten_seconds_without_the_database(own_cluster):
    held = HeldTime()
    engine, sessions, core = await demo_on(own_cluster, "outage", held)
    recorder = Recorder()
    scheduler = Scheduler(Dispatcher(core, {"console": recorder}))

    async def ask() -> str:
        reply = await core.answer(
            Incoming("console", "delegate", "/next", chat_id="delegate", direct_chat_id="delegate")
        )
        return reply.text

    try:
        await ask()  # the first message makes its sender a person: a write
        normal = await ask()
        assert "Wednesday 3 February 2016" in normal
        assert await broadcast(sessions, 300, DEMO_NOW) == 301, "and who asked /next"
        await asyncio.to_thread(own_cluster.pause)
        try:
            # What was read a moment before still serves, while it is fresh...
            assert await ask() == normal
            held.now += SNAPSHOT_TTL
            answers, deadline = [], time.monotonic() + OUTAGE
            while time.monotonic() < deadline:
                answers.append(await ask())
                await scheduler.dispatch()  # fails quietly: the next tick tries again
                await asyncio.sleep(0.2)
        finally:
            await asyncio.to_thread(own_cluster.resume)
        # ...then the apology, never a trace.
        assert set(answers) == {UNAVAILABLE}
        assert "Wednesday 3 February 2016" in await ask()
        await scheduler.dispatch()
        delivered = [who for who, _ in recorder.sent]
        assert len(delivered) == len(set(delivered)) == 301, "every delivery, once"
    finally:
        await engine.dispose()


async def test_a_dispatcher_killed_mid_broadcast_resends_only_what_was_in_flight(
    pg_cluster, pg_template
):
    url = await pg_cluster.create_database("killed_mid_broadcast", pg_template)
    engine = create_engine(url)
    now = datetime.fromisoformat("2016-02-01T09:00:00-05:00")
    try:
        assert await broadcast(session_factory(engine), 2000, now) == 2000

        async def worker(*options: str) -> asyncio.subprocess.Process:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.dispatch_worker",
                url,
                now.isoformat(),
                *options,
                cwd=ROOT,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            assert (await process.stdout.readline()).strip() == b"ready"
            process.stdin.write(b"go\n")
            await process.stdin.drain()
            return process

        killed, survivor = await worker("--hang-after", "200"), await worker()
        # 200 answered, then as many taken as it has send slots: it hangs; it is killed.
        taken = 200 + CONCURRENCY
        sent_by_killed = [(await killed.stdout.readline()).strip() for _ in range(taken)]
        killed.send_signal(signal.SIGKILL)
        await killed.wait()
        sent_by_survivor = (await survivor.communicate())[0].split()
        async with session_factory(engine)() as session:
            recorded = set(
                await session.scalars(
                    select(Account.external_id)
                    .join(Delivery, Delivery.account_id == Account.id)
                    .where(Delivery.status == DeliveryStatus.SENT)
                )
            )
        in_flight = {who for who in sent_by_killed if who.decode() not in recorded}
        # The next process, once the dead one's leases ran out:
        later = await worker("--later", str((LEASE + timedelta(seconds=1)).total_seconds()))
        sent_later = (await later.communicate())[0].split()
        received = sent_by_killed + sent_by_survivor + sent_later
        assert len(set(received)) == 2000, "nobody missing"
        duplicates = {who for who in received if received.count(who) > 1}
        assert duplicates == in_flight, "sent again: exactly what was in flight at the kill"
        assert len(in_flight) <= CONCURRENCY, "in flight: at most one send a slot"
        async with session_factory(engine)() as session:
            left = await session.scalar(
                select(func.count()).where(Delivery.status != DeliveryStatus.SENT)
            )
        assert left == 0
    finally:
        await engine.dispose()


@pytest.mark.logs_errors("database unavailable while answering telegram")
async def test_polling_answers_through_a_database_outage(own_cluster, fake_telegram, caplog):
    """Issue 15, item 8: in polling mode the first message of an outage got the apology, then
    the poller gave up its lock and later messages got no answer until the database was back."""
    engine, _sessions, core = await demo_on(own_cluster, "polling_outage")
    telegram = TelegramTransport(
        TelegramConfig(token=fake_telegram.token, api_base_url=fake_telegram.base_url),
        core,
        limits=FAST,
    )
    polling = Leadership(
        engine,
        "telegram-polling",
        telegram.start_polling,
        telegram.stop_taking_updates,
        retry_every=0.1,
    )
    asked = 0

    async def ask() -> str:
        nonlocal asked
        asked += 1
        fake_telegram.push(private_message("/subscribe", user_id=808))  # a write: no cache
        return (await fake_telegram.wait_for(asked, chat_id=808))[-1].params["text"]

    await telegram.start(poll=False)
    await polling.start()
    try:
        assert "Your reminders" in await ask()
        await asyncio.to_thread(own_cluster.pause)
        try:
            during = [await ask() for _ in range(3)]
            lost = [r for r in caplog.records if "lost the database while holding" in r.message]
            assert lost, "the leader noticed the outage"
            during += [await ask() for _ in range(3)]  # ...and still answers
        finally:
            await asyncio.to_thread(own_cluster.resume)
        assert all(UNAVAILABLE in answer for answer in during), during
        for _ in range(100):  # the lock is retaken once the database is back
            if polling._connection is not None:
                break
            await asyncio.sleep(0.1)
        assert polling.leading and polling._connection is not None
        assert "Your reminders" in await ask()
    finally:
        await polling.stop()
        await telegram.stop()
        await engine.dispose()
    assert len(fake_telegram.sent(chat_id=808)) == asked == 8, "every message answered, once"


@pytest.mark.logs_errors("could not start what telegram-polling leads")
async def test_a_failure_to_lead_is_logged_with_its_trace(pg_cluster, pg_template, caplog):
    """bot/runtime/leader.py logged any failure of lead() as "lost the database"."""
    engine = create_engine(await pg_cluster.create_database("failing_leader", pg_template))
    attempts = []

    async def lead() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("Telegram refused to start polling")

    async def follow() -> None:
        pass

    leadership = Leadership(engine, "telegram-polling", lead, follow, retry_every=0.05)
    await leadership.start()
    try:
        for _ in range(100):
            if len(attempts) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        await leadership.stop()
        await engine.dispose()
    assert len(attempts) == 2, "the lock was let go, and taken again"
    (failure,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "could not start what telegram-polling leads" in failure.getMessage()
    assert failure.exc_info and "Telegram refused" in str(failure.exc_info[1])
    assert not [r for r in caplog.records if "lost the database" in r.getMessage()]
