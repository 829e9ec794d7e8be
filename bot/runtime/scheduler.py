"""APScheduler wakes the dispatcher when the next delivery falls due; the database holds
every schedule, so a restart rebuilds it all and a missed wake-up only delays a tick."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.metrics import PRUNED
from bot.runtime.dispatcher import Dispatcher
from storage import digests, reminders
from storage.retention import Retention, prune

log = logging.getLogger(__name__)


class Scheduler:
    """Dispatch at each due time and at every tick; at start and every `plan_every`, plan
    reminders (meetings entering the horizon get theirs) and prune what `retention` no
    longer keeps."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        tick: timedelta = timedelta(seconds=5),
        plan_every: timedelta = timedelta(minutes=10),
        retention: Retention | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.core = dispatcher.core
        self.tick, self.plan_every = tick, plan_every
        self.retention = retention or Retention()
        self.aps = AsyncIOScheduler(timezone=UTC)
        self._lock = asyncio.Lock()
        self._again = False  # woken while dispatching: look once more before resting
        self._jobs: set[asyncio.Task[None]] = set()  # APScheduler's tasks running our work
        self._work: set[asyncio.Task[None]] = set()  # that work, which `stop` may cancel

    async def start(self) -> None:
        self.aps.start()
        self.core.on_commit = self.wake  # a change may have queued something due now
        self.aps.add_job(
            self._tick,
            "interval",
            seconds=self.tick.total_seconds(),
            id="tick",
            coalesce=True,
            max_instances=1,
        )
        self.aps.add_job(
            self.housekeeping,
            "interval",
            seconds=self.plan_every.total_seconds(),
            id="plan",
            coalesce=True,
            max_instances=1,
        )
        await self.housekeeping()
        self.wake()

    async def stop(self, within: float = 20) -> None:
        """Claim and start nothing more; let the sends in flight finish and record their
        outcomes, for at most `within` seconds (then they are cancelled, and their leases
        hand them over); then stop APScheduler, which by then runs no job (it would log a
        job it cancels as an error)."""
        self.dispatcher.stopping = True
        if self.aps.running:
            self.aps.pause()
        if self._work:
            _, late = await asyncio.wait(self._work, timeout=within)
            if late:
                log.warning(
                    "stopping with sends in flight after %s s: their leases hand them over", within
                )
                for task in late:
                    task.cancel()
        if self._jobs:
            await asyncio.wait(self._jobs)
        if self.aps.running:
            self.aps.shutdown(wait=False)

    async def _as_job(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` in a task of its own, which `stop` may cancel: the job then ends
        quietly, unless the job itself was cancelled."""
        job, task = asyncio.current_task(), asyncio.ensure_future(work())
        assert job is not None
        self._jobs.add(job)
        self._work.add(task)
        try:
            await task
        except asyncio.CancelledError:
            if job.cancelling():
                raise
        finally:
            self._jobs.discard(job)
            self._work.discard(task)

    async def _tick(self) -> None:
        """Dispatch now, or have the dispatch running now go round once more (a tick never
        waits for a dispatch, so none is skipped while a long one runs)."""
        self.wake()

    def wake(self, at: datetime | None = None) -> None:
        """Dispatch at `at` (clock time), or now; a dispatch running now just goes round once
        more (a busy process commits far more often than it can dispatch)."""
        if self.dispatcher.stopping:
            return
        if at is None and self._lock.locked():
            self._again = True
            return
        real = datetime.now(UTC) if at is None else self._real_time(at)
        self.aps.add_job(
            self.dispatch,
            "date",
            run_date=real,
            id="due",
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def _real_time(self, instant: datetime) -> datetime:
        """The wall-clock moment when the (possibly shifted) clock reads `instant`."""
        return instant - (self.core.clock.now() - datetime.now(UTC))

    async def dispatch(self) -> None:
        """Send what is due, and plan the next wake-up."""
        if not self.dispatcher.stopping:
            await self._as_job(self._dispatch)

    async def _dispatch(self) -> None:
        async with self._lock:
            try:
                self._again, due = True, None
                while self._again:  # no await between its last test and the lock's release
                    self._again, looked_before = False, due
                    await self.dispatcher.run_until_idle()
                    due = await self.dispatcher.next_due()
                    # Fell due meanwhile (a job for now would be skipped as this one runs);
                    # unless the same one again: then it could not be sent, the tick retries.
                    if due is not None and due <= self.core.clock.now() and due != looked_before:
                        self._again = True
            except Exception:  # the database may be away: the next tick tries again
                log.exception("dispatching failed")
                return
        if due is not None:
            self.wake(max(due, self.core.clock.now()))

    async def housekeeping(self) -> None:
        """Plan reminders for the meetings in the horizon and everyone's next digest; prune
        what retention no longer keeps."""
        await self._as_job(self._housekeeping)

    async def _housekeeping(self) -> None:
        now = self.core.clock.now()
        try:
            async with self.core.sessions() as session:
                planned = await reminders.plan_all(session, now)
                planned += await digests.plan(session, now)
                pruned = await prune(session, self.retention, now, datetime.now(UTC))
                await session.commit()
        except Exception:  # the database may be away: the next round tries again
            log.exception("planning reminders or pruning failed")
            return
        for table, count in pruned.items():
            PRUNED.labels(table).inc(count)
        if any(pruned.values()):
            log.info("pruned %s", ", ".join(f"{n} {table}" for table, n in pruned.items() if n))
        if planned:
            log.info("planned %d reminders", planned)
            self.wake()
