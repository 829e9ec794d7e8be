"""The delivery outbox: enqueue once per key, claim due rows (several processes sharing the
work on PostgreSQL), and record what became of each."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Delivery, DeliveryStatus

LEASE = timedelta(minutes=2)  # a claimed row not settled by then goes back to pending
BATCH = 500  # rows a statement inserts at a time
# A row whose message went out: sent, or its text sent and its attachments still to come.
TEXT_WENT_OUT = Delivery.message_id.is_not(None)
WITHHELD = "attachments withheld"  # the error of a row whose text went out, then withdrawn


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


async def _expire_and_recover(session: AsyncSession, now: datetime) -> None:
    """Before claiming: pending rows past their deadline expire; rows whose claim ran out
    (a process died while sending) return to pending."""
    await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.expires_at <= now)
        .values(status=DeliveryStatus.EXPIRED, error="the meeting had started")
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_until <= now)
        .values(status=DeliveryStatus.PENDING)
    )


def _on(platforms: list[str]) -> Any:
    """Rows addressed to accounts on these platforms."""
    return Delivery.account_id.in_(select(Account.id).where(Account.platform.in_(platforms)))


async def claim(
    session: AsyncSession, now: datetime, limit: int, platforms: list[str]
) -> list[Delivery]:
    """Take up to `limit` due rows for accounts on `platforms` (those this process can reach).
    On PostgreSQL rows another process has locked are skipped (FOR UPDATE SKIP LOCKED);
    SQLite serialises writers anyway."""
    await _expire_and_recover(session, now)
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
            claimed_until=now + LEASE,
            attempts=Delivery.attempts + 1,
        )
        .returning(Delivery)
        .execution_options(synchronize_session=False)
    )
    return await _latest_reminders_only(session, sorted(claimed, key=lambda d: (d.due_at, d.id)))


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


async def settle(session: AsyncSession, outcomes: list[dict[str, Any]]) -> None:
    """Record outcomes: each a dict with the row's id and the columns to set (one
    executemany per set of columns)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for outcome in outcomes:
        by_columns.setdefault(tuple(sorted(outcome)), []).append(outcome)
    for rows in by_columns.values():
        await session.execute(update(Delivery), rows)


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
