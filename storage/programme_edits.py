"""Changing the programme one meeting at a time (the Chair's office, from chat or the command
line): add, edit, postpone, cancel. Every change re-plans reminders and notifies those already
reminded, exactly as an import does."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import reminders
from storage.meetings import place_in_time
from storage.models import KeyIssue, Meeting, MeetingStatus

NOTICED_FIELDS = ("starts_at", "local_date", "room", "key_issues", "status")


@dataclass(frozen=True)
class MeetingFields:
    """What may be set on a meeting; None leaves a field as it is (`clear_time` makes the
    time "to be announced")."""

    local_date: date | None = None
    start: datetime | None = None
    clear_time: bool = False
    room: str | None = None
    issue_keys: tuple[str, ...] | None = None
    title: str | None = None
    notes: str | None = None
    status: MeetingStatus | None = None


class ProgrammeEditError(ValueError):
    """A change that cannot be made; the message says why, and nothing was changed."""


def plain(values: list[Any]) -> list[Any]:
    """[old, new] as JSON can keep them (instants and dates in ISO form)."""
    return [
        v.isoformat()
        if isinstance(v, date | datetime)
        else v.value
        if isinstance(v, enum.Enum)
        else v
        for v in values
    ]


async def notify(
    session: AsyncSession,
    meeting: Meeting,
    existed: bool,
    changed: dict[str, list[Any]],
    now: datetime,
) -> None:
    """A new meeting gets its reminders; a changed one its change notices too, and a new
    sequence number for calendars."""
    if not existed or changed:
        meeting.sequence = (meeting.sequence or 0) + (1 if existed else 0)
        meeting.updated_at = now
    noticed = {f: plain(v) for f, v in changed.items() if f in NOTICED_FIELDS}
    if not existed:
        await reminders.plan_meeting(session, meeting, now)
    elif noticed:
        await reminders.meeting_changed(session, meeting, noticed, now)


async def _issues(session: AsyncSession, keys: tuple[str, ...]) -> list[KeyIssue]:
    found = {
        i.key: i for i in await session.scalars(select(KeyIssue).where(KeyIssue.key.in_(keys)))
    }
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise ProgrammeEditError(f"unknown key issue {unknown[0]!r}")
    return [found[key] for key in keys]


async def _free_key(session: AsyncSession, day: date) -> str:
    taken = set(
        await session.scalars(select(Meeting.key).where(Meeting.key.like(f"{day.isoformat()}%")))
    )
    key, number = day.isoformat(), 1
    while key in taken:
        number += 1
        key = f"{day.isoformat()}-{number}"
    return key


async def add_meeting(
    session: AsyncSession, fields: MeetingFields, zone: str, now: datetime
) -> Meeting:
    """A new scheduled meeting on `fields.local_date` (its time may be to be announced)."""
    day = fields.start.astimezone(ZoneInfo(zone)).date() if fields.start else fields.local_date
    if day is None:
        raise ProgrammeEditError("a meeting needs a date")
    meeting = Meeting(
        key=await _free_key(session, day),
        title=fields.title,
        local_date=day,
        starts_at=fields.start,
        timezone=zone,
        room=fields.room,
        status=MeetingStatus.SCHEDULED,
        notes=fields.notes,
        sources=[],
    )
    meeting.sort_at, meeting.until_at = place_in_time(day, fields.start, zone)
    meeting.key_issues = await _issues(session, fields.issue_keys or ())
    session.add(meeting)
    await session.flush()
    await notify(session, meeting, existed=False, changed={}, now=now)
    return meeting


async def change_meeting(
    session: AsyncSession, meeting: Meeting, fields: MeetingFields, now: datetime
) -> dict[str, list[Any]]:
    """Apply the fields that differ; returns them as {field: [old, new]} (empty: no change)."""
    wanted: dict[str, Any] = {
        "room": fields.room,
        "title": fields.title,
        "notes": fields.notes,
        "status": fields.status,
    }
    if fields.start is not None:
        wanted["starts_at"] = fields.start
        wanted["local_date"] = fields.start.astimezone(ZoneInfo(meeting.timezone)).date()
    elif fields.local_date is not None:
        wanted["local_date"] = fields.local_date
        if meeting.starts_at is not None and not fields.clear_time:
            local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
            wanted["starts_at"] = datetime.combine(fields.local_date, local.timetz())
    if fields.clear_time:
        wanted["starts_at"] = None
    changed = {}
    for name, value in wanted.items():
        old = getattr(meeting, name)
        if (value is not None or name == "starts_at") and old != value:
            changed[name] = [old, value]
            setattr(meeting, name, value)
    if fields.issue_keys is not None:
        current = [issue.key for issue in await meeting.awaitable_attrs.key_issues]
        if set(current) != set(fields.issue_keys):
            meeting.key_issues = await _issues(session, fields.issue_keys)
            changed["key_issues"] = [current, list(fields.issue_keys)]
    if changed:
        meeting.sort_at, meeting.until_at = place_in_time(
            meeting.local_date, meeting.starts_at, meeting.timezone
        )
        await session.flush()
        await notify(session, meeting, existed=True, changed=changed, now=now)
    return changed
