"""What claimed deliveries say: everything they refer to, read at once, each rendered for its
reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.answering import Core
from bot.core.messages import Reply
from storage import announcements
from storage.digests import KIND as DIGEST
from storage.models import (
    Account,
    Announcement,
    AnnouncementStatus,
    Delivery,
    Meeting,
    Person,
    PositionVersion,
    Speaker,
    SpeakerList,
)
from storage.speaker_alerts import still_true

Context = dict[str, dict[Any, Any]]


@dataclass(frozen=True)
class Letter:
    """A claimed delivery, rendered."""

    delivery: Delivery
    account: Account | None
    reply: Reply | None  # None: nothing to send (the account or its subject is gone)
    replaces: str | None = None  # the message a correction edits, if it was sent
    withdrawn: bool = False  # its announcement was withdrawn after the row was queued
    corrections: int | None = None  # an announcement's corrections when it was rendered


async def load(session: AsyncSession, claimed: list[Delivery]) -> Context:
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
        "lists": await by_id(SpeakerList, {d.speaker_list_id for d in claimed}),
        "turns": await by_id(Speaker, {d.payload.get("speaker") for d in claimed}),
        "sent": await announcements.sent_messages(
            session, [d for d in claimed if d.kind == "correction"]
        ),
    }


def _reader(context: Context, account: Account | None) -> Person | None:
    """A digest's subject: its reader."""
    return context["persons"].get(account.person_id) if account is not None else None


async def render(core: Core, session: AsyncSession, delivery: Delivery, context: Context) -> Letter:
    """The letter a delivery carries (no reply when its account or subject is gone)."""
    account = context["accounts"].get(delivery.account_id)
    subject = (
        context["meetings"].get(delivery.meeting_id)
        or context["announcements"].get(delivery.announcement_id)
        or context["versions"].get(delivery.version_id)
        or context["lists"].get(delivery.speaker_list_id)
        or (
            context["persons"].get(account.person_id)
            if account and delivery.kind == DIGEST
            else None
        )
    )
    if account is None or subject is None or not account.active:
        return Letter(delivery, account, None)
    announced = isinstance(subject, Announcement)
    if announced and subject.status == AnnouncementStatus.CANCELLED and delivery.kind != "report":
        return Letter(delivery, account, None, withdrawn=True)
    if isinstance(subject, SpeakerList):
        turn = context["turns"].get(delivery.payload.get("speaker"))
        if not still_true(delivery, turn):  # the turn has passed: nothing to say any more
            return Letter(delivery, account, None, withdrawn=True)
    corrections = subject.corrections if announced else None
    person = context["persons"][account.person_id]
    reply = await core.notice(session, delivery, account, person, subject)
    replaces = context["sent"].get((delivery.announcement_id, delivery.account_id))
    replaces = delivery.payload.get("replaces") or replaces  # a list's alert corrected
    return Letter(delivery, account, reply, replaces, corrections=corrections)
