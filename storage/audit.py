"""The audit log: every write by the Chair's office or a focal point, and every refusal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    session: AsyncSession,
    now: datetime,
    person_id: int | None,
    platform: str,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
    allowed: bool = True,
) -> None:
    session.add(
        AuditEntry(
            at=now,
            person_id=person_id,
            platform=platform,
            action=action,
            target=target,
            before=before,
            after=after,
            allowed=allowed,
        )
    )
    await session.flush()


async def recent(session: AsyncSession, limit: int = 20) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(await session.scalars(query))
