"""The lists of speakers in a digest: where the reader's delegation is inscribed."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.digest_parts import DigestSpan, digest_part
from bot.core.holder_names import holder_name
from bot.core.messages import Button, Reply, bold
from handlers.meetings import meeting_title
from storage import speakers
from storage.models import Person


@digest_part
async def places_in_digest(ctx: Context, person: Person, span: DigestSpan, reply: Reply) -> bool:
    """For a member of a delegation: its number on each list of the digest's meetings."""
    if person.delegation_id is None:
        return False
    places = []
    for meeting in span.meetings:
        found = await speakers.of_meeting(ctx.session, meeting.id)
        if found is None:
            continue
        all_turns = await speakers.turns(ctx.session, found)
        number = speakers.numbers(all_turns)
        ours = [t for t in speakers.on_list(all_turns) if t.delegation_id == person.delegation_id]
        places += [(meeting, number[turn.id], len(number)) for turn in ours]
    if not places:
        return False
    delegation = ctx.names.delegations.get(person.delegation_id)
    name = holder_name(ctx, delegation) if delegation else ""
    reply.paragraph(bold(ctx._("Lists of speakers")))
    for meeting, place, total in places:
        reply.item(
            meeting_title(ctx, meeting),
            ": ",
            ctx._("{delegation} is number {place} of {total}").format(
                delegation=name, place=ctx.tr.number(place), total=ctx.tr.number(total)
            ),
        )
        reply.button_row(Button(ctx._("List of speakers"), f"/speakers {meeting.key}"))
    return True
