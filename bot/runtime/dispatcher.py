"""The dispatcher: claims due deliveries, sends each through its platform, records the outcome."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.core.answering import Core
from bot.core.messages import Reply
from bot.transports.outcomes import CannotEdit, Sender, TryLater, Undeliverable
from storage import announcements, outbox, people
from storage.announcements import UNREACHABLE
from storage.models import (
    Account,
    Announcement,
    AnnouncementStatus,
    Delivery,
    DeliveryStatus,
    Meeting,
    Person,
    PositionVersion,
)

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class _Letter:
    delivery: Delivery
    account: Account | None
    reply: Reply | None  # None: nothing to send (the account or its subject is gone)
    replaces: str | None = None  # the message a correction edits, if it was sent
    withdrawn: bool = False  # its announcement was withdrawn after the row was queued


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** (attempts - 1), 600))


@dataclass
class Dispatcher:
    """Sends what is due through the senders of this process's platforms."""

    core: Core
    senders: dict[str, Sender]
    batch: int = 200
    concurrency: int = 64
    stopping: bool = False  # set at shutdown: no new batch is claimed
    _semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._semaphore = asyncio.Semaphore(self.concurrency)

    async def run_once(self, platforms: list[str] | None = None) -> int:
        """Claim one batch of due rows (for these platforms, or all of this process's) and
        settle each; returns how many were claimed."""
        now = self.core.clock.now()
        async with self.core.sessions() as session:
            claimed = await outbox.claim(session, now, self.batch, platforms or list(self.senders))
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
            await announcements.report_finished(
                session, {d.announcement_id for d in claimed if d.kind == "announcement"}, now
            )
            await session.commit()
        return len(claimed)

    async def run_until_idle(self) -> int:
        """Send everything that is due now (or, once stopping, finish the batches in hand):
        each platform at its own pace, so that one's rate limit never holds another back.
        Again until a round finds nothing: one platform's batch may queue work for another
        (the delivery report of an announcement)."""
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

    async def _load(self, session: Any, claimed: list[Delivery]) -> dict[str, dict[Any, Any]]:
        """Everything the claimed rows refer to, read in a few queries."""

        async def by_id(model: type, ids: set[int | None]) -> dict[int, Any]:
            ids.discard(None)
            rows = await session.scalars(select(model).where(model.id.in_(ids))) if ids else []
            return {row.id: row for row in rows}

        accounts = await by_id(Account, {d.account_id for d in claimed})
        return {
            "accounts": accounts,
            "persons": await by_id(Person, {a.person_id for a in accounts.values()}),
            "meetings": await by_id(Meeting, {d.meeting_id for d in claimed}),
            "announcements": await by_id(Announcement, {d.announcement_id for d in claimed}),
            "versions": await by_id(PositionVersion, {d.version_id for d in claimed}),
            "sent": await announcements.sent_messages(
                session, [d for d in claimed if d.kind == "correction"]
            ),
        }

    async def _render(
        self, session: Any, delivery: Delivery, context: dict[str, dict[Any, Any]]
    ) -> _Letter:
        account = context["accounts"].get(delivery.account_id)
        subject = (
            context["meetings"].get(delivery.meeting_id)
            or context["announcements"].get(delivery.announcement_id)
            or context["versions"].get(delivery.version_id)
        )
        if account is None or subject is None or not account.active:
            return _Letter(delivery, account, None)
        if (
            isinstance(subject, Announcement)
            and subject.status == AnnouncementStatus.CANCELLED
            and delivery.kind != "report"
        ):
            return _Letter(delivery, account, None, withdrawn=True)
        person = context["persons"][account.person_id]
        reply = await self.core.notice(session, delivery, account, person, subject)
        replaces = context["sent"].get((delivery.announcement_id, delivery.account_id))
        return _Letter(delivery, account, reply, replaces)

    async def _send(self, letter: _Letter) -> tuple[dict[str, Any], Account | None]:
        """(the outcome to record, the account to deactivate if it is unreachable)."""
        delivery, account, reply = letter.delivery, letter.account, letter.reply
        if letter.withdrawn:
            return self._withdrawn(delivery), None
        if account is None or reply is None:
            gone = account is not None and not account.active
            reason = (
                f"{UNREACHABLE}: inactive account" if gone else "its account or subject is gone"
            )
            return self._failed(delivery, reason), None
        try:
            async with self._semaphore:
                message_id = await self._deliver_or_edit(letter, account, reply)
        except Undeliverable as error:
            return self._failed(delivery, f"{UNREACHABLE}: {error}"), account
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

    async def _deliver_or_edit(self, letter: _Letter, account: Account, reply: Reply) -> str:
        sender = self.senders[account.platform]
        sent = letter.delivery.message_id  # on a pending row: the text went, not its files
        if sent is not None:
            await sender.attach(account, reply)
            return sent
        if letter.replaces is not None:
            try:
                return await sender.edit(account, letter.replaces, reply)
            except CannotEdit:
                pass
        return await sender.deliver(account, reply)

    def _failed(self, delivery: Delivery, reason: str) -> dict[str, Any]:
        return {"id": delivery.id, "status": DeliveryStatus.FAILED, "error": reason}

    def _withdrawn(self, delivery: Delivery) -> dict[str, Any]:
        """Nothing more goes; a text that went out already stays sent, without its
        attachments (as `announcements.cancel` settles the rows it finds waiting)."""
        if delivery.message_id is None:
            return self._failed(delivery, "withdrawn")
        return {
            "id": delivery.id,
            "status": DeliveryStatus.SENT,
            "sent_at": self.core.clock.now(),
            "error": outbox.WITHHELD,
        }

    def _retry(self, delivery: Delivery, error: TryLater) -> dict[str, Any]:
        if delivery.attempts >= MAX_ATTEMPTS:
            outcome = self._failed(delivery, f"gave up after {delivery.attempts} attempts: {error}")
        else:
            wait = (
                timedelta(seconds=error.retry_after)
                if error.retry_after is not None
                else backoff(delivery.attempts)
            )
            outcome = {
                "id": delivery.id,
                "status": DeliveryStatus.PENDING,
                "due_at": self.core.clock.now() + wait,
                "error": str(error),
            }
        if error.sent is not None:  # its text went out: a correction will edit it
            outcome["message_id"] = error.sent
        return outcome
