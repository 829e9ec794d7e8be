"""Coverage within a delegation: "I'll cover / can't / maybe" on a meeting, /coverage for the
upcoming meetings nobody covers; the focal point's digest and day-before reminder say so.
In plain words: "who covers Monday's meeting?"."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.digest_parts import DigestSpan, digest_part
from bot.core.holder_names import holder_name
from bot.core.i18n import N_
from bot.core.messages import Button, Reply, bold, italic
from handlers.coverage_buttons import cover_buttons
from handlers.meetings import meeting_title, summary_line
from storage import coverage, meetings
from storage.models import CoverAnswer, Meeting, MeetingStatus, Person, Role

AHEAD = 10  # upcoming meetings /coverage looks at


def _delegation_name(ctx: Context, delegation_id: int) -> str:
    holder = ctx.names.delegations.get(delegation_id)
    return holder_name(ctx, holder) if holder else "—"


def _not_a_member(ctx: Context) -> Reply:
    return Reply().paragraph(
        ctx._(
            "Coverage is shared within a delegation: say which one you belong to with "
            "/delegation NAME, and once its focal point confirms it, try again."
        )
    )


@command("cover", usage=N_("/cover MEETING yes|no|maybe"), personal=True, listed=False)
async def cover(ctx: Context, request: Request) -> Reply:
    """Say whether you will cover a meeting for your delegation."""
    words = request.text.split()
    said = {"yes": CoverAnswer.YES, "no": CoverAnswer.NO, "maybe": CoverAnswer.MAYBE}
    if len(words) != 2 or words[1].lower() not in said:
        return Reply().paragraph(
            ctx._("Say /cover MEETING yes, no or maybe, e.g. /cover 2016-03-14 yes."),
            " ",
            ctx._("Nothing was done."),
        )
    if ctx.person is None or ctx.person.delegation_id is None:
        return _not_a_member(ctx)
    meeting = await meetings.by_key(ctx.session, words[0].lower())
    if meeting is None or meeting.until_at < ctx.now:
        return Reply(not_found=True).paragraph(
            ctx._("I know no meeting to come called “{name}”.").format(name=words[0][:40])
        )
    answer = said[words[1].lower()]
    await coverage.answer(
        ctx.session, meeting.id, ctx.person.id, ctx.person.delegation_id, answer, ctx.now
    )
    return await _meetings_covered(ctx, [meeting], ctx.person.delegation_id)


@command("coverage", usage=N_("/coverage [DATE]"), personal=True)
async def coverage_of_meetings(ctx: Context, request: Request) -> Reply:
    """Who of your delegation covers the upcoming meetings, and which nobody covers.

    What plain words ask: "who covers Monday's meeting?"."""
    if ctx.person is None or ctx.person.delegation_id is None:
        return _not_a_member(ctx)
    if request.day is not None:
        found = await meetings.on_date(ctx.session, request.day)
    else:
        found = await meetings.upcoming(ctx.session, ctx.now, limit=AHEAD, only_scheduled=True)
    if not found:
        return Reply().paragraph(ctx._("No meeting to come on that day."))
    return await _meetings_covered(ctx, found, ctx.person.delegation_id)


async def _meetings_covered(ctx: Context, found: list[Meeting], delegation_id: int) -> Reply:
    said = await coverage.answers(ctx.session, delegation_id, [m.id for m in found])
    reply = Reply().heading(
        ctx._("Coverage: {delegation}").format(delegation=_delegation_name(ctx, delegation_id))
    )
    labels = {
        CoverAnswer.YES: ctx._("covers it"),
        CoverAnswer.NO: ctx._("can't"),
        CoverAnswer.MAYBE: ctx._("maybe"),
    }
    for meeting in found:
        reply.paragraph(bold(meeting_title(ctx, meeting)), ": ", *summary_line(ctx, meeting))
        answers = said.get(meeting.id, [])
        if not any(a == CoverAnswer.YES for _name, a in answers):
            reply.item(bold(ctx._("Nobody covers it yet.")))
        for name, answer in answers:
            reply.item(name or ctx._("a member"), ": ", italic(labels[answer]))
        reply.button_row(*cover_buttons(ctx, meeting))
    return reply


async def nobody_covers(ctx: Context, meeting: Meeting) -> str | None:
    """For a focal point: a line saying nobody of their delegation covers the meeting."""
    person = ctx.person
    if person is None or person.role != Role.FOCAL_POINT or person.delegation_id is None:
        return None
    if await coverage.uncovered(ctx.session, person.delegation_id, [meeting.id]):
        return ctx._("Nobody in {delegation} has said they will cover this meeting.").format(
            delegation=_delegation_name(ctx, person.delegation_id)
        )
    return None


@digest_part
async def uncovered_in_digest(ctx: Context, person: Person, span: DigestSpan, reply: Reply) -> bool:
    """A focal point's digest: the meetings of its span nobody of the delegation covers."""
    if person.role != Role.FOCAL_POINT or person.delegation_id is None:
        return False
    upcoming = [m for m in span.meetings if m.status == MeetingStatus.SCHEDULED]
    missing = set(
        await coverage.uncovered(ctx.session, person.delegation_id, [m.id for m in upcoming])
    )
    if not missing:
        return False
    reply.paragraph(
        bold(
            ctx._("Nobody in {delegation} covers:").format(
                delegation=_delegation_name(ctx, person.delegation_id)
            )
        )
    )
    for meeting in upcoming:
        if meeting.id in missing:
            reply.item(meeting_title(ctx, meeting), ": ", *summary_line(ctx, meeting))
    reply.button_row(Button(ctx._("Coverage"), "/coverage"))
    return True
