"""Announcements: drafts, their audience, and their deliveries through the outbox.

Confirming enqueues one delivery per person reached (on the account that reaches them), due
at the send time; the outbox's unique keys make a repeated confirmation add nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox, wording
from storage.models import (
    Account,
    Announcement,
    AnnouncementStatus,
    Delivery,
    DeliveryStatus,
    Membership,
    Person,
    Role,
    Subscription,
)
from storage.quiet_hours import DIGESTED
from storage.subscriptions import reaching_accounts

UNREACHABLE = "unreachable"  # the prefix of a delivery's error when the account is blocked


@dataclass(frozen=True)
class Audience:
    """Whom an announcement addresses: everyone, delegates only (not the Chair's office), the
    people of a group or of one delegation, or the subscribers of a key issue."""

    kind: str  # "all" | "delegates" | "group" | "delegation" | "issue"
    id: int | None = None
    label: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Audience:
        return cls(value["kind"], value.get("id"), value.get("label", ""))


def _persons(audience: Audience) -> Any:
    """The ids of the persons an audience names, as a subquery."""
    query = select(Person.id)
    if audience.kind == "delegates":
        return query.where(Person.role != Role.CHAIR)
    if audience.kind == "delegation":
        return query.where(Person.delegation_id == audience.id)
    if audience.kind == "group":
        members = select(Membership.member_id).where(Membership.group_id == audience.id)
        return query.where(
            or_(Person.delegation_id == audience.id, Person.delegation_id.in_(members))
        )
    if audience.kind == "issue":
        return select(Subscription.person_id).where(
            or_(Subscription.key_issue_id == audience.id, Subscription.key_issue_id.is_(None))
        )
    return query


async def reached(session: AsyncSession, audience: Audience) -> list[Row]:
    """The accounts an announcement to this audience goes to."""
    return await reaching_accounts(session, _persons(audience))


@dataclass(frozen=True)
class Reach:
    """Whom an audience reaches: an account per person, and how many it cannot reach."""

    accounts: list[Row]
    stopped: int  # persons who asked for no messages (/stop)
    unreachable: int  # persons with no account Plenary may write to (blocked, left)


async def reach(session: AsyncSession, audience: Audience) -> Reach:
    persons = _persons(audience)
    total, stopped = (
        await session.execute(
            select(func.count(), func.count(Person.stopped_at)).where(Person.id.in_(persons))
        )
    ).one()
    accounts = await reaching_accounts(session, persons)
    return Reach(accounts, stopped, total - stopped - len(accounts))


def per_platform(accounts: list[Row]) -> dict[str, int]:
    return dict(sorted(Counter(account.platform for account in accounts).items()))


async def draft(
    session: AsyncSession,
    author_id: int | None,
    platform: str,
    text: str,
    audience: Audience,
    now: datetime,
) -> Announcement:
    announcement = Announcement(
        author_id=author_id,
        platform=platform,
        text=text,
        audience=audience.as_json(),
        status=AnnouncementStatus.DRAFT,
        corrections=0,
        created_at=now,
    )
    session.add(announcement)
    await session.flush()
    return announcement


def _row(
    key: str,
    kind: str,
    announcement_id: int,
    account_id: int,
    due: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "account_id": account_id,
        "announcement_id": announcement_id,
        "payload": payload or {},
        "status": DeliveryStatus.PENDING,
        "due_at": due,
        "attempts": 0,
        "created_at": now,
    }


async def confirm(session: AsyncSession, announcement: Announcement, now: datetime) -> int:
    """Enqueue the announcement for its audience, due at its send time (or now); returns
    how many deliveries. An audience that reaches nobody leaves the draft as it was (0)."""
    accounts = await reached(session, Audience.from_json(announcement.audience))
    if not accounts:
        return 0
    due = max(announcement.send_at or now, now)
    announcement.status = AnnouncementStatus.CONFIRMED
    announcement.confirmed_at = now
    announcement.send_at = due
    rows = [
        _row(
            f"announcement:{announcement.id}:{a.id}",
            "announcement",
            announcement.id,
            a.id,
            due,
            now,
        )
        for a in accounts
    ]
    return await outbox.enqueue(session, rows)


async def cancel(session: AsyncSession, announcement: Announcement, now: datetime) -> int:
    """Withdraw an announcement; returns how many messages will not be sent: those waiting,
    and the attachments waiting to follow a text that went out (the dispatcher withholds
    the rest, being sent now, once they come back)."""
    announcement.status = AnnouncementStatus.CANCELLED
    this_one = Delivery.announcement_id == announcement.id
    withheld = await outbox.withhold_attachments(session, now, this_one)
    return withheld + await outbox.drop_pending(session, this_one)


def _corrections(
    announcement_id: int,
    number: int,
    account_ids: list[int],
    now: datetime,
    changed: list[tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """The rows of correction `number` for these accounts (one key each: enqueued once),
    with what it changes when that is known."""
    payload = {"changes": [list(pair) for pair in changed]} if changed else None
    return [
        _row(
            f"correction:{announcement_id}:{number}:{a}",
            "correction",
            announcement_id,
            a,
            now,
            now,
            payload,
        )
        for a in account_ids
    ]


async def correct(
    session: AsyncSession, announcement: Announcement, text: str, now: datetime
) -> int:
    """Replace the text. Deliveries not yet sent carry the new text; those whose text went
    out get a correction (an edit where the platform allows), and those being sent with the
    old text get one when they settle (`correct_late`). Returns how many corrections."""
    changed = wording.changes(announcement.text, text)
    announcement.text = text
    announcement.corrections += 1
    # The flush before this query updates the announcement: a dispatcher settling rows of
    # it (`correct_late`) holds it locked, so this sees what that one recorded.
    sent = await session.scalars(
        select(Delivery.account_id).where(
            Delivery.announcement_id == announcement.id,
            Delivery.kind == "announcement",
            outbox.TEXT_WENT_OUT,
        )
    )
    rows = _corrections(announcement.id, announcement.corrections, list(sent), now, changed)
    return await outbox.enqueue(session, rows)


async def correct_late(
    session: AsyncSession, sent: list[tuple[int, int, int]], now: datetime
) -> int:
    """For announcement messages just recorded as sent, each (announcement id, account id,
    corrections when it was rendered): a correction for those rendered before a correction
    that `correct` could not see yet. Returns how many."""
    if not sent:
        return 0
    # Locked as `correct` locks it when it changes the text: one of the two sees the other.
    current = dict(
        (
            await session.execute(
                select(Announcement.id, Announcement.corrections)
                .where(Announcement.id.in_({a for a, _, _ in sent}))
                .order_by(Announcement.id)
                .with_for_update(key_share=True)
            )
        ).all()
    )
    rows = []
    for announcement_id, account_id, rendered in sent:
        if current.get(announcement_id, rendered) > rendered:
            number = current[announcement_id]
            rows += _corrections(announcement_id, number, [account_id], now)
    return await outbox.enqueue(session, rows) if rows else 0


def outcome(status: DeliveryStatus, error: str | None) -> str:
    """ "delivered", "digest" (its reader gets it in the digest alone), "blocked", "failed"
    or "waiting", for reports."""
    if status == DeliveryStatus.SENT:
        return "delivered"
    if error == DIGESTED:
        return "digest"
    if status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
        return "waiting"
    return "blocked" if (error or "").startswith(UNREACHABLE) else "failed"


async def progress(session: AsyncSession, announcement_id: int) -> dict[str, Counter[str]]:
    """For each platform, how many deliveries of the announcement are in each outcome."""
    rows = await session.execute(
        select(Account.platform, Delivery.status, Delivery.error, func.count())
        .join(Account, Account.id == Delivery.account_id)
        .where(Delivery.announcement_id == announcement_id, Delivery.kind == "announcement")
        .group_by(Account.platform, Delivery.status, Delivery.error)
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for platform, status, error, count in rows:
        counts[platform][outcome(status, error)] += count
    return dict(sorted(counts.items()))


async def report_finished(session: AsyncSession, announcement_ids: set[int], now: datetime) -> int:
    """Enqueue a delivery report to the author of each announcement whose deliveries are all
    settled (once: the report's key is unique)."""
    if not announcement_ids:
        return 0
    # Platforms settle their rows in transactions of their own: taken in turn, the last one
    # to settle sees every other's outcome (on PostgreSQL; SQLite has one writer at a time).
    await session.execute(
        select(Announcement.id)
        .where(Announcement.id.in_(announcement_ids))
        .order_by(Announcement.id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE: new rows may still refer to it
    )
    # Checked at every settling: the first unsettled row found (an index lookup) is enough.
    unsettled = exists().where(
        Delivery.announcement_id == Announcement.id,
        Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        Delivery.kind == "announcement",
    )
    finished = await session.execute(
        select(Announcement.id, Announcement.author_id).where(
            Announcement.id.in_(announcement_ids),
            ~unsettled,
            Announcement.author_id.is_not(None),
        )
    )
    authors = dict(finished.all())
    if not authors:
        return 0
    reaching_author = {
        account.person_id: account.id
        for account in await reaching_accounts(
            session, select(Person.id).where(Person.id.in_(authors.values()))
        )
    }
    rows = [
        _row(
            f"report:{announcement_id}",
            "report",
            announcement_id,
            reaching_author[author],
            now,
            now,
        )
        for announcement_id, author in authors.items()
        if author in reaching_author
    ]
    return await outbox.enqueue(session, rows)


async def latest(session: AsyncSession, now: datetime, limit: int = 5) -> list[Announcement]:
    """The announcements sent (or being sent), newest first."""
    query = (
        select(Announcement)
        .where(Announcement.status == AnnouncementStatus.CONFIRMED, Announcement.send_at <= now)
        .order_by(Announcement.send_at.desc(), Announcement.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


async def deliveries(session: AsyncSession, announcement_id: int) -> list[Row]:
    """Each delivery of the announcement with its account and person, for operators."""
    query = (
        select(
            Delivery.id,
            Delivery.kind,
            Delivery.status,
            Delivery.error,
            Delivery.sent_at,
            Account.platform,
            Account.external_id,
            Person.display_name,
        )
        .join(Account, Account.id == Delivery.account_id)
        .join(Person, Person.id == Account.person_id)
        .where(Delivery.announcement_id == announcement_id)
        .order_by(Delivery.kind, Delivery.id)
    )
    return list(await session.execute(query))


async def sent_messages(
    session: AsyncSession, corrections: list[Delivery]
) -> dict[tuple[int, int], str]:
    """For corrections: the platform's id of the announcement message each one corrects,
    keyed by (announcement id, account id)."""
    if not corrections:
        return {}
    rows = await session.execute(
        select(Delivery.announcement_id, Delivery.account_id, Delivery.message_id).where(
            Delivery.kind == "announcement",
            outbox.TEXT_WENT_OUT,
            Delivery.announcement_id.in_(sorted({d.announcement_id for d in corrections})),
            Delivery.account_id.in_(sorted({d.account_id for d in corrections})),
        )
    )
    return {(a, b): message for a, b, message in rows if message}
