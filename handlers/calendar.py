"""Meetings in delegates' calendars: an .ics file per meeting, and a private feed of every
meeting a person follows."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Event

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.i18n import N_
from bot.core.issue_names import issue_name
from bot.core.messages import Attachment, Button, Reply, link
from handlers.meetings import meeting_title, nth_meeting, status_label
from storage import calendar_feeds, meetings, reminders
from storage.files.calendar_ics import calendar, meeting_event
from storage.models import Meeting

MEDIA_TYPE = "text/calendar"
REFRESH = timedelta(hours=1)  # how often subscribed clients are asked to read the feed again


async def _leads(ctx: Context) -> list[int]:
    own = ctx.person.lead_times if ctx.person else None
    return own or await reminders.default_leads(ctx.session)


def _summary(ctx: Context, meeting: Meeting) -> str:
    """The title, after the status when it is not held as planned; or with "time to be
    announced"."""
    title, status = meeting_title(ctx, meeting), status_label(ctx, meeting)
    if status:
        return ctx._("{status}: {title}").format(status=status, title=title)
    if meeting.starts_at is None:
        return f"{title} ({ctx._('time to be announced')})"
    return title


def _event(ctx: Context, meeting: Meeting, leads: list[int]) -> Event:
    issues = [issue_name(ctx, issue) for issue in ctx.names.issues_of(meeting.id)]
    summary = _summary(ctx, meeting)
    return meeting_event(meeting, summary, issues, leads, ctx.now, ctx.meeting_length)


async def ics_file(ctx: Context, meeting: Meeting) -> Attachment:
    body = calendar([_event(ctx, meeting, await _leads(ctx))], meeting_title(ctx, meeting))
    return Attachment(f"{meeting.key}.ics", body, MEDIA_TYPE)


async def feed(ctx: Context, person_id: int) -> bytes:
    """Every meeting the person follows, as one calendar."""
    leads = await _leads(ctx)
    found = await calendar_feeds.followed_meetings(ctx.session, person_id)
    return calendar([_event(ctx, m, leads) for m in found], ctx.short_name, REFRESH)


@command("ics", usage=N_("/ics MEETING"), personal=True)  # alarms at the reader's lead times
async def ics(ctx: Context, request: Request) -> Reply:
    """A calendar file (.ics) for one meeting (the next one unless you name one)."""
    meeting = await meetings.by_key(ctx.session, request.text.strip().lower())
    if meeting is None and request.day is not None:
        found = await meetings.on_date(ctx.session, request.day)
        meeting = found[0] if len(found) == 1 else None
    elif meeting is None and not request.text.strip():
        meeting = await nth_meeting(ctx, request)
    if meeting is None:
        return Reply(not_found=bool(request.text.strip())).paragraph(
            ctx._("Which meeting? Give its date or reference, e.g. /ics 3 February.")
        )
    reply = Reply().paragraph(
        ctx._("{meeting}: open the file to add it to your calendar.").format(
            meeting=meeting_title(ctx, meeting)
        )
    )
    reply.attachments.append(await ics_file(ctx, meeting))
    return reply.button_row(Button(ctx._("Every meeting, kept current"), "/calendar"))


@command("calendar", usage=N_("/calendar [reset]"), personal=True)
async def subscribe_calendar(ctx: Context, request: Request) -> Reply:
    """A private calendar address with every meeting you follow, kept current."""
    person = await ctx.person_for_update()
    reset = request.text.strip().lower() == "reset"
    if not reset and await calendar_feeds.has_feed(ctx.session, person.id):
        return (
            Reply()
            .paragraph(
                ctx._(
                    "You already have a calendar address. For security it is shown only once: "
                    "/calendar reset gives you a new one (the old one stops working)."
                )
            )
            .button_row(Button(ctx._("New address"), "/calendar reset"))
        )
    token = await calendar_feeds.new_token(ctx.session, person.id, ctx.now)
    url = f"{ctx.public_url}/calendar/{token}.ics"
    reply = Reply()
    if reset:
        reply.paragraph(ctx._("The old address no longer works."))
    return (
        reply.paragraph(
            ctx._("Subscribe to this address in your calendar (Outlook, Google, Apple):")
        )
        .paragraph(link(url, url))
        .note(
            ctx._(
                "It lists every meeting you follow (/subscribe), and follows their changes. "
                "Keep it private; /calendar reset replaces it."
            )
        )
    )
