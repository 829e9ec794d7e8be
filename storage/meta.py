"""Key-value facts about the database: the programme it holds, the demo clock, revisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MetaEntry

REVISION = "programme_revision"  # kept by storage.revisions


async def get(session: AsyncSession, key: str) -> str | None:
    return await session.scalar(select(MetaEntry.value).where(MetaEntry.key == key))


async def put(session: AsyncSession, key: str, value: str) -> None:
    entry = await session.get(MetaEntry, key)
    if entry is None:
        session.add(MetaEntry(key=key, value=value))
    else:
        entry.value = value


async def revision(session: AsyncSession) -> int:
    """A number that grows with every change to programme data (see storage.revisions)."""
    return int(await get(session, REVISION) or 0)


async def demo_clock_start(session: AsyncSession) -> datetime | None:
    """Where the clock starts on demo data; None for a real programme."""
    value = await get(session, "demo_clock_starts_at")
    return datetime.fromisoformat(value) if value else None


async def programme_settings(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(
        select(MetaEntry.key, MetaEntry.value).where(MetaEntry.key.like("programme_%"))
    )
    return {key.removeprefix("programme_"): value for key, value in rows}
