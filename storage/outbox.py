"""The delivery outbox: enqueue once per key, claim due rows (several processes sharing the
work on PostgreSQL), and record what became of each, only while holding the claim."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage import quiet_hours
from storage.models import Account, Delivery, DeliveryStatus

# A claim lasts this long in real time unless its holder renews it (it does while its sends
# are alive): a process that dies hands its rows over after at most this.
LEASE = timedelta(seconds=30)
# A row that fails is retried with backoff, then given up (status failed) after this many
# attempts or this long after its first attempt, whichever comes first.
MAX_ATTEMPTS = 10
GIVE_UP_AFTER = timedelta(hours=24)
BATCH = 500  # rows a statement inserts at a time
# A row whose message went out: sent, or its text sent and its attachments still to come.
TEXT_WENT_OUT = Delivery.message_id.is_not(None)
WITHHELD = "attachments withheld"  # the error of a row whose text went out, then withdrawn
GAVE_UP = "gave up"  # the start of the error of a row given up


def new_token(owner: str) -> str:
    """A claim's fencing token: the owner's name and a part no other claim has."""
    return f"{owner[:40]}/{secrets.token_hex(8)}"


@dataclass(frozen=True)
class Lease:
    """A claim: its token, and until when it holds (real time, whatever the clock says)."""

    token: str
    until: datetime


@dataclass
class Claimed:
    """What a claim took, and what it gave up on the way (rows failed too often or too long:
    their announcements may now be complete)."""

    rows: list[Delivery]
    gave_up: int = 0
    announcements_settled: set[int] = field(default_factory=set)


async def enqueue(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert deliveries whose key is new; returns how many were new."""
    dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
    added = 0
    statement = (
        dialect.insert(Delivery)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Delivery.id)
    )
    for start in range(0, len(rows), BATCH):
        result = await session.execute(statement, rows[start : start + BATCH])
        added += len(result.all())
    return added


def _lockable(*conditions: Any) -> Any:
    """Rows meeting `conditions`, locked in the order of their ids and skipping those another
    transaction holds: statements touching many rows from several processes and tasks (sweeps,
    settling, lease renewal) then never wait for each other in a circle (a deadlock)."""
    return (
        select(Delivery.id)
        .where(*conditions)
        .order_by(Delivery.id)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )


def _sweep(conditions: list[Any], **values: Any) -> Any:
    return (
        update(Delivery)
        .where(Delivery.id.in_(_lockable(*conditions)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def _expire_and_recover(
    session: AsyncSession, now: datetime, real_now: datetime
) -> tuple[int, set[int]]:
    """Before claiming: pending rows past their deadline expire; rows whose lease ran out (a
    process died while sending) return to pending; rows tried too often or for too long are
    given up. Rows another process is sweeping are left to it. Returns how many were given up,
    and their announcements."""
    pending = Delivery.status == DeliveryStatus.PENDING
    await session.execute(
        _sweep(
            [pending, Delivery.expires_at <= now],
            status=DeliveryStatus.EXPIRED,
            error="the meeting had started",
        )
    )
    await session.execute(
        _sweep(
            [Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_until <= real_now],
            status=DeliveryStatus.PENDING,
            claim_token=None,
            claimed_until=None,
        )
    )
    announcements: list[int | None] = []
    for too_much, why in (
        (Delivery.attempts >= MAX_ATTEMPTS, f"{GAVE_UP} after {MAX_ATTEMPTS} attempts"),
        (Delivery.first_tried_at <= now - GIVE_UP_AFTER, f"{GAVE_UP}: still failing after a day"),
    ):
        given_up = await session.scalars(
            _sweep([pending, too_much], status=DeliveryStatus.FAILED, error=why).returning(
                Delivery.announcement_id
            )
        )
        announcements.extend(given_up)
    return len(announcements), {a for a in announcements if a is not None}


def _on(platforms: list[str]) -> Any:
    """Rows addressed to accounts on these platforms."""
    return Delivery.account_id.in_(select(Account.id).where(Account.platform.in_(platforms)))


async def claim(
    session: AsyncSession,
    now: datetime,
    lease: Lease,
    real_now: datetime,
    limit: int,
    platforms: list[str],
) -> Claimed:
    """Take up to `limit` due rows for accounts on `platforms` (those this process can reach)
    under `lease`. On PostgreSQL rows another process has locked are skipped (FOR UPDATE
    SKIP LOCKED); SQLite serialises writers anyway."""
    gave_up, settled = await _expire_and_recover(session, now, real_now)
    due = (
        select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now, _on(platforms))
        .order_by(Delivery.due_at, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(due.scalar_subquery()))
        .values(
            status=DeliveryStatus.SENDING,
            claim_token=lease.token,
            claimed_until=lease.until,
            attempts=Delivery.attempts + 1,
            first_tried_at=func.coalesce(Delivery.first_tried_at, now),
        )
        .returning(Delivery)
        .execution_options(synchronize_session=False)
    )
    ordered = sorted(claimed, key=lambda d: (d.due_at, d.id))
    latest = await _latest_reminders_only(session, ordered)
    # Quiet hours and "digest only" decided now, in the claim's transaction: no other
    # process sees a held row as being sent.
    sorted_rows = await quiet_hours.sort_claimed(session, latest, now)
    settled |= await quiet_hours.settle_sorted(session, sorted_rows, now)
    return Claimed(sorted_rows.send, gave_up, settled)


async def _latest_reminders_only(session: AsyncSession, claimed: list[Delivery]) -> list[Delivery]:
    """After downtime several reminders of one meeting may be due for one account: send the
    latest (the one nearest the meeting); the others expire."""
    latest: dict[tuple[int | None, int], Delivery] = {}
    for delivery in claimed:
        if delivery.kind == "reminder":
            latest[(delivery.meeting_id, delivery.account_id)] = delivery  # sorted by due_at
    kept = set(map(id, latest.values()))
    superseded = [d.id for d in claimed if d.kind == "reminder" and id(d) not in kept]
    if superseded:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(superseded))
            .values(status=DeliveryStatus.EXPIRED, error="superseded by a later reminder")
            .execution_options(synchronize_session=False)
        )
    return [d for d in claimed if d.kind != "reminder" or id(d) in kept]


def _in_order(condition: Any) -> Any:
    """Rows meeting `condition`, locked in the order of their ids (waiting for them: a claim's
    settling and its lease's renewal take the same rows, in the same order)."""
    return (
        select(Delivery.id).where(condition).order_by(Delivery.id).with_for_update()
    ).scalar_subquery()


def _held(token: str, ids: list[int]) -> Any:
    return and_(
        Delivery.id.in_(ids),
        Delivery.claim_token == token,
        Delivery.status == DeliveryStatus.SENDING,
    )


async def settle(session: AsyncSession, token: str, outcomes: list[dict[str, Any]]) -> set[int]:
    """Record outcomes (each a dict with the row's id and the columns to set) for the rows
    still held under the claim `token`; returns their ids. A row whose lease ran out and
    was claimed again belongs to its new holder: its outcome here is dropped."""
    if not outcomes:
        return set()
    # Lock the rows still ours first (a write: SQLite's lock, PostgreSQL's row locks), so
    # that nobody takes them over between the check and the update.
    held = set(
        await session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(_in_order(_held(token, [o["id"] for o in outcomes]))))
            .values(claimed_until=Delivery.claimed_until)
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
    )
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for outcome in outcomes:
        if outcome["id"] in held:
            row = {**outcome, "claim_token": None, "claimed_until": None}
            by_columns.setdefault(tuple(sorted(row)), []).append(row)
    for rows in by_columns.values():
        await session.execute(update(Delivery), rows)
    return held


async def renew(session: AsyncSession, lease: Lease) -> int:
    """Extend a claim whose sends are still alive; returns how many rows it still holds."""
    mine = and_(Delivery.claim_token == lease.token, Delivery.status == DeliveryStatus.SENDING)
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(_in_order(mine)))
        .values(claimed_until=lease.until)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def release(session: AsyncSession, token: str, ids: list[int]) -> int:
    """Hand back claimed rows that were never sent (e.g. at shutdown): pending again at
    once, the attempt not counted."""
    if not ids:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(_in_order(_held(token, ids))))
        .values(
            status=DeliveryStatus.PENDING,
            claim_token=None,
            claimed_until=None,
            attempts=Delivery.attempts - 1,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def next_due(session: AsyncSession, platforms: list[str]) -> datetime | None:
    """When the earliest pending row for these platforms falls due."""
    return await session.scalar(
        select(func.min(Delivery.due_at)).where(
            Delivery.status == DeliveryStatus.PENDING, _on(platforms)
        )
    )


async def drop_pending(session: AsyncSession, *conditions: Any) -> int:
    """Remove pending rows that are no longer wanted (e.g. a cancelled meeting's reminders)
    and never sent: they leave nothing to remember, and their keys may be planned again."""
    result = await session.execute(
        delete(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, ~TEXT_WENT_OUT, and_(*conditions))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def withhold_attachments(session: AsyncSession, now: datetime, *conditions: Any) -> int:
    """Settle the pending rows whose text went out, their attachments still to come: the
    attachments will not follow (e.g. the announcement was withdrawn). Returns how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, TEXT_WENT_OUT, and_(*conditions))
        .values(status=DeliveryStatus.SENT, sent_at=now, error=WITHHELD)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
