"""The dispatcher: claims due deliveries, sends each through its platform, records the outcome."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select

from bot.core import Core
from bot.messages import Reply
from storage import outbox, people
from storage.models import Account, Delivery, DeliveryStatus, Meeting, Person

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


class Undeliverable(Exception):
    """The platform will never take this message (blocked, chat gone): do not retry."""


class TryLater(Exception):
    """A passing failure (429, 5xx, network): retry, after `retry_after` seconds if given."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Sender(Protocol):
    """What a transport offers the dispatcher."""

    async def deliver(self, account: Account, reply: Reply) -> str:
        """Send `reply` to the account's chat; return the platform's message id."""
        ...


@dataclass(frozen=True)
class _Letter:
    delivery: Delivery
    account: Account | None
    reply: Reply | None  # None: nothing to send (the account or the meeting is gone)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** (attempts - 1), 600))


@dataclass
class Dispatcher:
    """Sends what is due through the senders of this process's platforms."""

    core: Core
    senders: dict[str, Sender]
    batch: int = 200
    concurrency: int = 64
    _semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._semaphore = asyncio.Semaphore(self.concurrency)

    async def run_once(self) -> int:
        """Claim one batch of due rows and settle each; returns how many were claimed."""
        now = self.core.clock.now()
        async with self.core.sessions() as session:
            claimed = await outbox.claim(session, now, self.batch, list(self.senders))
            await session.commit()
        if not claimed:
            return 0
        async with self.core.sessions() as session:
            context = await self._load(session, claimed)
            # Render one by one (a session serves one task at a time), then send together.
            letters = [await self._render(session, d, context) for d in claimed]
            outcomes = await asyncio.gather(*(self._send(letter) for letter in letters))
            await outbox.settle(session, [o for o, _ in outcomes])
            for blocked in {a for _, a in outcomes if a is not None}:
                await people.deactivate_chat(session, blocked.platform, blocked.chat_id or "")
            await session.commit()
        return len(claimed)

    async def run_until_idle(self) -> int:
        """Send everything that is due now."""
        total = 0
        while sent := await self.run_once():
            total += sent
        return total

    async def next_due(self) -> datetime | None:
        async with self.core.sessions() as session:
            return await outbox.next_due(session, list(self.senders))

    async def _load(self, session: Any, claimed: list[Delivery]) -> dict[str, dict[int, Any]]:
        account_ids = {d.account_id for d in claimed}
        accounts = {
            a.id: a
            for a in await session.scalars(select(Account).where(Account.id.in_(account_ids)))
        }
        person_ids = {a.person_id for a in accounts.values()}
        persons = {
            p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(person_ids)))
        }
        meeting_ids = {d.meeting_id for d in claimed if d.meeting_id is not None}
        meetings = {
            m.id: m
            for m in await session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)))
        }
        return {"accounts": accounts, "persons": persons, "meetings": meetings}

    async def _render(
        self, session: Any, delivery: Delivery, context: dict[str, dict[int, Any]]
    ) -> _Letter:
        account = context["accounts"].get(delivery.account_id)
        meeting = context["meetings"].get(delivery.meeting_id or -1)
        if account is None or meeting is None or not account.active:
            return _Letter(delivery, account, None)
        person = context["persons"][account.person_id]
        return _Letter(
            delivery, account, await self.core.notice(session, delivery, account, person, meeting)
        )

    async def _send(self, letter: _Letter) -> tuple[dict[str, Any], Account | None]:
        """(the outcome to record, the account to deactivate if it is unreachable)."""
        delivery, account, reply = letter.delivery, letter.account, letter.reply
        if account is None or reply is None:
            return self._failed(delivery, "no active account or meeting"), None
        try:
            async with self._semaphore:
                message_id = await self.senders[account.platform].deliver(account, reply)
        except Undeliverable as error:
            return self._failed(delivery, f"unreachable: {error}"), account
        except TryLater as error:
            return self._retry(delivery, error), None
        except Exception as error:  # a bug in one send must not lose the others
            log.exception("delivery %s failed", delivery.key)
            return self._retry(delivery, TryLater(type(error).__name__)), None
        return {
            "id": delivery.id,
            "status": DeliveryStatus.SENT,
            "message_id": message_id,
            "sent_at": self.core.clock.now(),
            "error": None,
        }, None

    def _failed(self, delivery: Delivery, reason: str) -> dict[str, Any]:
        return {"id": delivery.id, "status": DeliveryStatus.FAILED, "error": reason}

    def _retry(self, delivery: Delivery, error: TryLater) -> dict[str, Any]:
        if delivery.attempts >= MAX_ATTEMPTS:
            return self._failed(delivery, f"gave up after {delivery.attempts} attempts: {error}")
        wait = (
            timedelta(seconds=error.retry_after)
            if error.retry_after is not None
            else backoff(delivery.attempts)
        )
        return {
            "id": delivery.id,
            "status": DeliveryStatus.PENDING,
            "due_at": self.core.clock.now() + wait,
            "error": str(error),
        }
