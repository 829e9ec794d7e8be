"""APScheduler wakes the dispatcher when the next delivery falls due; the database holds
every schedule, so a restart rebuilds it all and a missed wake-up only delays a tick."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete

from bot.runtime.dispatcher import Dispatcher
from storage import reminders
from storage.models import ProcessedUpdate

log = logging.getLogger(__name__)
KEEP_UPDATE_IDS = timedelta(days=7)  # platforms re-deliver within minutes, not weeks


class Scheduler:
    """Dispatch at each due time and at every tick; plan reminders at start and every
    `plan_every`, so that meetings entering the horizon get theirs."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        tick: timedelta = timedelta(seconds=5),
        plan_every: timedelta = timedelta(minutes=10),
    ) -> None:
        self.dispatcher = dispatcher
        self.core = dispatcher.core
        self.tick, self.plan_every = tick, plan_every
        self.aps = AsyncIOScheduler(timezone=UTC)
        self._lock = asyncio.Lock()
        self._again = False  # woken while dispatching: look once more before resting

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
        """Claim nothing more; let the batch in flight finish and record its outcomes, for
        at most `within` seconds (its rows' leases then hand them to another process)."""
        self.dispatcher.stopping = True
        if self.aps.running:
            self.aps.shutdown(wait=False)
        try:
            await asyncio.wait_for(self._lock.acquire(), within)
        except TimeoutError:
            log.warning("stopping with a batch still sending: its leases will hand it over")
        else:
            self._lock.release()

    async def _tick(self) -> None:
        """Dispatch now, or have the dispatch running now go round once more (a tick never
        waits for a dispatch, so none is skipped while a long one runs)."""
        self.wake()

    def wake(self, at: datetime | None = None) -> None:
        """Dispatch at `at` (clock time), or now; a dispatch running now just goes round once
        more (a busy process commits far more often than it can dispatch)."""
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
        """Plan reminders for the meetings in the horizon; forget old update ids."""
        now = self.core.clock.now()
        try:
            async with self.core.sessions() as session:
                planned = await reminders.plan_all(session, now)
                await session.execute(
                    delete(ProcessedUpdate).where(
                        ProcessedUpdate.received_at < now - KEEP_UPDATE_IDS
                    )
                )
                await session.commit()
        except Exception:
            log.exception("planning reminders failed")
            return
        if planned:
            log.info("planned %d reminders", planned)
            self.wake()
