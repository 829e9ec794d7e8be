"""Delegations ask to speak (`/speak MEETING [on behalf of GROUP]`), the Chair's office accepts,
places or declines (the reason sent back); anyone asks to be told when a State or group takes
the floor (`/floor Brazil`)."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name
from bot.core.messages import Button, Reply
from handlers.speaker_actions import list_action
from handlers.speaker_chair import changed, refusal, target
from handlers.speaker_words import turn_name
from handlers.speakers import found_list, meeting_and_rest
from storage import outbox, speaker_alerts
from storage import speakers as lists
from storage.files.speaker_lines import BEHALF
from storage.models import FloorWatch, Meeting, SpeakerRequest
from storage.speakers import ListError, Turn
from storage.subscriptions import reaching_accounts

_BEHALF = re.compile(rf"^\s*(?:{BEHALF})\s+", re.I)


@command("speak", usage="/speak MEETING [on behalf of GROUP]", personal=True)
async def speak(ctx: Context, request: Request) -> Reply:
    """Ask the Chair's office to inscribe your delegation on a meeting's list of speakers."""
    delegation_id = ctx.person.delegation_id if ctx.person else None
    if delegation_id is None:
        return Reply().paragraph(
            ctx._(
                "Only a delegation can ask to speak: say which one you belong to first "
                "(/delegation NAME), and a focal point of it confirms."
            )
        )
    meeting, rest = await meeting_and_rest(ctx, request.text)
    if meeting is None:
        return Reply().paragraph(ctx._("There is no meeting ahead to speak at."))
    speakers_list = await lists.of_meeting(ctx.session, meeting.id)
    if speakers_list is None or speakers_list.opens_at is None or speakers_list.opens_at > ctx.now:
        return Reply().paragraph(ctx._("The list of speakers of that meeting is not open yet."))
    group_id = None
    if rest.strip():
        group = target(ctx, _BEHALF.sub("", rest))
        if isinstance(group, Reply):
            return group
        group_id = group.id
    late = speakers_list.closes_at is not None and speakers_list.closes_at <= ctx.now
    turn = Turn(delegation_id, group_id, late=late)
    person = await ctx.person_for_update()
    asked = await lists.request_turn(ctx.session, speakers_list, turn, person.id, ctx.now)
    await ctx.audit("request to speak", f"speakers:{meeting.key}", after=turn_name(ctx, asked))
    reply = Reply().paragraph(
        ctx._("Your request is with the Chair's office: {delegation}.").format(
            delegation=turn_name(ctx, asked)
        )
    )
    if late:
        reply.note(ctx._("The list is closed: this is a late request."))
    return reply.note(ctx._("You will be told your place once it is accepted."))


@list_action("requests")
async def requests(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Pending requests to speak, each with Accept and Decline."""
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    pending = await lists.pending_requests(ctx.session, found)
    if not pending:
        return Reply().paragraph(ctx._("No request to speak is waiting."))
    reply = Reply().heading(ctx._("Requests to speak"))
    for asked in pending:
        reply.item(f"#{asked.id} ", turn_name(ctx, asked))
        reply.button_row(
            Button(ctx._("Accept"), f"/speakers {meeting.key} accept {asked.id}"),
            Button(ctx._("Decline"), f"/speakers {meeting.key} decline {asked.id}"),
        )
    return reply.note(ctx._("Place one: accept ID at N. Give a reason: decline ID REASON."))


async def _pending(
    ctx: Context, meeting: Meeting, arguments: str
) -> tuple[SpeakerRequest, str] | Reply:
    number, _, rest = arguments.strip().partition(" ")
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    asked = await ctx.session.get(SpeakerRequest, int(number)) if number.isdigit() else None
    if asked is None or asked.list_id != found.id or asked.status != "pending":
        return Reply().paragraph(
            ctx._("No such request is waiting (see /speakers MEETING requests).")
        )
    return asked, rest.strip()


@list_action("accept")
async def accept(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Accept a request to speak: where it belongs, or at N."""
    found = await _pending(ctx, meeting, arguments)
    if isinstance(found, Reply):
        return found
    asked, rest = found
    place = re.search(r"(\d{1,3})", rest)
    speakers_list = await lists.of_meeting(ctx.session, meeting.id)
    assert speakers_list is not None
    late = speakers_list.closes_at is not None and speakers_list.closes_at <= asked.created_at
    turn = Turn(asked.delegation_id, asked.on_behalf_id, late=late)
    try:
        added, moved = await lists.inscribe(
            ctx.session, speakers_list, turn, ctx.now, int(place.group(1)) if place else None
        )
    except ListError as error:
        return refusal(ctx, error)
    asked.status, asked.decided_at = "accepted", ctx.now
    await changed(ctx, speakers_list, meeting, "accept request to speak", [added, *moved])
    return Reply().paragraph(
        ctx._("Accepted: {delegation}. Its members are told their place.").format(
            delegation=turn_name(ctx, asked)
        )
    )


@list_action("decline")
async def decline(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Decline a request to speak, with the reason sent back."""
    found = await _pending(ctx, meeting, arguments)
    if isinstance(found, Reply):
        return found
    asked, reason = found
    if not reason:
        return Reply().paragraph(ctx._("Give the reason: decline ID REASON."))
    asked.status, asked.decided_at, asked.reason = "declined", ctx.now, reason[:500]
    await ctx.audit("decline request to speak", f"speakers:{meeting.key}", after=reason[:500])
    if asked.person_id is not None:
        accounts = await reaching_accounts(ctx.session, [asked.person_id])
        speakers_list = await lists.of_meeting(ctx.session, meeting.id)
        payload = {"event": "declined", "request": asked.id}
        rows = [
            speaker_alerts.alert_row(
                f"{speaker_alerts.KIND}:{asked.list_id}:declined:{asked.id}:{a.id}",
                speakers_list,
                a.id,
                payload,
                ctx.now,
            )
            for a in accounts
        ]
        await outbox.enqueue(ctx.session, rows)
    return Reply().paragraph(
        ctx._("Declined: {delegation}. The reason is sent back.").format(
            delegation=turn_name(ctx, asked)
        )
    )


@command("floor", usage="/floor STATE-OR-GROUP | /floor off STATE-OR-GROUP", personal=True)
async def floor(ctx: Context, request: Request) -> Reply:
    """Be told when a State or group takes the floor, at any meeting."""
    text = request.text.strip()
    stop = text.lower().startswith("off ")
    named = target(ctx, text[4:] if stop else text) if text else None
    if named is None:
        return Reply().paragraph(ctx._("Whom? /floor Brazil, or /floor off Brazil."))
    if isinstance(named, Reply):
        return named
    person = await ctx.person_for_update()
    name = holder_name(ctx, named)
    held = await ctx.session.scalar(
        select(FloorWatch).where(
            FloorWatch.person_id == person.id, FloorWatch.delegation_id == named.id
        )
    )
    if stop:
        if held is not None:
            await ctx.session.delete(held)
        return Reply().paragraph(
            ctx._("You will no longer be told when {name} takes the floor.").format(name=name)
        )
    if held is None:
        ctx.session.add(FloorWatch(person_id=person.id, delegation_id=named.id, created_at=ctx.now))
    return Reply().paragraph(
        ctx._("You will be told when {name} takes the floor.").format(name=name)
    )
