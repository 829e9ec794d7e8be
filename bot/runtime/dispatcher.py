"""The dispatcher: claims due deliveries, sends each through its platform, records the outcome."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.answering import Core
from bot.metrics import DELIVERIES_GIVEN_UP
from bot.runtime import results
from bot.runtime.letters import Letter, load, render
from bot.runtime.results import Outcome
from bot.runtime.settling import LeaseKeeper, Settler
from bot.transports.outcomes import CannotEdit, Sender, TryLater, Undeliverable
from storage import announcements, outbox
from storage.announcements import UNREACHABLE
from storage.models import Account, Delivery

log = logging.getLogger(__name__)


def real_now() -> datetime:
    """Leases are kept in real time: every process agrees on it, whatever its clock says."""
    return datetime.now(UTC)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Dispatcher:
    """Sends what is due through the senders of this process's platforms."""

    core: Core
    senders: dict[str, Sender]
    batch: int = 200
    concurrency: int = 64
    lease: timedelta = outbox.LEASE
    real_now: Callable[[], datetime] = real_now
    owner: str = field(default_factory=process_name)
    stopping: bool = False  # set at shutdown: nothing more is claimed or started
    _slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)

    async def run_once(self, platforms: list[str] | None = None) -> int:
        """Claim one batch of due rows (for these platforms, or all of this process's), send
        them and record each outcome as it comes; returns how many were claimed."""
        if self.stopping:
            return 0
        keeper = LeaseKeeper(self.core, outbox.new_token(self.owner), self.lease, self.real_now)
        now = self.core.clock.now()
        async with self.core.sessions() as session:
            claimed = await outbox.claim(
                session,
                now,
                keeper.lease(),
                self.real_now(),
                self.batch,
                platforms or list(self.senders),
            )
            if claimed.announcements_settled:  # the rows given up may have been their last
                await announcements.report_finished(session, claimed.announcements_settled, now)
            await session.commit()
        DELIVERIES_GIVEN_UP.inc(claimed.gave_up)
        if not claimed.rows:
            return 0
        settler = Settler(self.core, keeper.token)
        async with keeper.keeping(), settler.running():
            try:
                letters = await self._render_all(claimed.rows, settler)
            except Exception:  # e.g. the database went away: hand the batch back at once
                for delivery in claimed.rows:
                    settler.hand_back(delivery)
                raise
            await asyncio.gather(*(self._send(letter, settler) for letter in letters))
        return len(claimed.rows)

    async def run_until_idle(self) -> int:
        """Send everything that is due now: each platform at its own pace, so that one's rate
        limit never holds another back. Again until a round finds nothing: one platform's
        batch may queue work for another (the delivery report of an announcement)."""
        total = 0
        while not self.stopping:
            sent = sum(await asyncio.gather(*(self._drain(p) for p in self.senders)))
            if not sent:
                break
            total += sent
        return total

    async def _drain(self, platform: str) -> int:
        total = 0
        while not self.stopping and (sent := await self.run_once([platform])):
            total += sent
        return total

    async def next_due(self) -> datetime | None:
        async with self.core.sessions() as session:
            return await outbox.next_due(session, list(self.senders))

    async def _render_all(self, claimed: list[Delivery], settler: Settler) -> list[Letter]:
        """Render one by one (a session serves one task at a time); a row that cannot be
        rendered is retried later, the others go on."""
        letters = []
        async with self.core.sessions() as session:
            context = await load(session, claimed)
            for delivery in claimed:
                try:
                    letters.append(await render(self.core, session, delivery, context))
                except Exception as error:  # a bug in one row must not hold back the others
                    log.exception("rendering delivery %s failed", delivery.key)
                    reason = f"rendering failed: {type(error).__name__}"
                    settler.record(results.retry(delivery, reason, self.core.clock.now()))
        return letters

    async def _send(self, letter: Letter, settler: Settler) -> None:
        """Send one letter when a slot is free, and free the slot once its outcome is
        recorded: at most `concurrency` deliveries are ever sent and not yet recorded (what
        a crash would send again). Once stopping, hand the letter back unsent instead.
        Cancelled while sending, it records nothing: the platform may have taken it, and
        its lease will hand it over."""
        try:
            await self._slots.acquire()
        except asyncio.CancelledError:
            settler.hand_back(letter.delivery)
            raise
        try:
            if self.stopping:
                settler.hand_back(letter.delivery)
                return
            await settler.record(await self._outcome(letter))
        finally:
            self._slots.release()

    async def _outcome(self, letter: Letter) -> Outcome:
        delivery, account, reply = letter.delivery, letter.account, letter.reply
        now = self.core.clock.now
        if letter.withdrawn:
            return results.withdrawn(delivery, now())
        if account is None or reply is None:
            gone = account is not None and not account.active
            reason = (
                f"{UNREACHABLE}: inactive account" if gone else "its account or subject is gone"
            )
            return results.failed(delivery, reason)
        if not reply.blocks:
            return results.nothing_to_say(delivery)
        try:
            message_id = await self._deliver_or_edit(letter, account)
        except Undeliverable as error:
            return results.failed(delivery, f"{UNREACHABLE}: {error}", account)
        except TryLater as error:
            return results.retry(delivery, error, now())
        except Exception as error:  # a bug in one send must not lose the others
            log.exception("delivery %s failed", delivery.key)
            return results.retry(delivery, type(error).__name__, now())
        return results.sent(delivery, message_id, now(), letter.corrections)

    async def _deliver_or_edit(self, letter: Letter, account: Account) -> str:
        sender, reply = self.senders[account.platform], letter.reply
        assert reply is not None
        sent = letter.delivery.message_id  # on a pending row: the text went, not its files
        if sent is not None:
            await sender.attach(account, reply)
            return sent
        if letter.replaces is not None:
            try:
                return await sender.edit(account, letter.replaces, reply)
            except CannotEdit:
                pass
        return await sender.deliver(account, reply, skip=letter.delivery.parts_sent)
