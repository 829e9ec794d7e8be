"""Meetings: the next one, the upcoming ones, those on a day, and one meeting in detail."""

from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import format_skeleton, format_timedelta

from bot.core.cities import find_city, station_name
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.dates import Span
from bot.core.i18n import N_
from bot.core.issue_names import issue_label, issue_name
from bot.core.messages import Button, Reply, bold, italic
from bot.core.timefmt import long_date, venue_and_reader_time, zone_time
from handlers.coverage_buttons import cover_buttons
from handlers.paging import PAGE_SIZE, turn_pages, window
from handlers.sources import add_sources
from storage import meetings
from storage.directory import IssueName
from storage.models import Meeting, MeetingStatus


def meeting_title(ctx: Context, meeting: Meeting) -> str:
    return meeting.title or ctx._("{programme} meeting").format(programme=ctx.short_name)


def when(ctx: Context, meeting: Meeting) -> str:
    """Venue time and the reader's, or the date with "time to be announced"."""
    if meeting.starts_at is None:
        return ctx._("{date}, time to be announced").format(
            date=long_date(meeting.local_date, ctx.tr)
        )
    return venue_and_reader_time(meeting.starts_at, meeting.timezone, ctx.reader_zone, ctx.tr)


def status_label(ctx: Context, meeting: Meeting) -> str:
    labels = {
        MeetingStatus.CANCELLED: ctx._("CANCELLED"),
        MeetingStatus.POSTPONED: ctx._("POSTPONED, new date to be announced"),
    }
    return labels.get(meeting.status, "")


def issue_names(ctx: Context, meeting: Meeting) -> str:
    return "; ".join(issue_name(ctx, issue) for issue in ctx.names.issues_of(meeting.id))


def describe(ctx: Context, reply: Reply, meeting: Meeting, issues: list[str] | None = None) -> None:
    """The lines every view of a meeting shares: when, where, on what (`issues` names its key
    issues when the meeting is newer than the names snapshot)."""
    status = status_label(ctx, meeting)
    if status:
        reply.paragraph(bold(status))
    reply.paragraph(when(ctx, meeting))
    reply.item(ctx._("Room: "), meeting.room or italic(ctx._("to be announced")))
    if issues is None:
        issues = [issue.name for issue in ctx.names.issues_of(meeting.id)]
    if issues:
        label = ctx.tr.ngettext("Key issue: ", "Key issues: ", len(issues))
        reply.item(label, "; ".join(issue_name(ctx, name) for name in issues))


def how_soon(ctx: Context, meeting: Meeting) -> str:
    """ "in 3 hours" within a day; beyond, counted in calendar days at the venue ("in 2 days"
    on Monday night for Wednesday morning, where elapsed time would round to one)."""
    assert meeting.starts_at is not None
    left = meeting.starts_at - ctx.now
    if left < timedelta(days=1):
        return format_timedelta(left, add_direction=True, locale=ctx.tr.language)
    days = (meeting.local_date - ctx.today).days
    return format_timedelta(timedelta(days=days), add_direction=True, locale=ctx.tr.language)


def details_button(ctx: Context, meeting: Meeting) -> Button:
    return Button(ctx._("Details"), f"/meeting {meeting.key}")


MOST_AHEAD = 20  # "/next 20": the twentieth meeting from now, at most
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")


def ordinal(request: Request) -> int:
    """Which of the next meetings is asked for: "/next 2", or "the meeting after next"."""
    written = _NUMBER.match(request.text)
    return min(MOST_AHEAD, max(1, int(written.group(1)))) if written else request.ordinal


async def nth_meeting(ctx: Context, request: Request) -> Meeting | None:
    """The next meeting, or the one after it, ... as the request asks."""
    found = await meetings.upcoming(
        ctx.session, ctx.now, limit=ordinal(request), only_scheduled=True
    )
    return found[ordinal(request) - 1] if len(found) >= ordinal(request) else None


def _next_heading(ctx: Context, number: int) -> str:
    if number == 1:
        return ctx._("Next meeting: ")
    if number == 2:
        return ctx._("Meeting after next: ")
    return ctx._("Meeting {number} from now: ").format(number=number)


@command("next", usage=N_("/next [NUMBER]"))
async def next_meeting(ctx: Context, request: Request) -> Reply:
    """When and where the next meeting is."""
    meeting = await nth_meeting(ctx, request)
    if meeting is None:
        return Reply().paragraph(ctx._("No meeting is scheduled at the moment."))
    reply = Reply().heading(_next_heading(ctx, ordinal(request)), meeting_title(ctx, meeting))
    describe(ctx, reply, meeting)
    if meeting.starts_at is not None:
        reply.note(how_soon(ctx, meeting))
    return reply.button_row(
        details_button(ctx, meeting), Button(ctx._("All upcoming meetings"), "/meetings")
    )


def no_such_day(ctx: Context, text: str) -> Reply:
    return (
        Reply()
        .paragraph(ctx._("“{date}” is not a day in the calendar.").format(date=text))
        .button_row(Button(ctx._("Upcoming meetings"), "/meetings"))
    )


@command("meetings", usage=N_("/meetings [DATE | WEEK | MONTH | ISSUE]"))
async def upcoming_meetings(ctx: Context, request: Request) -> Reply:
    """The upcoming meetings, or those on a day, in a week or a month, or on a key issue."""
    if request.no_such_day:
        return no_such_day(ctx, request.no_such_day)
    if request.day is not None:
        return await meetings_on_day(ctx, request)
    if request.span is not None:
        return await meetings_in_span(ctx, request.span)
    if request.issues:
        return await meetings_on_issue(ctx, request.issues[0])
    limit, offset = window(request)
    found = await meetings.upcoming(
        ctx.session, ctx.now, limit=limit, offset=offset, only_scheduled=True
    )
    apart = await meetings.set_apart(ctx.session, ctx.now, PAGE_SIZE) if request.page == 1 else []
    if not found and not apart:
        return Reply(not_found=request.page > 1).paragraph(
            ctx._("No meeting is scheduled at the moment.")
        )
    reply = Reply().heading(ctx._("Upcoming meetings"))
    if not found:
        reply.paragraph(ctx._("No meeting is scheduled at the moment."))
    for meeting in found[:PAGE_SIZE]:
        reply.item(*summary_line(ctx, meeting))
    if apart:
        reply.paragraph(bold(ctx._("Postponed or cancelled")))
        for meeting in apart:
            reply.item(*summary_line(ctx, meeting))
    for meeting in [*found[:PAGE_SIZE], *apart]:
        reply.button_row(Button(long_date(meeting.local_date, ctx.tr), f"/meeting {meeting.key}"))
    turn_pages(ctx, reply, "/meetings", request, len(found))
    return reply


def summary_line(ctx: Context, meeting: Meeting) -> tuple[str, ...]:
    parts = [when(ctx, meeting)]
    if ctx.names.issues_of(meeting.id):
        parts.append(" — " + issue_names(ctx, meeting))
    status = status_label(ctx, meeting)
    if status:
        parts.append(f" ({status})")
    return tuple(parts)


def span_words(ctx: Context, span: Span) -> str:
    """ "March 2016", or "from Monday 8 February to Sunday 14 February 2016"."""
    if span.kind == "month":
        return format_skeleton("yMMMM", span.first, locale=ctx.tr.language)
    return ctx._("from {first} to {last}").format(
        first=long_date(span.first, ctx.tr), last=long_date(span.last, ctx.tr)
    )


async def meetings_in_span(ctx: Context, span: Span) -> Reply:
    found = await meetings.between(ctx.session, span.first, span.last)
    if not found:
        return (
            Reply()
            .paragraph(ctx._("No meeting {span}.").format(span=_in_span(ctx, span)))
            .button_row(Button(ctx._("Upcoming meetings"), "/meetings"))
        )
    reply = Reply().heading(ctx._("Meetings {span}").format(span=_in_span(ctx, span)))
    for meeting in found:
        reply.item(*summary_line(ctx, meeting))
        reply.button_row(Button(long_date(meeting.local_date, ctx.tr), f"/meeting {meeting.key}"))
    return reply


def _in_span(ctx: Context, span: Span) -> str:
    if span.kind == "month":
        return ctx._("in {month}").format(month=span_words(ctx, span))
    return span_words(ctx, span)


async def meetings_on_issue(ctx: Context, issue: IssueName) -> Reply:
    found = await meetings.on_issue(ctx.session, issue.id, ctx.now)
    name = issue_name(ctx, issue)
    if not found:
        return Reply().paragraph(ctx._("No meeting on {issue} is scheduled.").format(issue=name))
    reply = Reply().heading(ctx._("Meetings on {issue}").format(issue=name))
    for meeting in found:
        reply.item(*summary_line(ctx, meeting))
        reply.button_row(Button(long_date(meeting.local_date, ctx.tr), f"/meeting {meeting.key}"))
    return reply


async def meetings_on_day(ctx: Context, request: Request) -> Reply:
    assert request.day is not None
    day = long_date(request.day, ctx.tr)
    found = await meetings.on_date(ctx.session, request.day)
    if not found:
        return (
            Reply()
            .paragraph(ctx._("No meeting on {date}.").format(date=day))
            .button_row(Button(ctx._("Upcoming meetings"), "/meetings"))
        )
    reply = Reply().heading(ctx._("Meetings on {date}").format(date=day))
    for meeting in found:
        reply.paragraph(bold(meeting_title(ctx, meeting)))
        describe(ctx, reply, meeting)
        reply.button_row(details_button(ctx, meeting))
    return reply


@command("meeting", usage=N_("/meeting REFERENCE-OR-DATE"))
async def meeting_details(ctx: Context, request: Request) -> Reply:
    """Everything about one meeting: time, room, key issues, sources."""
    if request.no_such_day:
        return no_such_day(ctx, request.no_such_day)
    meeting = await meetings.by_key(ctx.session, request.text.strip().lower())
    if meeting is None and request.day is not None:
        found = await meetings.on_date(ctx.session, request.day)
        if len(found) != 1:
            return await meetings_on_day(ctx, request)
        meeting = found[0]
    if meeting is None:
        message = ctx._("Which meeting? Give its date, e.g. /meeting 22 February.")
        if request.text.strip():
            message = ctx._("I know no meeting called “{name}”.").format(name=request.text.strip())
        return (
            Reply(not_found=bool(request.text.strip()))
            .paragraph(message)
            .button_row(Button(ctx._("Upcoming meetings"), "/meetings"))
        )
    reply = Reply().heading(meeting_title(ctx, meeting))
    describe(ctx, reply, meeting)
    if meeting.notes:
        reply.paragraph(meeting.notes)
    await add_sources(ctx, reply, meeting.sources)
    reply.note(ctx._("Reference: {key}").format(key=meeting.key))
    reply.button_row(Button(ctx._("Add to calendar"), f"/ics {meeting.key}"))
    reply.button_row(*cover_buttons(ctx, meeting))
    return reply.button_row(
        *(
            Button(
                ctx._("Positions on {issue}").format(issue=issue_label(ctx, issue)),
                f"/positions {issue.key}",
            )
            for issue in ctx.names.issues_of(meeting.id)[:3]
        )
    )


@command("time", usage=N_("/time CITY [DATE]"))
async def time_in_city(ctx: Context, request: Request) -> Reply:
    """A meeting's time in another city: the next one's unless you give a date."""
    zone = request.zone or find_city(request.text, ctx.tr.language)
    if zone is None:
        return Reply().paragraph(
            ctx._("In which city? E.g. /time Geneva, or /time Nairobi 22 February.")
        )
    found = await meetings.on_date(ctx.session, request.day) if request.day else []
    meeting = found[0] if found else await nth_meeting(ctx, request)
    if meeting is None:
        return Reply().paragraph(ctx._("No meeting is scheduled at the moment."))
    reply = Reply().heading(meeting_title(ctx, meeting))
    if meeting.starts_at is None:
        return reply.paragraph(when(ctx, meeting))
    return reply.paragraph(
        venue_and_reader_time(meeting.starts_at, meeting.timezone, None, ctx.tr)
    ).paragraph(
        bold(
            zone_time(
                meeting.starts_at,
                zone,
                ctx.tr,
                dated=True,
                city=station_name(request.text or ctx.incoming.text, zone, ctx.tr.language),
            )
        )
    )
