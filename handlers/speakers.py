"""Lists of speakers, read: `/speakers [MEETING]` shows who speaks now, who is next and when each
turn should come; "is Brazil on the list?" or "when do we speak?" finds one delegation's place;
`/speakers MEETING ACTION` runs the actions other modules register."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name
from bot.core.messages import Attachment, Button, Reply, Span, bold
from bot.core.timefmt import long_date, venue_and_reader_time
from handlers.meetings import meeting_title
from handlers.speaker_actions import ACTIONS, list_action
from handlers.speaker_words import (
    ListView,
    list_title,
    minutes,
    turn_name,
    two_times,
    used_of_limit,
    view,
)
from storage import meetings
from storage import speakers as lists
from storage.files.speaker_lines import to_csv
from storage.models import Meeting, Person, Role, Speaker, SpeakerList, SpeakerStatus
from storage.speaker_alerts import MOST_AHEAD

USAGE = "/speakers [MEETING] [export | csv | alert N | link | next | requests | ...]"


async def _default_meeting(ctx: Context) -> Meeting | None:
    """The meeting a list is asked about when none is named: the first one with a list that
    is not over (today's, or the next), else the next meeting."""
    since = ctx.now - timedelta(hours=12)
    found = await ctx.session.scalar(
        select(Meeting)
        .join(SpeakerList, SpeakerList.meeting_id == Meeting.id)
        .where(Meeting.sort_at >= since - timedelta(hours=12), Meeting.until_at >= since)
        .order_by(Meeting.sort_at)
        .limit(1)
    )
    return found or await meetings.next_meeting(ctx.session, ctx.now)


async def meeting_and_rest(ctx: Context, text: str) -> tuple[Meeting | None, str]:
    """The meeting a `/speakers` text names first (its reference), and what follows."""
    words = text.split(maxsplit=1)
    if words:
        named = await meetings.by_key(ctx.session, words[0].lower()[:64])
        if named is not None:
            return named, words[1] if len(words) > 1 else ""
    return await _default_meeting(ctx), text


@command("speakers", usage=USAGE, personal=True)
async def speakers(ctx: Context, request: Request) -> Reply:
    """The list of speakers of a meeting: who speaks now, who is next, when your turn comes."""
    meeting, rest = await meeting_and_rest(ctx, request.text)
    if meeting is None:
        return Reply().paragraph(ctx._("There is no meeting ahead to show a list of speakers for."))
    word, _, arguments = rest.strip().partition(" ")
    action = ACTIONS.get(word.lower())
    if action is not None:
        if action.chair and ctx.role != Role.CHAIR:
            await ctx.audit(f"speakers {word.lower()}", meeting.key, allowed=False)
            return Reply().paragraph(
                ctx._("Only the Chair's office can change a list of speakers.")
            )
        # The raw text keeps the line breaks of a pasted list.
        raw = re.split(rf"(?i)(?<!\S){re.escape(word)}(?!\S)", ctx.raw_arguments, maxsplit=1)
        return await action.run(ctx, meeting, raw[1].strip() if len(raw) > 1 else arguments)
    return await show(ctx, meeting, _asked_about(ctx, request))


async def found_list(ctx: Context, meeting: Meeting) -> SpeakerList | Reply:
    speakers_list = await lists.of_meeting(ctx.session, meeting.id)
    if speakers_list is None:
        return Reply().paragraph(
            ctx._("There is no list of speakers for {meeting} yet.").format(
                meeting=_meeting_named(ctx, meeting)
            )
        )
    return speakers_list


def _meeting_named(ctx: Context, meeting: Meeting) -> str:
    return f"{meeting_title(ctx, meeting)} ({long_date(meeting.local_date, ctx.tr)})"


def _opening(ctx: Context, shown: ListView) -> str:
    speakers_list, zone = shown.speakers, shown.meeting.timezone
    if speakers_list.opens_at is None or speakers_list.opens_at > ctx.now:
        if speakers_list.opens_at is None:
            return ctx._("The list is not open for inscription yet.")
        return ctx._("The list opens for inscription at {time}.").format(
            time=venue_and_reader_time(speakers_list.opens_at, zone, ctx.reader_zone, ctx.tr)
        )
    if speakers_list.closes_at is not None and speakers_list.closes_at <= ctx.now:
        return ctx._("The list is closed: late requests go to the Secretariat.")
    if speakers_list.closes_at is not None:
        return ctx._("The list is open for inscription until {time}.").format(
            time=venue_and_reader_time(speakers_list.closes_at, zone, ctx.reader_zone, ctx.tr)
        )
    return ctx._("The list is open for inscription.")


def _line(ctx: Context, shown: ListView, turn: Speaker) -> tuple[str | Span, ...]:
    number = ctx.tr.number(shown.numbers[turn.id])
    parts: list[str | Span] = [
        f"{number}. ",
        turn_name(ctx, turn),
        " · ",
        minutes(ctx, turn.limit_seconds),
    ]
    if turn.late:
        parts.append(" · " + ctx._("late addition"))
    if turn.status == SpeakerStatus.SPOKEN:
        parts.append(" · " + ctx._("spoken"))
    elif turn.status == SpeakerStatus.SPEAKING:
        parts = [bold("".join(p if isinstance(p, str) else p.text for p in parts))]
        parts.append(" · " + ctx._("speaking now"))
    elif turn.id in shown.estimates:
        parts.append(
            " · "
            + ctx._("about {time}").format(
                time=two_times(ctx, shown.estimates[turn.id], shown.meeting.timezone)
            )
        )
    return tuple(parts)


def _asked_about(ctx: Context, request: Request) -> int | None:
    """The delegation whose place is asked: the one named, else the asker's own."""
    if request.delegations:
        return request.delegations[0][0].id
    return ctx.person.delegation_id if ctx.person else None


def place_of(ctx: Context, shown: ListView, delegation_id: int) -> str:
    """ "Brazil is number 5: 3 speakers before it, about 10:42 New York time."""
    name = holder_name(ctx, ctx.names.delegations[delegation_id])
    turn = shown.of(delegation_id)
    if turn is None:
        return ctx._("{delegation} is not on the list.").format(delegation=name)
    number = shown.numbers[turn.id]
    if turn.status == SpeakerStatus.SPOKEN:
        return ctx._("{delegation} has spoken (number {number}).").format(
            delegation=name, number=number
        )
    if turn.status == SpeakerStatus.SPEAKING:
        return ctx._("{delegation} is speaking now.").format(delegation=name)
    before = shown.before(turn)
    return ctx.tr.ngettext(
        "{delegation} is number {number}: {count} speaker before it, about {time}.",
        "{delegation} is number {number}: {count} speakers before it, about {time}.",
        before,
    ).format(
        delegation=name,
        number=number,
        count=before,
        time=two_times(ctx, shown.estimates[turn.id], shown.meeting.timezone),
    )


async def show(ctx: Context, meeting: Meeting, asked: int | None) -> Reply:
    """The list, with the place of the delegation `asked` about."""
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    shown = await view(ctx, found, meeting)
    reply = Reply().heading(list_title(ctx, meeting)).note(_opening(ctx, shown))
    if asked is not None and asked in ctx.names.delegations:
        reply.paragraph(bold(place_of(ctx, shown, asked)))
    speaking = shown.speaking
    if speaking is not None:
        reply.paragraph(
            ctx._("Speaking now: {delegation} ({used}).").format(
                delegation=turn_name(ctx, speaking), used=used_of_limit(ctx, speaking)
            )
        )
    on_list = lists.on_list(shown.turns)
    if not on_list:
        reply.paragraph(ctx._("Nobody is inscribed yet."))
    for turn in on_list:
        reply.item(*_line(ctx, shown, turn))
    remaining = len(shown.waiting)
    reply.note(
        ctx.tr.ngettext("{count} speaker to come.", "{count} speakers to come.", remaining).format(
            count=remaining
        )
    )
    if ctx.role == Role.CHAIR:
        reply.button_row(
            Button(ctx._("Next speaker"), f"/speakers {meeting.key} next"),
            Button(ctx._("Requests"), f"/speakers {meeting.key} requests"),
        )
    return reply.button_row(
        Button(ctx._("Refresh"), f"/speakers {meeting.key}"),
        Button(ctx._("Export (CSV)"), f"/speakers {meeting.key} csv"),
    )


@list_action("now", chair=False)
async def under_way(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """The list of the meeting under way, if one is (what Slack's App Home shows first)."""
    found = await lists.of_meeting(ctx.session, meeting.id)
    started = meeting.starts_at is not None and meeting.starts_at <= ctx.now <= meeting.until_at
    speaking = found is not None and any(
        t.status == SpeakerStatus.SPEAKING for t in await lists.turns(ctx.session, found)
    )
    if found is None or not (started or speaking):
        return Reply(not_found=True).paragraph(
            ctx._("No meeting with a list of speakers is under way.")
        )
    return await show(ctx, meeting, ctx.person.delegation_id if ctx.person else None)


def export_rows(ctx: Context, shown: ListView) -> list[dict[str, str]]:
    rows = []
    for turn in shown.turns:
        group = ctx.names.delegations.get(turn.on_behalf_id) if turn.on_behalf_id else None
        rows.append(
            {
                "number": str(shown.numbers.get(turn.id, "")),
                "delegation": holder_name(ctx, ctx.names.delegations[turn.delegation_id]),
                "on_behalf_of": holder_name(ctx, group) if group else "",
                "limit_minutes": f"{turn.limit_seconds / 60:g}",
                "status": turn.status.value,
                "late": "yes" if turn.late else "",
                "estimated_start": _iso(shown.estimates.get(turn.id)),
                "started_at": _iso(turn.started_at),
                "ended_at": _iso(turn.ended_at),
            }
        )
    return rows


def _iso(instant: datetime | None) -> str:
    return instant.isoformat(timespec="seconds") if instant else ""


@list_action("csv", "export", chair=False)
async def export(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """The list as CSV and as text, audited."""
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    shown = await view(ctx, found, meeting)
    rows = export_rows(ctx, shown)
    text = "\n".join(
        f"{row['number']}. {row['delegation']}"
        + (f" ({row['on_behalf_of']})" if row["on_behalf_of"] else "")
        + f" [{row['status']}]"
        for row in rows
        if row["number"]
    )
    await ctx.audit("export speakers", f"speakers:{meeting.key}")
    reply = Reply().paragraph(list_title(ctx, meeting))
    reply.paragraph(text or ctx._("Nobody is inscribed yet."))
    reply.attachments += [
        Attachment(f"speakers-{meeting.key}.csv", to_csv(rows), "text/csv"),
        Attachment(f"speakers-{meeting.key}.txt", text.encode(), "text/plain"),
    ]
    return reply


@list_action("alert", "alerts", chair=False)
async def alert_at(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """How many speakers before your delegation's turn you are told (default 3)."""
    value = arguments.strip()
    if not value.isdigit() or not 1 <= int(value) <= MOST_AHEAD:
        return Reply().paragraph(
            ctx._("Give a number from 1 to {most}: /speakers alert 3.").format(most=MOST_AHEAD)
        )
    person: Person = await ctx.person_for_update()
    person.speakers_ahead = int(value)
    return Reply().paragraph(
        ctx._("You will be told when {count} speakers are before your delegation.").format(
            count=int(value)
        )
    )
