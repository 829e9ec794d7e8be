"""Queries about meetings: what comes next, what is on a day, one meeting's details."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Meeting, MeetingKeyIssue, MeetingStatus

LONGEST_DAY = timedelta(hours=25)  # a local day, at most (the day clocks go back)


def place_in_time(
    local_date: date, starts_at: datetime | None, zone: str
) -> tuple[datetime, datetime]:
    """The (sort_at, until_at) pair of a meeting: see `Meeting`."""
    if starts_at is not None:
        return starts_at, starts_at
    tz = ZoneInfo(zone)
    midnight = datetime.combine(local_date, time(), tz)
    next_midnight = datetime.combine(local_date + timedelta(days=1), time(), tz)
    return midnight, next_midnight


def _not_over(now: datetime):
    """Meetings still to come. The bound on sort_at adds nothing logically (a meeting's
    until_at is at most a day after its sort_at) but lets the database walk the sort_at index
    in order and stop at the limit."""
    return (Meeting.until_at > now) & (Meeting.sort_at > now - LONGEST_DAY)


async def upcoming(
    session: AsyncSession,
    now: datetime,
    limit: int = 10,
    only_scheduled: bool = False,
    offset: int = 0,
) -> list[Meeting]:
    """Meetings that have not started yet (date-only ones until their day is over)."""
    query = select(Meeting).where(_not_over(now))
    if only_scheduled:  # neither cancelled nor postponed
        query = query.where(Meeting.status == MeetingStatus.SCHEDULED)
    query = query.order_by(Meeting.sort_at, Meeting.id).limit(limit).offset(offset)
    return list(await session.scalars(query))


async def set_apart(session: AsyncSession, now: datetime, limit: int = 10) -> list[Meeting]:
    """Meetings postponed or cancelled that would not be over yet: shown apart from those
    that will be held."""
    query = select(Meeting).where(_not_over(now), Meeting.status != MeetingStatus.SCHEDULED)
    return list(await session.scalars(query.order_by(Meeting.sort_at, Meeting.id).limit(limit)))


async def next_meeting(session: AsyncSession, now: datetime) -> Meeting | None:
    meetings = await upcoming(session, now, limit=1, only_scheduled=True)
    return meetings[0] if meetings else None


async def on_date(session: AsyncSession, day: date) -> list[Meeting]:
    query = select(Meeting).where(Meeting.local_date == day).order_by(Meeting.sort_at)
    return list(await session.scalars(query))


async def announced(session: AsyncSession, day: date, start: datetime | None) -> Meeting | None:
    """The meeting already in the programme that a letter's proposal names: the same day, and
    the same time when the letter gives one."""
    for meeting in await on_date(session, day):
        if start is None or meeting.starts_at == start:
            return meeting
    return None


async def by_key(session: AsyncSession, key: str) -> Meeting | None:
    return await session.scalar(select(Meeting).where(Meeting.key == key))


async def on_issue(
    session: AsyncSession, issue_id: int, now: datetime, limit: int = 5
) -> list[Meeting]:
    query = (
        select(Meeting)
        .join(MeetingKeyIssue)
        .where(MeetingKeyIssue.key_issue_id == issue_id, _not_over(now))
        .order_by(Meeting.sort_at)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def previous(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    """The meeting held before this one (cancelled ones aside)."""
    query = (
        select(Meeting)
        .where(Meeting.sort_at < meeting.sort_at, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.sort_at.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def between(session: AsyncSession, first: date, last: date) -> list[Meeting]:
    """The meetings held from `first` to `last`, both days included."""
    query = (
        select(Meeting)
        .where(Meeting.local_date >= first, Meeting.local_date <= last)
        .order_by(Meeting.sort_at, Meeting.id)
    )
    return list(await session.scalars(query))
