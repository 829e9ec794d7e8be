"""Proactive messages: reminders, change notices and cancellations, in the reader's terms."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.context import Context
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply, bold, italic
from bot.core.notices import is_late, renders_notices
from bot.core.timefmt import long_date, venue_and_reader_time
from handlers import deliveries, speaker_notices, submissions
from handlers.coverage import nobody_covers
from handlers.coverage_buttons import cover_buttons
from handlers.digest_notice import digest_notice
from handlers.meetings import describe, details_button, meeting_title
from handlers.snooze import snooze_buttons
from handlers.subscriptions import lead_label
from storage import meetings, positions
from storage.models import (
    Announcement,
    Delivery,
    Meeting,
    MeetingStatus,
    Person,
    PositionVersion,
    SpeakerList,
)
from storage.reminders import NEW

DAY_BEFORE = 12 * 60  # minutes: a reminder this early is the day-before one


@renders_notices
async def notice(
    ctx: Context,
    delivery: Delivery,
    subject: Meeting | Announcement | PositionVersion | SpeakerList | Person,
) -> Reply:
    """The message a delivery carries, rendered now for its reader."""
    if isinstance(subject, Person):
        return await digest_notice(ctx, delivery, subject)
    if isinstance(subject, SpeakerList):
        return await speaker_notices.notice(ctx, delivery, subject)
    if isinstance(subject, Announcement):
        return await deliveries.notice(ctx, delivery, subject)
    if isinstance(subject, PositionVersion):
        return await submissions.version_notice(ctx, subject)
    meeting = subject
    if delivery.kind == "reminder":
        return await reminder(ctx, delivery, meeting)
    if delivery.kind == NEW:
        return new_meeting_notice(ctx, meeting)
    return change_notice(ctx, delivery.payload.get("changes", {}), meeting)


def new_meeting_notice(ctx: Context, meeting: Meeting, issues: list[str] | None = None) -> Reply:
    """A meeting added to the programme, as its subscribers are told (`issues` names its key
    issues when the meeting is newer than the names snapshot)."""
    reply = Reply().heading(
        ctx._("New meeting: {meeting}").format(meeting=meeting_title(ctx, meeting))
    )
    describe(ctx, reply, meeting, issues)
    return reply.button_row(
        details_button(ctx, meeting), Button(ctx._("Add to calendar"), f"/ics {meeting.key}")
    )


def time_left(delivery: Delivery, meeting: Meeting) -> int:
    """Minutes from the row's due time to the start: its lead time, unless quiet hours held
    it (then rounded, to the hour beyond two hours)."""
    assert meeting.starts_at is not None
    left = (meeting.starts_at - delivery.due_at) / timedelta(minutes=1)
    lead = delivery.payload["lead"]
    if abs(left - lead) < 1:
        return lead
    return round(left / 60) * 60 if left >= 120 else max(1, round(left))


async def reminder(ctx: Context, delivery: Delivery, meeting: Meeting) -> Reply:
    reply = Reply().heading(
        ctx._("Reminder: {meeting} in {lead}").format(
            meeting=meeting_title(ctx, meeting),
            lead=lead_label(ctx, time_left(delivery, meeting)),
        )
    )
    if is_late(ctx, delivery):
        reply.note(
            ctx._("This reminder is late: it was due at {due}, while Plenary was offline.").format(
                due=venue_and_reader_time(delivery.due_at, meeting.timezone, None, ctx.tr)
            )
        )
    describe(ctx, reply, meeting)
    previous = await meetings.previous(ctx.session, meeting)
    since = previous.local_date if previous else None
    for issue in ctx.names.issues_of(meeting.id):
        count = await positions.count_since(ctx.session, issue.id, since, ctx.today)
        if count:
            reply.item(
                ctx.tr.ngettext(
                    "{count} position on {issue} updated since the last meeting",
                    "{count} positions on {issue} updated since the last meeting",
                    count,
                ).format(count=count, issue=issue_name(ctx, issue)),
                f" (/positions {issue.key})",
            )
    if delivery.payload["lead"] >= DAY_BEFORE:
        uncovered = await nobody_covers(ctx, meeting)
        if uncovered:
            reply.paragraph(bold(uncovered))
    reply.button_row(*snooze_buttons(ctx, delivery, meeting))
    reply.button_row(*cover_buttons(ctx, meeting))
    return reply.button_row(
        details_button(ctx, meeting),
        Button(ctx._("Add to calendar"), f"/ics {meeting.key}"),
        Button(ctx._("Unsubscribe"), "/unsubscribe"),
    )


def _value(ctx: Context, field: str, value: Any, meeting: Meeting) -> str:
    if value in (None, "", []):
        return ctx._("to be announced")
    if field == "starts_at":
        instant = datetime.fromisoformat(value)
        return venue_and_reader_time(instant, meeting.timezone, ctx.reader_zone, ctx.tr)
    if field == "local_date":
        return long_date(datetime.fromisoformat(value).date(), ctx.tr)
    if field == "key_issues":
        names = {issue.key: issue_name(ctx, issue) for issue in ctx.names.issues.values()}
        return "; ".join(names.get(key, key) for key in value)
    if field == "status":
        return {
            MeetingStatus.SCHEDULED: ctx._("scheduled"),
            MeetingStatus.POSTPONED: ctx._("postponed"),
            MeetingStatus.CANCELLED: ctx._("cancelled"),
        }.get(value, str(value))
    return str(value)


def change_lines(
    ctx: Context, reply: Reply, changes: dict[str, list[Any]], meeting: Meeting
) -> None:
    """One line a changed field: "Time: 10:00 → 15:00", in the reader's words and zone."""
    labels = {
        "starts_at": ctx._("Time"),
        "local_date": ctx._("Date"),
        "room": ctx._("Room"),
        "key_issues": ctx._("Key issues"),
        "status": ctx._("Status"),
        "title": ctx._("Title"),
        "notes": ctx._("Notes"),
    }
    for field, (old, new) in changes.items():
        reply.item(
            bold(labels.get(field, field)),
            ": ",
            italic(_value(ctx, field, old, meeting)),
            " → ",
            _value(ctx, field, new, meeting),
        )


def change_notice(
    ctx: Context,
    changes: dict[str, list[Any]],
    meeting: Meeting,
    issues: list[str] | None = None,
) -> Reply:
    """What changed (old → new), then the meeting as it now stands (`issues` as for
    `new_meeting_notice`)."""
    day = long_date(meeting.local_date, ctx.tr)
    if meeting.status == MeetingStatus.CANCELLED:
        reply = Reply().heading(
            ctx._("Cancelled: {meeting} of {date}").format(
                meeting=meeting_title(ctx, meeting), date=day
            )
        )
        return reply.paragraph(ctx._("Reminders for this meeting are withdrawn."))
    reply = Reply().heading(
        ctx._("Changed: {meeting} of {date}").format(meeting=meeting_title(ctx, meeting), date=day)
    )
    change_lines(ctx, reply, changes, meeting)
    reply.paragraph(ctx._("The meeting now:"))
    describe(ctx, reply, meeting, issues)
    return reply.button_row(details_button(ctx, meeting))
