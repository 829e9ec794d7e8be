"""Private calendar feeds: a secret token per person (only its hash stored), and the meetings
the feed shows."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CalendarFeed, Meeting, MeetingKeyIssue, Subscription


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def new_token(session: AsyncSession, person_id: int, now: datetime) -> str:
    """A fresh token for the person's feed; any earlier one stops working."""
    await session.execute(delete(CalendarFeed).where(CalendarFeed.person_id == person_id))
    token = secrets.token_urlsafe(24)
    session.add(CalendarFeed(person_id=person_id, token_hash=_hash(token), created_at=now))
    await session.flush()
    return token


async def has_feed(session: AsyncSession, person_id: int) -> bool:
    found = await session.scalar(select(CalendarFeed.id).where(CalendarFeed.person_id == person_id))
    return found is not None


async def by_token(session: AsyncSession, token: str) -> CalendarFeed | None:
    """The feed a token opens (looked up by hash), or None."""
    if not 8 <= len(token) <= 100:
        return None
    return await session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))


def last_changed(feed: CalendarFeed, body: bytes, now: datetime) -> datetime:
    """When the feed last became what `body` is: now if it differs from what was served
    before (remembered by its digest), else the time already recorded (Last-Modified)."""
    digest = hashlib.sha256(body).hexdigest()
    if feed.etag != digest or feed.changed_at is None:
        feed.etag, feed.changed_at = digest, now
    return feed.changed_at


async def followed_meetings(session: AsyncSession, person_id: int) -> list[Meeting]:
    """The meetings a person follows: all of them when subscribed to every meeting or to
    nothing yet, else those on the key issues followed. Cancelled ones stay (as cancelled)."""
    issues = list(
        await session.scalars(
            select(Subscription.key_issue_id).where(Subscription.person_id == person_id)
        )
    )
    query = select(Meeting).order_by(Meeting.sort_at)
    if issues and None not in issues:
        on_issues = select(MeetingKeyIssue.meeting_id).where(
            MeetingKeyIssue.key_issue_id.in_(issues)
        )
        query = query.where(Meeting.id.in_(on_issues))
    return list(await session.scalars(query))
