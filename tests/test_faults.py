"""Faults: the database away for 10 seconds under traffic, and a dispatcher process killed in
the middle of a broadcast. Nobody gets a stack trace, nothing crashes, no delivery is lost."""

import asyncio
import signal
import sys
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.answering import SNAPSHOT_TTL, Core
from bot.core.clock import FixedClock
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.process import prepare
from bot.runtime.scheduler import Scheduler
from storage import announcements
from storage.announcements import Audience
from storage.database import create_engine, session_factory
from storage.importer import import_demo
from storage.models import Account, Delivery, DeliveryStatus
from storage.outbox import LEASE
from testkit import pg
from testkit.bulk import add_people
from testkit.service import ROOT
from tests.conftest import DEMO_NOW
from tests.dispatch_worker import CONCURRENCY
from tests.recorder import Recorder

UNAVAILABLE = "Plenary is temporarily unavailable. Please try again in a moment."
OUTAGE = 10.0  # seconds


async def broadcast(sessions, people: int, now: datetime) -> None:
    """`people` new persons on the terminal, and an announcement to everyone, confirmed."""
    async with sessions() as session:
        await add_people(session, people, now, "console")
        draft = await announcements.draft(session, None, "cli", "Hello", Audience("all"), now)
        assert await announcements.confirm(session, draft, now) == people
        await session.commit()


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


@pytest.mark.logs_errors("database unavailable while answering", "dispatching failed")
async def test_ten_seconds_without_the_database(own_cluster):
    engine = create_engine(await own_cluster.create_database("outage"))
    sessions = await prepare(engine)
    async with sessions() as session:
        await import_demo(session, DEMO_NOW)
        await session.commit()
    held = HeldTime()
    core = Core(sessions, FixedClock(DEMO_NOW), monotonic=held)
    recorder = Recorder()
    scheduler = Scheduler(Dispatcher(core, {"console": recorder}))

    async def ask() -> str:
        reply = await core.answer(Incoming("console", "delegate", "/next", chat_id="delegate"))
        return reply.text

    try:
        normal = await ask()
        assert "Wednesday 3 February 2016" in normal
        await broadcast(sessions, 300, DEMO_NOW)
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
        assert len(delivered) == len(set(delivered)) == 300, "every delivery, once"
    finally:
        await engine.dispose()


async def test_a_dispatcher_killed_mid_broadcast_resends_only_what_was_in_flight(
    pg_cluster, pg_template
):
    url = await pg_cluster.create_database("killed_mid_broadcast", pg_template)
    engine = create_engine(url)
    now = datetime.fromisoformat("2016-02-01T09:00:00-05:00")
    try:
        await broadcast(session_factory(engine), 2000, now)

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
