"""Alerts about a list of speakers, rendered when they are sent: the list as it stands then."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Button, Reply, bold
from handlers.meetings import meeting_title
from handlers.speaker_words import ListView, turn_name, two_times, view
from storage import speaker_alerts
from storage.models import Delivery, Meeting, SpeakerList, SpeakerRequest


def _place(ctx: Context, shown: ListView, speaker_id: int) -> str:
    """ "Number 5: 3 speakers before you, about 10:42 New York time (16:42 Paris time)."""
    turn = next(t for t in shown.turns if t.id == speaker_id)
    before = shown.before(turn)
    return ctx.tr.ngettext(
        "Number {number}: {count} speaker before you, about {time}.",
        "Number {number}: {count} speakers before you, about {time}.",
        before,
    ).format(
        number=shown.numbers[turn.id],
        count=before,
        time=two_times(ctx, shown.estimates[turn.id], shown.meeting.timezone),
    )


async def notice(ctx: Context, delivery: Delivery, speakers: SpeakerList) -> Reply:
    """The alert a delivery carries, in its reader's language and time zone."""
    meeting = await ctx.session.get(Meeting, speakers.meeting_id)
    assert meeting is not None  # the list goes with its meeting
    title = meeting_title(ctx, meeting)
    event, payload = delivery.payload["event"], delivery.payload
    reply = Reply()
    if event == "opened":
        reply.paragraph(
            ctx._("The list of speakers of {meeting} is open for inscription.").format(
                meeting=title
            )
        )
        return reply.button_row(Button(ctx._("Ask to speak"), f"/speak {meeting.key}"))
    if event == "declined":
        asked = await ctx.session.get(SpeakerRequest, payload["request"])
        reason = asked.reason if asked else ""
        return reply.paragraph(
            ctx._("Your request to speak at {meeting} was declined: {reason}").format(
                meeting=title, reason=reason
            )
        )
    shown = await view(ctx, speakers, meeting)
    turn = next(t for t in shown.turns if t.id == payload["speaker"])
    name = turn_name(ctx, turn)
    headlines = {
        "floor": ctx._("{delegation} takes the floor at {meeting}."),
        "next": ctx._("{delegation}: you are next at {meeting}."),
        "ahead": ctx._("{delegation}: your turn is coming at {meeting}."),
        "fix": ctx._("Correction: the place of {delegation} at {meeting} changed."),
        "inscribed": ctx._("{delegation} is inscribed on the list of speakers of {meeting}."),
        "place": ctx._("The place of {delegation} at {meeting} changed."),
    }
    first = event == "place" and not await speaker_alerts.placed_before(ctx.session, delivery)
    said = "inscribed" if first else event
    reply.paragraph(bold(headlines[said].format(delegation=name, meeting=title)))
    if said not in ("floor", "next"):
        reply.paragraph(_place(ctx, shown, turn.id))
    return reply.button_row(Button(ctx._("The list"), f"/speakers {meeting.key}"))
