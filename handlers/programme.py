"""Programme management for the Chair's office: add, edit, postpone and cancel meetings. Each
change is previewed with the notice its subscribers will get and how many will get it, and
made on Confirm."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.dates import NoSuchDay, find_date
from bot.core.drafts import draft_kind
from bot.core.messages import Reply, bold
from bot.core.timefmt import long_date
from bot.core.when import NoSuchTime, find_offset, find_time, local_instant
from handlers.meetings import describe, meeting_title
from handlers.notices import change_lines, change_notice, new_meeting_notice
from handlers.roles import CHAIR_ONLY
from storage import meetings
from storage.models import Draft, Meeting, MeetingStatus
from storage.programme_edits import (
    NOTICED_FIELDS,
    AlreadyInProgramme,
    MeetingFields,
    ProgrammeEditError,
    add_meeting,
    change_meeting,
    clashes,
    plain,
)
from storage.wall_clock import WallTimeError

KIND = "programme"
ADD_USAGE = "/addmeeting DATE [TIME]; [ROOM]; [KEY ISSUES]; [TITLE]"
EDIT_USAGE = "/editmeeting REFERENCE date|time|room|issues|title|notes VALUE"
TBA = ("tba", "to be announced", "none", "-")
STATUS_OF = {"postpone": MeetingStatus.POSTPONED, "cancel": MeetingStatus.CANCELLED}


class _Unclear(ValueError):
    """What was typed cannot be read; the message says what is expected."""


def _venue_zone(ctx: Context) -> str:
    """The programme's time zone, set once for it: a time typed without one is never read
    in a zone guessed for it."""
    zone = ctx.programme.get("timezone")
    if not zone:
        raise _Unclear(
            ctx._(
                "This programme has no venue time zone yet: the operator sets it with "
                "`plenary programme init --timezone ZONE` (or imports a programme file)."
            )
        )
    return zone


def _wall_time(ctx: Context, error: WallTimeError) -> _Unclear:
    day = long_date(error.day, ctx.tr)
    if error.skipped:
        message = ctx._(
            "{time} does not exist on {date} at the venue: the clocks go forward that night. "
            "Choose another time."
        )
    else:
        message = ctx._(
            "{time} happens twice on {date} at the venue: the clocks go back that night. "
            "Say which with its UTC offset, e.g. {time} UTC-4 or {time} UTC-5."
        )
    return _Unclear(message.format(time=f"{error.at:%H:%M}", date=day))


def _instant(ctx: Context, text: str, day: Any, zone: str) -> Any:
    at = _time(ctx, text)
    if at is None:
        return None
    try:
        return local_instant(day, at, zone, find_offset(text))
    except WallTimeError as error:
        raise _wall_time(ctx, error) from None


def _when(ctx: Context, text: str) -> MeetingFields:
    """A date, with a time if one is given, at the venue."""
    zone = _venue_zone(ctx)
    try:
        day = find_date(text, ctx.today)
    except NoSuchDay as error:
        raise _Unclear(ctx._("There is no such day as “{day}”.").format(day=error)) from None
    if day is None:
        raise _Unclear(ctx._("Give the date, e.g. 7 March 2016 or 2016-03-07."))
    return MeetingFields(local_date=day, start=_instant(ctx, text, day, zone))


def _time(ctx: Context, text: str) -> Any:
    try:
        return find_time(text)
    except NoSuchTime as error:
        raise _Unclear(ctx._("“{time}” is not a time of day.").format(time=error)) from None


def _issue_keys(ctx: Context, text: str) -> tuple[str, ...]:
    if text.strip().casefold() in TBA:
        return ()
    if not ctx.names.issues:
        raise _Unclear(
            ctx._(
                "This programme has no key issues yet: the operator adds the IGN's five with "
                "`plenary programme init --ign-key-issues` (or imports a programme file)."
            )
        )
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
        start = _instant(ctx, value, meeting.local_date, meeting.timezone)
        if start is None:
            raise _Unclear(ctx._("Give the time, e.g. 10:00 or 3 p.m., or “tba”."))
        return MeetingFields(start=start)
    if what == "date":
        return MeetingFields(local_date=_when(ctx, value).local_date)
    if what == "issues":
        return MeetingFields(issue_keys=_issue_keys(ctx, value))
    if what in ("room", "title", "notes"):
        return MeetingFields(**{what: value})
    raise _Unclear(ctx._("Change what? Usage: {usage}").format(usage=EDIT_USAGE))


@dataclass
class _Outcome:
    """What a change did (inside the preview's savepoint, or for good)."""

    meeting: Meeting
    changes: dict[str, list[Any]] = field(default_factory=dict)
    told: int = 0
    issues: list[str] = field(default_factory=list)  # the meeting's key issues, by name
    clashes: list[Meeting] = field(default_factory=list)


async def _perform(ctx: Context, payload: dict[str, Any]) -> _Outcome | Reply:
    """Make the change a payload describes; a Reply when it cannot be made."""
    fields = MeetingFields.from_json(payload.get("fields", {}))
    try:
        if payload["action"] == "add":
            prefix = ctx.programme.get("key") or "meeting"
            meeting, told = await add_meeting(
                ctx.session, fields, _venue_zone(ctx), ctx.now, prefix
            )
            changes: dict[str, list[Any]] = {}
        else:
            found = await _meeting(ctx, payload["meeting"])
            if isinstance(found, Reply):
                return found
            meeting = found
            changes, told = await change_meeting(ctx.session, meeting, fields, ctx.now)
            if not changes:
                return Reply().paragraph(ctx._("Nothing to change: the meeting is already so."))
    except AlreadyInProgramme as error:
        return Reply().paragraph(ctx._("Already in the programme as {key}.").format(key=error.key))
    except (_Unclear, ProgrammeEditError) as error:
        return Reply().paragraph(str(error))
    issues = [issue.name for issue in await meeting.awaitable_attrs.key_issues]
    return _Outcome(meeting, changes, told, issues, await clashes(ctx.session, meeting))


async def _meeting(ctx: Context, key: str) -> Meeting | Reply:
    meeting = await meetings.by_key(ctx.session, key.strip().lower())
    if meeting is None:
        return Reply(not_found=True).paragraph(
            ctx._("I know no meeting with the reference “{key}” (see /meetings).").format(key=key)
        )
    return meeting


def _notice(ctx: Context, outcome: _Outcome) -> Reply:
    """The notice subscribers get, exactly as they will read it."""
    if not outcome.changes:
        return new_meeting_notice(ctx, outcome.meeting, outcome.issues)
    noticed = {f: plain(v) for f, v in outcome.changes.items() if f in NOTICED_FIELDS}
    return change_notice(ctx, noticed, outcome.meeting, outcome.issues)


def _told(ctx: Context, told: int) -> str:
    return ctx.tr.ngettext(
        "{count} subscriber is told.", "{count} subscribers are told.", told
    ).format(count=ctx.tr.number(told))


async def _propose(ctx: Context, payload: dict[str, Any], subject: str) -> Reply:
    """The change made in a savepoint, shown, and undone: the preview tells exactly what
    Confirm will do."""
    async with ctx.session.begin_nested() as savepoint:
        outcome = await _perform(ctx, payload)
        if isinstance(outcome, Reply):
            await savepoint.rollback()
            return outcome
        if outcome.changes:
            heading = ctx._("Preview: change to {meeting} of {date}").format(
                meeting=meeting_title(ctx, outcome.meeting),
                date=long_date(outcome.meeting.local_date, ctx.tr),
            )
        else:
            heading = ctx._("Preview: new meeting {key}").format(key=outcome.meeting.key)
        reply = Reply().heading(heading)
        for other in outcome.clashes:
            reply.paragraph(
                bold(
                    ctx._("Already in the programme at that time: {key} ({meeting}).").format(
                        key=other.key, meeting=meeting_title(ctx, other)
                    )
                ),
                " ",
                ctx._("Confirm only if both meetings are meant."),
            )
        reply.paragraph(
            ctx.tr.ngettext(
                "{count} subscriber will be told, and will read:",
                "{count} subscribers will be told, and will read:",
                outcome.told,
            ).format(count=ctx.tr.number(outcome.told))
        )
        shown = _notice(ctx, outcome)
        reply.blocks.extend(shown.blocks)
        await savepoint.rollback()
    draft = await drafts.propose(ctx, KIND, payload, subject)
    reply.note(ctx._("Nothing changes before you confirm."))
    return reply.button_row(*drafts.buttons(ctx, draft))


@draft_kind(KIND, roles=CHAIR_ONLY)
async def change_programme(ctx: Context, draft: Draft) -> Reply:
    """A confirmed change of the programme: made, audited, its subscribers told."""
    outcome = await _perform(ctx, draft.payload)
    if isinstance(outcome, Reply):
        return outcome
    meeting = outcome.meeting
    if not outcome.changes:
        await ctx.audit("add meeting", meeting.key, after=_snapshot(meeting, outcome.issues))
        reply = Reply().heading(
            ctx._("Added: {meeting}").format(meeting=meeting_title(ctx, meeting))
        )
        describe(ctx, reply, meeting, outcome.issues)
        reply.note(ctx._("Reference: {key}").format(key=meeting.key))
        return reply.note(_told(ctx, outcome.told))
    await ctx.audit(
        f"{draft.payload['action']} meeting",
        meeting.key,
        {f: plain(v)[0] for f, v in outcome.changes.items()},
        {f: plain(v)[1] for f, v in outcome.changes.items()},
    )
    reply = Reply().heading(ctx._("Changed: {meeting}").format(meeting=meeting_title(ctx, meeting)))
    noticed = {f: plain(v) for f, v in outcome.changes.items()}
    change_lines(ctx, reply, noticed, meeting)
    describe(ctx, reply, meeting, outcome.issues)
    return reply.note(_told(ctx, outcome.told))


def _snapshot(meeting: Meeting, issues: list[str]) -> dict[str, Any]:
    return {
        "date": meeting.local_date.isoformat(),
        "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "room": meeting.room,
        "key_issues": issues,
    }


@command("addmeeting", usage=ADD_USAGE, roles=CHAIR_ONLY, personal=True)
async def add(ctx: Context, request: Request) -> Reply:
    """Add a meeting to the programme (after a preview)."""
    if not request.text.strip():
        return Reply().paragraph(ctx._("Usage: {usage}").format(usage=ADD_USAGE))
    try:
        fields = _added_fields(ctx, request.text)
    except _Unclear as error:
        return Reply().paragraph(str(error))
    payload = {"action": "add", "fields": fields.as_json()}
    return await _propose(ctx, payload, f"add:{fields.local_date}")


@command("editmeeting", usage=EDIT_USAGE, roles=CHAIR_ONLY, personal=True)
async def edit(ctx: Context, request: Request) -> Reply:
    """Change a meeting's date, time, room, key issues, title or notes (after a preview)."""
    words = request.text.split(maxsplit=2)
    if len(words) < 3:
        return Reply().paragraph(ctx._("Usage: {usage}").format(usage=EDIT_USAGE))
    found = await _meeting(ctx, words[0])
    if isinstance(found, Reply):
        return found
    try:
        fields = _edited_fields(ctx, found, words[1].lower(), words[2])
    except _Unclear as error:
        return Reply().paragraph(str(error))
    payload = {"action": "edit", "meeting": found.key, "fields": fields.as_json()}
    return await _propose(ctx, payload, f"meeting:{found.key}")


@command("postpone", usage="/postpone REFERENCE", roles=CHAIR_ONLY, personal=True)
async def postpone(ctx: Context, request: Request) -> Reply:
    """Postpone a meeting: its new date is to be announced (after a preview)."""
    return await _set_status(ctx, request, "postpone")


@command("cancelmeeting", usage="/cancelmeeting REFERENCE", roles=CHAIR_ONLY, personal=True)
async def cancel(ctx: Context, request: Request) -> Reply:
    """Cancel a meeting: its subscribers are told, its reminders withdrawn (after a preview)."""
    return await _set_status(ctx, request, "cancel")


async def _set_status(ctx: Context, request: Request, action: str) -> Reply:
    if not request.text.strip():
        return Reply().paragraph(ctx._("Which meeting? Give its reference (see /meetings)."))
    found = await _meeting(ctx, request.text)
    if isinstance(found, Reply):
        return found
    status = STATUS_OF[action]
    fields = MeetingFields(status=status, clear_time=status == MeetingStatus.POSTPONED)
    payload = {"action": action, "meeting": found.key, "fields": fields.as_json()}
    return await _propose(ctx, payload, f"meeting:{found.key}")
