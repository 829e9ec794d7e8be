"""A list of speakers as the Secretariat circulates it, pasted by the Chair's office: a preview
with every name resolved (unknown or ambiguous ones asked, nothing to confirm until they are
settled) and what moved since the list before; confirmed, it becomes the list."""

from __future__ import annotations

from collections import Counter

from bot.core import drafts
from bot.core.context import Context
from bot.core.drafts import draft_kind
from bot.core.holder_names import holder_name
from bot.core.messages import Reply, Span, bold, italic
from handlers.attachments import AttachmentRefused, attached_document, refusal_text
from handlers.roles import CHAIR_ONLY
from handlers.speaker_actions import list_action
from handlers.speaker_chair import changed, target
from handlers.speaker_words import list_title, minutes, turn_name
from storage import meetings
from storage import speakers as lists
from storage.files.speaker_lines import Line, read, read_file_text
from storage.models import Draft, Meeting, Speaker, SpeakerList
from storage.speakers import Turn

KIND = "speakers"


def _resolve(ctx: Context, line: Line) -> Turn | str:
    """The turn a line asks for, or what is wrong with it."""
    state = target(ctx, line.name)
    group = target(ctx, line.on_behalf) if line.on_behalf else None
    for found in (state, group):
        if isinstance(found, Reply):
            return found.text
    limit = line.minutes * 60 if line.minutes and 1 <= line.minutes <= 30 else None
    return Turn(state.id, group.id if group else None, limit, line.late)  # type: ignore[union-attr]


@list_action("paste")
async def paste(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Replace the turns still to come by a list pasted as text or CSV, or sent as a file
    (.txt, .md, .docx, .pdf), after a preview."""
    try:
        document = None if arguments.strip() else attached_document(ctx)
    except AttachmentRefused as error:
        return Reply().paragraph(refusal_text(ctx.tr, error))
    lines = read(arguments) if document is None else read_file_text(document.text)
    if not lines:
        return Reply().paragraph(
            ctx._(
                "Paste the list after the command, one delegation a line, e.g. "
                "“1. Sierra Leone (on behalf of the African Group)”, or send it as a "
                ".txt, .md, .docx or .pdf file with the command as its caption."
            )
        )
    resolved = [(line, _resolve(ctx, line)) for line in lines]
    problems = [(line, why) for line, why in resolved if isinstance(why, str)]
    reply = Reply().heading(ctx._("Preview: {title}").format(title=list_title(ctx, meeting)))
    if problems:
        reply.paragraph(ctx._("Some lines need a clearer name. Nothing was changed."))
        for line, why in problems:
            reply.item(bold(ctx._("Line {number}").format(number=line.number)), ": ", why)
        return reply.note(ctx._("Correct those lines and paste the list again."))
    turns = [turn for _line, turn in resolved if isinstance(turn, Turn)]
    counted = Counter(t.delegation_id for t in turns)
    repeated = [d for d, times in counted.items() if times > 1]
    if repeated:
        names = ", ".join(holder_name(ctx, ctx.names.delegations[d]) for d in repeated)
        return reply.paragraph(
            ctx._("These delegations appear twice: {names}. Nothing was changed.").format(
                names=names
            )
        )
    existing = await lists.of_meeting(ctx.session, meeting.id)
    before = await _waiting_numbers(ctx, existing)
    for number, turn in enumerate(turns, start=1):
        reply.item(*_preview_line(ctx, number, turn, before))
    kept = {t.delegation_id for t in turns}
    for delegation_id in before:
        if delegation_id not in kept:
            name = holder_name(ctx, ctx.names.delegations[delegation_id])
            reply.item(
                italic(ctx._("{delegation}: withdrawn (not in this list)").format(delegation=name))
            )
    payload = {
        "meeting": meeting.key,
        "turns": [[t.delegation_id, t.on_behalf_id, t.limit, t.late] for t in turns],
    }
    draft = await drafts.propose(ctx, KIND, payload, f"speakers:{meeting.key}")
    reply.note(ctx._("Nothing changes before you confirm."))
    return reply.button_row(*drafts.buttons(ctx, draft))


async def _waiting_numbers(ctx: Context, speakers_list: SpeakerList | None) -> dict[int, int]:
    """Each delegation still to speak on the current list, with its number."""
    if speakers_list is None:
        return {}
    turns = await lists.turns(ctx.session, speakers_list)
    numbers = lists.numbers(turns)
    return {t.delegation_id: numbers[t.id] for t in turns if t.status in lists.WAITING}


def _preview_line(
    ctx: Context, number: int, turn: Turn, before: dict[int, int]
) -> tuple[str | Span, ...]:
    shown = Speaker(delegation_id=turn.delegation_id, on_behalf_id=turn.on_behalf_id)
    parts: list[str | Span] = [
        f"{number}. ",
        turn_name(ctx, shown),
        " · ",
        minutes(ctx, turn.limit),
    ]
    if turn.late:
        parts.append(" · " + ctx._("late addition"))
    was = before.get(turn.delegation_id)
    if was is None:
        parts.append(" · " + ctx._("new"))
    elif was != number:
        parts.append(" · " + ctx._("moved from {number}").format(number=was))
    return tuple(parts)


@draft_kind(KIND, roles=CHAIR_ONLY)
async def apply_paste(ctx: Context, draft: Draft) -> Reply:
    """A confirmed pasted list becomes the list's turns still to come."""
    meeting = await meetings.by_key(ctx.session, draft.payload["meeting"])
    if meeting is None:
        return Reply().paragraph(ctx._("That meeting no longer exists. Nothing was changed."))
    wanted = [Turn(d, g, limit, late) for d, g, limit, late in draft.payload["turns"]]
    speakers_list = await lists.ensure(ctx.session, meeting, ctx.now)
    moved = await lists.replace_all(ctx.session, speakers_list, wanted, ctx.now)
    await changed(ctx, speakers_list, meeting, "paste speakers", moved)
    return Reply().paragraph(
        ctx.tr.ngettext(
            "The list is stored: {count} turn to come.",
            "The list is stored: {count} turns to come.",
            len(wanted),
        ).format(count=len(wanted))
    )
