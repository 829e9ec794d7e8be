"""What a reader's digest holds, read from the database for one span of time: meetings,
meetings changed, announcements that reached them, positions they follow, documents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Account,
    Announcement,
    AnnouncementStatus,
    Delivery,
    Document,
    Follow,
    Meeting,
    Position,
    PositionVersion,
)


async def meetings_changed(
    session: AsyncSession, since: datetime, until: datetime, after: datetime
) -> list[Meeting]:
    """Meetings not over by `after` whose time, room, issues or status changed in the span."""
    query = select(Meeting).where(
        Meeting.updated_at > since, Meeting.updated_at <= until, Meeting.until_at >= after
    )
    return list(await session.scalars(query.order_by(Meeting.sort_at, Meeting.id)))


async def announcements_to(
    session: AsyncSession, person_id: int, since: datetime, until: datetime
) -> list[Announcement]:
    """The announcements sent in the span to any account of the person (those they got, and
    those they get in the digest alone), oldest first."""
    theirs = select(Delivery.announcement_id).where(
        Delivery.kind == "announcement",
        Delivery.account_id.in_(select(Account.id).where(Account.person_id == person_id)),
    )
    query = select(Announcement).where(
        Announcement.id.in_(theirs),
        Announcement.status == AnnouncementStatus.CONFIRMED,
        Announcement.send_at > since,
        Announcement.send_at <= until,
    )
    return list(await session.scalars(query.order_by(Announcement.send_at, Announcement.id)))


async def versions_followed(
    session: AsyncSession, person_id: int, since: datetime, until: datetime
) -> list[tuple[PositionVersion, Position]]:
    """New versions in the span of positions the person follows (by delegation or issue)."""
    follows = list(await session.scalars(select(Follow).where(Follow.person_id == person_id)))
    delegations = [f.delegation_id for f in follows if f.delegation_id is not None]
    issues = [f.key_issue_id for f in follows if f.key_issue_id is not None]
    if not follows:
        return []
    query = (
        select(PositionVersion, Position)
        .join(Position, Position.id == PositionVersion.position_id)
        .where(
            or_(Position.delegation_id.in_(delegations), Position.key_issue_id.in_(issues)),
            PositionVersion.created_at > since,
            PositionVersion.created_at <= until,
        )
        .order_by(PositionVersion.created_at, PositionVersion.id)
    )
    return [(version, position) for version, position in await session.execute(query)]


async def documents_new(
    session: AsyncSession, after: date, until: date, since: datetime, up_to: datetime
) -> list[Document]:
    """Letters and documents issued after `after`, up to `until` (days at the venue), or
    brought to Plenary in the span `since`-`up_to` (sent by a delegate or the Chair's office)."""
    query = select(Document).where(
        or_(
            and_(Document.issued_on > after, Document.issued_on <= until),
            and_(Document.brought_at > since, Document.brought_at <= up_to),
        )
    )
    return list(await session.scalars(query.order_by(Document.issued_on, Document.id)))
