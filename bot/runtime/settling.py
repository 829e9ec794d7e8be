"""Recording what became of claimed deliveries as it happens, and keeping their claim alive
while they are being sent: a crash then resends at most the sends in flight, and a send
that outlives a lease is never taken over."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.core.answering import Core
from bot.metrics import DELIVERIES_GIVEN_UP
from bot.runtime.results import Outcome
from storage import announcements, outbox, people
from storage.models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)
GROUP = 200  # outcomes written in one transaction at most
WRITE_TRIES = 6  # then the outcomes are dropped: their leases hand the rows over


Item = Outcome | Delivery  # an outcome to record, or a row to hand back unsent


class Settler:
    """Writes outcomes as they come: whatever arrived while the previous group was being
    written goes in the next transaction. Rows handed back (never sent) are released."""

    def __init__(self, core: Core, token: str) -> None:
        self.core, self.token = core, token
        self._queue: asyncio.Queue[tuple[Item, asyncio.Future[None]] | None] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None

    def record(self, outcome: Outcome) -> asyncio.Future[None]:
        """Queue an outcome; the future is done once it is written (or given up)."""
        return self._put(outcome)

    def hand_back(self, delivery: Delivery) -> None:
        """A claimed row that will not be sent now: pending again at once."""
        self._put(delivery)

    def _put(self, item: Item) -> asyncio.Future[None]:
        written = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((item, written))
        return written

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Settler]:
        """Write while the block runs; after it (even cancelled), write what is left."""
        self._writer = asyncio.create_task(self._write_all())
        try:
            yield self
        finally:
            self._queue.put_nowait(None)
            await asyncio.shield(self._writer)

    async def _write_all(self) -> None:
        while (first := await self._queue.get()) is not None:
            group = [first]
            while len(group) < GROUP and not self._queue.empty():
                queued = self._queue.get_nowait()
                if queued is None:
                    self._queue.put_nowait(None)  # the end: after this group
                    break
                group.append(queued)
            try:
                await self._write_with_retries([item for item, _ in group])
            finally:
                for _, written in group:
                    if not written.done():
                        written.set_result(None)

    async def _write_with_retries(self, group: list[Item]) -> None:
        for attempt in range(WRITE_TRIES):
            try:
                await self._write(group)
                return
            except (SQLAlchemyError, OSError) as error:
                log.warning("recording %d delivery outcomes failed (%s)", len(group), error)
                await asyncio.sleep(0.25 * 2**attempt)
        log.error(
            "%d delivery outcomes could not be recorded: their rows go out again when their "
            "lease runs out",
            len(group),
        )

    async def _write(self, group: list[Item]) -> None:
        outcomes = [item for item in group if isinstance(item, Outcome)]
        back = [item.id for item in group if isinstance(item, Delivery)]
        now = self.core.clock.now()
        async with self.core.sessions() as session:
            held = await outbox.settle(session, self.token, [o.row for o in outcomes])
            released = await outbox.release(session, self.token, back)
            mine = [o for o in outcomes if o.delivery.id in held]
            for unreachable in {
                o.unreachable.id: o.unreachable for o in mine if o.unreachable
            }.values():
                await people.deactivate_account(session, unreachable)
            await announcements.correct_late(session, _rendered_before(mine), now)
            await announcements.report_finished(
                session, {o.delivery.announcement_id for o in mine if _announced(o)}, now
            )
            await session.commit()
        for outcome in mine:
            if outcome.given_up:
                DELIVERIES_GIVEN_UP.inc()
        if len(mine) < len(outcomes) or released < len(back):
            log.warning(
                "%d claimed deliveries were not settled here: their lease ran out and "
                "another claim holds them",
                len(outcomes) - len(mine) + len(back) - released,
            )


def _announced(outcome: Outcome) -> bool:
    return outcome.delivery.kind == "announcement"


def _rendered_before(settled: list[Outcome]) -> list[tuple[int, int, int]]:
    """(announcement, account, corrections rendered) of the announcement messages sent."""
    return [
        (o.delivery.announcement_id, o.delivery.account_id, o.corrections)
        for o in settled
        if _announced(o) and o.corrections is not None and o.values["status"] == DeliveryStatus.SENT
    ]


class LeaseKeeper:
    """Renews a claim's lease every third of its length while its sends are alive."""

    def __init__(
        self, core: Core, token: str, length: timedelta, real_now: Callable[[], datetime]
    ) -> None:
        self.core, self.token, self.length, self.real_now = core, token, length, real_now
        self.renewals = 0  # how many times it renewed (tests wait on it)

    def lease(self) -> outbox.Lease:
        return outbox.Lease(self.token, self.real_now() + self.length)

    @contextlib.asynccontextmanager
    async def keeping(self) -> AsyncIterator[LeaseKeeper]:
        task = asyncio.create_task(self._renew_forever())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.length.total_seconds() / 3)
            try:
                async with self.core.sessions() as session:
                    await outbox.renew(session, self.lease())
                    await session.commit()
                self.renewals += 1
            except (SQLAlchemyError, OSError) as error:
                log.warning("renewing a delivery lease failed (%s)", error)
