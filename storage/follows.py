"""Following positions: of a delegation, or on a key issue; a notice for every new version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.models import DeliveryStatus, Follow, Position, PositionVersion
from storage.subscriptions import reaching_accounts


async def follow(
    session: AsyncSession,
    person_id: int,
    delegation_id: int | None,
    issue_id: int | None,
    now: datetime,
) -> bool:
    """Follow a delegation or a key issue; False when already followed."""
    existing = await session.scalar(
        select(Follow.id).where(
            Follow.person_id == person_id,
            Follow.delegation_id.is_(None)
            if delegation_id is None
            else Follow.delegation_id == delegation_id,
            Follow.key_issue_id.is_(None) if issue_id is None else Follow.key_issue_id == issue_id,
        )
    )
    if existing is not None:
        return False
    session.add(
        Follow(
            person_id=person_id, delegation_id=delegation_id, key_issue_id=issue_id, created_at=now
        )
    )
    await session.flush()
    return True


async def unfollow(session: AsyncSession, person_id: int, follow_ids: list[int] | None) -> int:
    """Stop following some (or, with None, all); returns how many."""
    query = delete(Follow).where(Follow.person_id == person_id)
    if follow_ids is not None:
        query = query.where(Follow.id.in_(follow_ids))
    return (await session.execute(query)).rowcount


async def of_person(session: AsyncSession, person_id: int) -> list[Follow]:
    query = select(Follow).where(Follow.person_id == person_id).order_by(Follow.id)
    return list(await session.scalars(query))


async def tell_followers(
    session: AsyncSession, version: PositionVersion, author_id: int | None, now: datetime
) -> int:
    """Enqueue a notice of a new version to everyone following its delegation or key issue
    (but its author), once per version and account."""
    position = await session.get(Position, version.position_id)
    followers = select(Follow.person_id).where(
        or_(
            Follow.delegation_id == position.delegation_id,
            Follow.key_issue_id == position.key_issue_id,
        )
    )
    if author_id is not None:
        followers = followers.where(Follow.person_id != author_id)
    rows = [
        {
            "key": f"position:{version.id}:{account.id}",
            "kind": "position",
            "account_id": account.id,
            "version_id": version.id,
            "payload": {},
            "status": DeliveryStatus.PENDING,
            "due_at": now,
            "attempts": 0,
            "created_at": now,
        }
        for account in await reaching_accounts(session, followers)
    ]
    return await outbox.enqueue(session, rows)
