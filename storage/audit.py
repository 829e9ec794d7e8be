"""The audit log: every write by the Chair's office or a focal point, and every refusal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
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
    *,
    user_id: str = "",
) -> None:
    """One entry; `user_id` is the platform's id of the actor's account, kept even when no
    person was stored for it."""
    session.add(
        AuditEntry(
            at=now,
            person_id=person_id,
            platform=platform,
            user_id=user_id[:64],
            action=action,
            target=target,
            before=before,
            after=after,
            allowed=allowed,
        )
    )
    await session.flush()


async def recent(
    session: AsyncSession, limit: int = 20, allowed: bool | None = None
) -> list[AuditEntry]:
    """The latest entries, newest first: writes only (`allowed=True`), refusals only
    (`False`), or both (None)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if allowed is not None:
        query = query.where(AuditEntry.allowed.is_(allowed))
    return list(await session.scalars(query))


async def refusals_since(session: AsyncSession, since: datetime) -> int:
    """How many refusals were recorded from `since` on."""
    return (
        await session.scalar(
            select(func.count()).where(AuditEntry.allowed.is_(False), AuditEntry.at >= since)
        )
        or 0
    )


def actor(entry: AuditEntry) -> str:
    """Who did it, as the log shows it: `#12 telegram:501`, `#- slack:U1`, `#- cli:alice`."""
    person = f"#{entry.person_id}" if entry.person_id is not None else "#-"
    account = f"{entry.platform}:{entry.user_id}" if entry.user_id else entry.platform
    return f"{person} {account}"


def what(entry: AuditEntry) -> str:
    """The action and its target: `invite focal_point`, `roles`."""
    return f"{entry.action} {entry.target}".strip()
