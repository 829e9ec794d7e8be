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
from sqlalchemy.orm import selectinload

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

    def as_json(self) -> dict[str, Any]:
        """What a draft keeps of it (dates and instants in ISO form)."""
        return {
            name: plain([value])[0]
            for name, value in vars(self).items()
            if value not in (None, False)
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MeetingFields:
        values = dict(data)
        if "local_date" in values:
            values["local_date"] = date.fromisoformat(values["local_date"])
        if "start" in values:
            values["start"] = datetime.fromisoformat(values["start"])
        if "issue_keys" in values:
            values["issue_keys"] = tuple(values["issue_keys"])
        if "status" in values:
            values["status"] = MeetingStatus(values["status"])
        return cls(**values)


class ProgrammeEditError(ValueError):
    """A change that cannot be made; the message says why, and nothing was changed."""


class AlreadyInProgramme(ProgrammeEditError):
    """The meeting to add is in the programme already: same day, time, room and key issues."""

    def __init__(self, key: str) -> None:
        super().__init__(f"already in the programme as {key}")
        self.key = key


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
    issues_before: list[int] | None = None,
) -> int:
    """A new meeting is told to its subscribers and gets its reminders; a changed one its
    change notices, new reminders and a new sequence number for calendars. Returns how many
    were told."""
    if not existed or changed:
        meeting.sequence = (meeting.sequence or 0) + (1 if existed else 0)
        meeting.updated_at = now
    noticed = {f: plain(v) for f, v in changed.items() if f in NOTICED_FIELDS}
    if not existed:
        return await reminders.meeting_added(session, meeting, now)
    if noticed:
        return await reminders.meeting_changed(session, meeting, noticed, now, issues_before)
    return 0


async def _issues(session: AsyncSession, keys: tuple[str, ...]) -> list[KeyIssue]:
    found = {
        i.key: i for i in await session.scalars(select(KeyIssue).where(KeyIssue.key.in_(keys)))
    }
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise ProgrammeEditError(f"unknown key issue {unknown[0]!r}")
    return [found[key] for key in keys]


async def _free_key(session: AsyncSession, prefix: str) -> str:
    """The next reference of the programme ("ign70-6" after "ign70-5"): never a date, so that
    it still names the meeting after the meeting moves."""
    numbers = [
        int(key.rsplit("-", 1)[1])
        for key in await session.scalars(select(Meeting.key).where(Meeting.key.like(f"{prefix}-%")))
        if key.rsplit("-", 1)[1].isdigit()
    ]
    return f"{prefix}-{max(numbers, default=0) + 1}"


async def clashes(session: AsyncSession, meeting: Meeting) -> list[Meeting]:
    """Other meetings of the programme in the same slot: the same day and time (or both to be
    announced), in whatever room (one delegation cannot sit in two)."""
    query = select(Meeting).where(
        Meeting.local_date == meeting.local_date,
        Meeting.id != meeting.id,
        Meeting.status != MeetingStatus.CANCELLED,
    )
    return [other for other in await session.scalars(query) if other.starts_at == meeting.starts_at]


async def add_meeting(
    session: AsyncSession, fields: MeetingFields, zone: str, now: datetime, prefix: str
) -> tuple[Meeting, int]:
    """A new scheduled meeting on `fields.local_date` (its time may be to be announced),
    referenced `prefix-N`; returns it and how many subscribers are told."""
    day = fields.start.astimezone(ZoneInfo(zone)).date() if fields.start else fields.local_date
    if day is None:
        raise ProgrammeEditError("a meeting needs a date")
    issues = await _issues(session, fields.issue_keys or ())
    same_day = select(Meeting).where(Meeting.local_date == day)
    for other in await session.scalars(same_day.options(selectinload(Meeting.key_issues))):
        if _same(other, fields, issues):
            raise AlreadyInProgramme(other.key)
    meeting = Meeting(
        key=await _free_key(session, prefix),
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
    meeting.key_issues = issues
    session.add(meeting)
    await session.flush()
    return meeting, await notify(session, meeting, existed=False, changed={}, now=now)


def _same(meeting: Meeting, fields: MeetingFields, issues: list[KeyIssue]) -> bool:
    return (
        meeting.status != MeetingStatus.CANCELLED
        and meeting.starts_at == fields.start
        and (meeting.room or "").casefold() == (fields.room or "").casefold()
        and {i.id for i in meeting.key_issues} == {i.id for i in issues}
    )


async def change_meeting(
    session: AsyncSession, meeting: Meeting, fields: MeetingFields, now: datetime
) -> tuple[dict[str, list[Any]], int]:
    """Apply the fields that differ; returns them as {field: [old, new]} (empty: no change),
    and how many subscribers are told."""
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
    before = list(await meeting.awaitable_attrs.key_issues)
    if fields.issue_keys is not None:
        current = [issue.key for issue in before]
        if set(current) != set(fields.issue_keys):
            meeting.key_issues = await _issues(session, fields.issue_keys)
            changed["key_issues"] = [current, list(fields.issue_keys)]
    if not changed:
        return changed, 0
    meeting.sort_at, meeting.until_at = place_in_time(
        meeting.local_date, meeting.starts_at, meeting.timezone
    )
    await session.flush()
    told = await notify(session, meeting, True, changed, now, [i.id for i in before])
    return changed, told
