"""Programme management for the Chair's office: add, edit, postpone and cancel meetings."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.dates import NoSuchDay, find_date
from bot.core.messages import Reply, bold, italic
from bot.core.when import NoSuchTime, find_time, local_instant
from handlers.meetings import describe, meeting_title
from handlers.roles import CHAIR_ONLY
from storage import meetings
from storage.models import Meeting, MeetingStatus
from storage.programme_edits import (
    MeetingFields,
    ProgrammeEditError,
    add_meeting,
    change_meeting,
    plain,
)

ADD_USAGE = "/addmeeting DATE [TIME]; [ROOM]; [KEY ISSUES]; [TITLE]"
EDIT_USAGE = "/editmeeting REFERENCE date|time|room|issues|title|notes VALUE"
TBA = ("tba", "to be announced", "none", "-")


class _Unclear(ValueError):
    """What was typed cannot be read; the message says what is expected."""


def _when(ctx: Context, text: str) -> MeetingFields:
    """A date, with a time if one is given, at the venue."""
    try:
        day = find_date(text, ctx.today)
    except NoSuchDay as error:
        raise _Unclear(ctx._("There is no such day as “{day}”.").format(day=error)) from None
    if day is None:
        raise _Unclear(ctx._("Give the date, e.g. 7 March 2016 or 2016-03-07."))
    at = _time(ctx, text)
    if at is None:
        return MeetingFields(local_date=day)
    return MeetingFields(local_date=day, start=local_instant(day, at, ctx.venue_zone))


def _time(ctx: Context, text: str) -> time | None:
    try:
        return find_time(text)
    except NoSuchTime as error:
        raise _Unclear(ctx._("“{time}” is not a time of day.").format(time=error)) from None


def _issue_keys(ctx: Context, text: str) -> tuple[str, ...]:
    if text.strip().casefold() in TBA:
        return ()
    issues = ctx.names.mentions(text).issues
    if not issues:
        raise _Unclear(
            ctx._("I know no key issue in “{text}”. Name them, e.g. veto, size.").format(text=text)
        )
    return tuple(dict.fromkeys(issue.key for issue in issues))


def _added_fields(ctx: Context, text: str) -> MeetingFields:
    parts = [part.strip() for part in text.split(";")] + ["", "", ""]
    when = _when(ctx, parts[0])
    return MeetingFields(
        local_date=when.local_date,
        start=when.start,
        room=parts[1] or None,
        issue_keys=_issue_keys(ctx, parts[2]) if parts[2] else (),
        title=parts[3] or None,
    )


def _edited_fields(ctx: Context, meeting: Meeting, what: str, value: str) -> MeetingFields:
    if what == "time":
        if value.casefold() in TBA:
            return MeetingFields(clear_time=True)
        at = _time(ctx, value)
        if at is None:
            raise _Unclear(ctx._("Give the time, e.g. 10:00 or 3 p.m., or “tba”."))
        return MeetingFields(start=local_instant(meeting.local_date, at, meeting.timezone))
    if what == "date":
        return MeetingFields(local_date=_when(ctx, value).local_date)
    if what == "issues":
        return MeetingFields(issue_keys=_issue_keys(ctx, value))
    if what in ("room", "title", "notes"):
        return MeetingFields(**{what: value})
    raise _Unclear(ctx._("Change what? Usage: {usage}").format(usage=EDIT_USAGE))


def _show_changes(ctx: Context, reply: Reply, changed: dict[str, list[Any]]) -> None:
    for field, (old, new) in changed.items():
        before, after = plain([old, new])
        reply.item(
            bold(field.replace("_", " ")),
            ": ",
            italic(str(before if before not in (None, "", []) else "—")),
            " → ",
            str(after if after not in (None, "", []) else "—"),
        )


@command("addmeeting", usage=ADD_USAGE, roles=CHAIR_ONLY, personal=True)
async def add(ctx: Context, request: Request) -> Reply:
    """Add a meeting to the programme."""
    if not request.text.strip():
        return Reply().paragraph(ctx._("Usage: {usage}").format(usage=ADD_USAGE))
    try:
        fields = _added_fields(ctx, request.text)
        meeting = await add_meeting(ctx.session, fields, ctx.venue_zone, ctx.now)
    except (_Unclear, ProgrammeEditError) as error:
        return Reply().paragraph(str(error))
    await ctx.audit("add meeting", meeting.key, after=_snapshot(meeting, fields.issue_keys))
    reply = Reply().heading(ctx._("Added: {meeting}").format(meeting=meeting_title(ctx, meeting)))
    describe(ctx, reply, meeting, [i.name for i in meeting.key_issues])
    return reply.note(ctx._("Reference: {key}").format(key=meeting.key))


def _snapshot(meeting: Meeting, issue_keys: tuple[str, ...] | None) -> dict[str, Any]:
    return {
        "date": meeting.local_date.isoformat(),
        "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "room": meeting.room,
        "key_issues": list(issue_keys or ()),
    }


async def _meeting(ctx: Context, key: str) -> Meeting | Reply:
    meeting = await meetings.by_key(ctx.session, key.strip().lower())
    if meeting is None:
        return Reply(not_found=True).paragraph(
            ctx._("I know no meeting with the reference “{key}” (see /meetings).").format(key=key)
        )
    return meeting


async def _apply(ctx: Context, meeting: Meeting, fields: MeetingFields, action: str) -> Reply:
    changed = await change_meeting(ctx.session, meeting, fields, ctx.now)
    if not changed:
        return Reply().paragraph(ctx._("Nothing to change: the meeting is already so."))
    await ctx.audit(
        action,
        meeting.key,
        {f: plain(v)[0] for f, v in changed.items()},
        {f: plain(v)[1] for f, v in changed.items()},
    )
    reply = Reply().heading(ctx._("Changed: {meeting}").format(meeting=meeting_title(ctx, meeting)))
    _show_changes(ctx, reply, changed)
    describe(ctx, reply, meeting, [i.name for i in await meeting.awaitable_attrs.key_issues])
    return reply.note(
        ctx._("Reminders are re-planned; those already reminded get a change notice.")
    )


@command("editmeeting", usage=EDIT_USAGE, roles=CHAIR_ONLY, personal=True)
async def edit(ctx: Context, request: Request) -> Reply:
    """Change a meeting's date, time, room, key issues, title or notes."""
    words = request.text.split(maxsplit=2)
    if len(words) < 3:
        return Reply().paragraph(ctx._("Usage: {usage}").format(usage=EDIT_USAGE))
    found = await _meeting(ctx, words[0])
    if isinstance(found, Reply):
        return found
    try:
        fields = _edited_fields(ctx, found, words[1].lower(), words[2])
        return await _apply(ctx, found, fields, "edit meeting")
    except (_Unclear, ProgrammeEditError) as error:
        return Reply().paragraph(str(error))


@command("postpone", usage="/postpone REFERENCE", roles=CHAIR_ONLY, personal=True)
async def postpone(ctx: Context, request: Request) -> Reply:
    """Postpone a meeting: its new date is to be announced."""
    return await _set_status(ctx, request, MeetingStatus.POSTPONED, "postpone meeting")


@command("cancelmeeting", usage="/cancelmeeting REFERENCE", roles=CHAIR_ONLY, personal=True)
async def cancel(ctx: Context, request: Request) -> Reply:
    """Cancel a meeting: its subscribers are told, its reminders withdrawn."""
    return await _set_status(ctx, request, MeetingStatus.CANCELLED, "cancel meeting")


async def _set_status(ctx: Context, request: Request, status: MeetingStatus, action: str) -> Reply:
    if not request.text.strip():
        return Reply().paragraph(ctx._("Which meeting? Give its reference (see /meetings)."))
    found = await _meeting(ctx, request.text)
    if isinstance(found, Reply):
        return found
    fields = MeetingFields(status=status, clear_time=status == MeetingStatus.POSTPONED)
    return await _apply(ctx, found, fields, action)
