"""The Chair's office runs a list of speakers: opens and closes it, inscribes, moves and
withdraws delegations, calls the next speaker; every change audited and told through the
outbox."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.context import Context
from bot.core.holder_names import holder_name
from bot.core.messages import Button, Reply, bold
from bot.core.timefmt import venue_and_reader_time
from bot.core.when import NoSuchTime, find_time, local_instant
from handlers.speaker_actions import list_action
from handlers.speaker_words import turn_name, used_of_limit, view
from handlers.speakers import found_list
from storage import speaker_alerts
from storage import speakers as lists
from storage.directory import DelegationName
from storage.files.speaker_lines import BEHALF
from storage.models import Meeting, Speaker, SpeakerList
from storage.speakers import ListError, Turn

_AT = re.compile(r"\s+(?:at|to)\s+(\d{1,3})\s*$", re.I)
_MINUTES = re.compile(r"\s+(\d{1,2})\s*min\w*", re.I)
_LATE = re.compile(r"\s+late\b", re.I)
_BEHALF = re.compile(rf"\s*[(,]?\s*(?:{BEHALF})\s+", re.I)


def target(ctx: Context, text: str) -> DelegationName | Reply:
    """The one State or group `text` names, or a reply saying it is unknown or asking which."""
    shown = text.strip(" ()")[:80]
    found = ctx.names.mentions(text, ctx.tr.language).delegations
    if not found:
        return Reply(not_found=True).paragraph(
            ctx._("I know no State or group called “{name}”.").format(name=shown)
        )
    if len(found[0]) > 1:
        names = ", ".join(holder_name(ctx, c) for c in found[0])
        return Reply().paragraph(
            ctx._("“{name}” could be: {names}. Which one?").format(name=shown, names=names)
        )
    return found[0][0]


def read_turn(ctx: Context, text: str) -> tuple[Turn, int | None] | Reply:
    """ "Sierra Leone on behalf of the African Group 5 min late at 2": the turn, and the
    number asked for (None: where it belongs)."""
    number = _AT.search(text)
    text = _AT.sub("", text)
    limit = _MINUTES.search(text)
    text = _MINUTES.sub("", text)
    late = bool(_LATE.search(text))
    text = _LATE.sub("", text)
    state_text, *group_text = _BEHALF.split(text, maxsplit=1)
    state = target(ctx, state_text)
    if isinstance(state, Reply):
        return state
    group = target(ctx, group_text[0]) if group_text else None
    if isinstance(group, Reply):
        return group
    minutes = int(limit.group(1)) if limit else None
    if minutes is not None and not 1 <= minutes <= 30:
        return Reply().paragraph(ctx._("A time limit is from 1 to 30 minutes."))
    turn = Turn(
        state.id,
        group.id if group else None,
        minutes * 60 if minutes else None,
        late,
    )
    return turn, int(number.group(1)) if number else None


def refusal(ctx: Context, error: ListError) -> Reply:
    text = {
        "already inscribed": ctx._(
            "That delegation is already on the list (the Chair's office can allow more than one "
            "turn: /speakers MEETING repeats on)."
        ),
        "not waiting": ctx._("That turn has already come: it cannot be moved or withdrawn."),
    }.get(error.code, error.code)
    return Reply().paragraph(text, " ", ctx._("Nothing was changed."))


async def changed(
    ctx: Context, speakers_list: SpeakerList, meeting: Meeting, action: str, moved: list[Speaker]
) -> None:
    """Audit a change of the list (who, when, what) and plan the alerts it calls for."""
    shown = await view(ctx, speakers_list, meeting)
    after = [
        f"{shown.numbers[t.id]}. {turn_name(ctx, t)} [{t.status.value}]"
        for t in lists.on_list(shown.turns)
    ]
    await ctx.audit(action, f"speakers:{meeting.key}", after=after)
    await speaker_alerts.plan(ctx.session, speakers_list, ctx.now, moved)


def _at_time(ctx: Context, meeting: Meeting, text: str) -> datetime | Reply:
    """A time of day on the meeting's day (now when none is given)."""
    try:
        at = find_time(text)
    except NoSuchTime as error:
        return Reply().paragraph(ctx._("“{time}” is not a time of day.").format(time=error))
    return ctx.now if at is None else local_instant(meeting.local_date, at, meeting.timezone)


@list_action("open")
async def open_list(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Open the list for inscription (now, or at a time of the meeting's day)."""
    when = _at_time(ctx, meeting, arguments)
    if isinstance(when, Reply):
        return when
    speakers_list = await lists.ensure(ctx.session, meeting, ctx.now)
    speakers_list.opens_at = when
    lists.touch(speakers_list, ctx.now)
    if speakers_list.closes_at is not None and speakers_list.closes_at <= when:
        speakers_list.closes_at = None
    told = await speaker_alerts.plan_opening(ctx.session, speakers_list, ctx.now)
    await ctx.audit("open speakers", f"speakers:{meeting.key}", after=when.isoformat())
    time = venue_and_reader_time(when, meeting.timezone, ctx.reader_zone, ctx.tr)
    return Reply().paragraph(
        ctx._("The list of speakers opens at {time}.").format(time=time),
        " ",
        ctx.tr.ngettext(
            "{count} delegate will be told.", "{count} delegates will be told.", told
        ).format(count=told),
    )


@list_action("close")
async def close_list(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Close the list for inscription (now, or at a time): later requests are marked late."""
    when = _at_time(ctx, meeting, arguments)
    if isinstance(when, Reply):
        return when
    speakers_list = await lists.ensure(ctx.session, meeting, ctx.now)
    speakers_list.closes_at = when
    lists.touch(speakers_list, ctx.now)
    await ctx.audit("close speakers", f"speakers:{meeting.key}", after=when.isoformat())
    time = venue_and_reader_time(when, meeting.timezone, ctx.reader_zone, ctx.tr)
    return Reply().paragraph(ctx._("The list of speakers closes at {time}.").format(time=time))


@list_action("add")
async def add(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Inscribe a delegation: /speakers MEETING add STATE [on behalf of GROUP] [5 min] [late]
    [at N]."""
    read = read_turn(ctx, arguments)
    if isinstance(read, Reply):
        return read
    turn, number = read
    speakers_list = await lists.ensure(ctx.session, meeting, ctx.now)
    try:
        added, moved = await lists.inscribe(ctx.session, speakers_list, turn, ctx.now, number)
    except ListError as error:
        return refusal(ctx, error)
    await changed(ctx, speakers_list, meeting, "inscribe speaker", [added, *moved])
    numbers = lists.numbers(await lists.turns(ctx.session, speakers_list))
    return Reply().paragraph(
        ctx._("Inscribed: {delegation}, number {number}.").format(
            delegation=turn_name(ctx, added), number=numbers[added.id]
        )
    )


async def _waiting_turn(ctx: Context, speakers_list: SpeakerList, text: str) -> Speaker | Reply:
    named = target(ctx, text)
    if isinstance(named, Reply):
        return named
    turns = await lists.turns(ctx.session, speakers_list)
    found = next(
        (t for t in turns if t.delegation_id == named.id and t.status in lists.WAITING), None
    )
    if found is None:
        return Reply().paragraph(
            ctx._("{delegation} has no turn still to come on this list.").format(
                delegation=holder_name(ctx, named)
            )
        )
    return found


@list_action("move")
async def move(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Move a delegation to another number: /speakers MEETING move STATE to N."""
    number = _AT.search(" " + arguments)
    if number is None:
        return Reply().paragraph(ctx._("Move to which number? /speakers MEETING move Brazil to 3"))
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    turn = await _waiting_turn(ctx, found, _AT.sub("", " " + arguments))
    if isinstance(turn, Reply):
        return turn
    moved = await lists.move(ctx.session, found, turn, int(number.group(1)), ctx.now)
    await changed(ctx, found, meeting, "move speaker", moved)
    numbers = lists.numbers(await lists.turns(ctx.session, found))
    return Reply().paragraph(
        ctx._("Moved: {delegation} is now number {number}.").format(
            delegation=turn_name(ctx, turn), number=numbers[turn.id]
        )
    )


@list_action("withdraw")
async def withdraw(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Take a delegation's turn off the list."""
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    turn = await _waiting_turn(ctx, found, arguments)
    if isinstance(turn, Reply):
        return turn
    moved = await lists.withdraw(ctx.session, found, turn, ctx.now)
    await changed(ctx, found, meeting, "withdraw speaker", moved)
    return Reply().paragraph(
        ctx._("Withdrawn: {delegation}.").format(delegation=turn_name(ctx, turn))
    )


@list_action("next")
async def next_speaker(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Give the floor to the next speaker."""
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    finished, speaking = await lists.advance(ctx.session, found, ctx.now)
    if finished is None and speaking is None:
        return Reply().paragraph(ctx._("Nobody is waiting on the list."))
    await changed(ctx, found, meeting, "next speaker", [])
    shown = await view(ctx, found, meeting)
    reply = Reply()
    if speaking is None:
        reply.paragraph(ctx._("The list is exhausted: nobody else is inscribed."))
    else:
        reply.paragraph(
            bold(ctx._("Now speaking: {delegation}.").format(delegation=turn_name(ctx, speaking))),
            " ",
            used_of_limit(ctx, speaking),
        )
    following = shown.waiting[:1]
    if following:
        reply.paragraph(
            ctx._("Next: {delegation}.").format(delegation=turn_name(ctx, following[0]))
        )
    return reply.button_row(
        Button(ctx._("Next speaker"), f"/speakers {meeting.key} next"),
        Button(ctx._("The list"), f"/speakers {meeting.key}"),
    )


@list_action("repeats")
async def repeats(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Allow (on) or refuse (off) more than one turn per delegation."""
    return await _switch(ctx, meeting, arguments, "repeats_allowed")


@list_action("groupsfirst")
async def groups_first(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Place statements on behalf of groups first (on), or where they are put (off)."""
    return await _switch(ctx, meeting, arguments, "groups_first")


async def _switch(ctx: Context, meeting: Meeting, arguments: str, setting: str) -> Reply:
    value = arguments.strip().lower()
    if value not in ("on", "off"):
        return Reply().paragraph(ctx._("Say on or off."))
    speakers_list = await lists.ensure(ctx.session, meeting, ctx.now)
    setattr(speakers_list, setting, value == "on")
    await ctx.audit(f"speakers {setting}", f"speakers:{meeting.key}", after=value)
    said = {
        ("repeats_allowed", True): ctx._("A delegation may now have more than one turn."),
        ("repeats_allowed", False): ctx._("A delegation now has one turn at most."),
        ("groups_first", True): ctx._("Statements on behalf of groups are now placed first."),
        ("groups_first", False): ctx._("Statements on behalf of groups now go where they are put."),
    }
    return Reply().paragraph(said[(setting, value == "on")])
