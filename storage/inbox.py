"""The inbox: what a platform delivered and Plenary acknowledged, kept until it is handled."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxEvent
from storage.once import insert_if_absent


async def keep(
    session: AsyncSession, platform: str, key: str, body: str, content_type: str, now: datetime
) -> int | None:
    """Store an event before it is acknowledged: its row id, or None when its key is already
    kept (the platform delivered it again)."""
    values = {
        "platform": platform,
        "key": key,
        "body": body,
        "content_type": content_type,
        "received_at": now,
    }
    if not await insert_if_absent(session, InboxEvent, values):
        return None
    return await session.scalar(
        select(InboxEvent.id).where(InboxEvent.platform == platform, InboxEvent.key == key)
    )


async def claim(
    session: AsyncSession, event_id: int, now: datetime, lease: timedelta
) -> InboxEvent | None:
    """Take an unhandled event for `lease`; None if it is handled, or held by a handler whose
    lease still runs (a guarded update: two processes never both take it)."""
    taken = await session.execute(
        update(InboxEvent)
        .where(
            InboxEvent.id == event_id,
            InboxEvent.handled_at.is_(None),
            or_(InboxEvent.claimed_until.is_(None), InboxEvent.claimed_until < now),
        )
        .values(claimed_until=now + lease)
    )
    if taken.rowcount != 1:
        return None
    return await session.get(InboxEvent, event_id)


async def handled(session: AsyncSession, event_id: int, now: datetime) -> None:
    await session.execute(
        update(InboxEvent).where(InboxEvent.id == event_id).values(handled_at=now)
    )


async def waiting(
    session: AsyncSession, platform: str, now: datetime, limit: int = 100
) -> list[int]:
    """Events unhandled and held by nobody (their handler died, never started, or is about to
    claim them: `claim` lets one win), oldest first."""
    return list(
        await session.scalars(
            select(InboxEvent.id)
            .where(
                InboxEvent.platform == platform,
                InboxEvent.handled_at.is_(None),
                or_(InboxEvent.claimed_until.is_(None), InboxEvent.claimed_until < now),
            )
            .order_by(InboxEvent.received_at, InboxEvent.id)
            .limit(limit)
        )
    )


async def forget_handled(session: AsyncSession, platform: str, before: datetime) -> None:
    """Drop events handled before `before`: a re-delivery after that acts as new (the
    platforms retry for minutes, not days)."""
    await session.execute(
        delete(InboxEvent).where(InboxEvent.platform == platform, InboxEvent.handled_at < before)
    )
