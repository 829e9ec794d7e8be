"""From a Chair's letter to the programme: the meetings it announces, proposed for
confirmation, and the letter itself offered for broadcast. Nothing is stored before a button
is pressed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.commands import DOCUMENT_COMMAND, command
from bot.core.context import Context, Request
from bot.core.issue_names import issue_name
from bot.core.letters import IssueName, LetterError, ProposedMeeting, propose_meetings
from bot.core.messages import Button, Reply, bold, italic
from bot.core.timefmt import long_date, venue_and_reader_time
from handlers.announcement_text import MAX_LENGTH
from handlers.attachments import AttachmentRefused, attached_document, keep, page_of, refusal_text
from handlers.roles import CHAIR_ONLY
from storage import meetings
from storage.files.documents import DocumentText, is_readable


def add_command(proposal: ProposedMeeting, zone: str) -> str:
    """The /addmeeting command that adds a proposed meeting."""
    when = proposal.local_date.isoformat()
    if proposal.start is not None:
        when += proposal.start.astimezone(ZoneInfo(zone)).strftime(" %H:%M")
    return f"/addmeeting {when}; {proposal.room or ''}; {', '.join(proposal.issue_keys)}"


def proposals(ctx: Context, text: str) -> list[ProposedMeeting]:
    """The meetings a letter announces; raises LetterError."""
    issues = [IssueName(i.key, i.name, i.aliases) for i in ctx.names.issues.values()]
    return propose_meetings(text, issues, ctx.venue_zone)


@command("letter", usage="/letter TEXT", roles=CHAIR_ONLY, personal=True)
async def letter(ctx: Context, request: Request) -> Reply:
    """Read a letter: propose the meetings it announces, and offer to broadcast it."""
    try:
        read = None if ctx.raw_arguments else attached_document(ctx)
    except AttachmentRefused as error:
        return Reply().paragraph(refusal_text(ctx.tr, error))
    text = ctx.raw_arguments or (read.text if read else None)
    if not text:
        return Reply().paragraph(
            ctx._("Paste the letter after /letter, or send it as a .pdf, .docx, .txt or .md file.")
        )
    try:
        found = proposals(ctx, text)
    except LetterError as error:
        return Reply().paragraph(error.translated(ctx.tr)).paragraph(ctx._("Nothing was stored."))
    reply = Reply().heading(
        ctx.tr.ngettext(
            "This letter announces {count} meeting:",
            "This letter announces {count} meetings:",
            len(found),
        ).format(count=len(found))
    )
    names = {issue.key: issue_name(ctx, issue) for issue in ctx.names.issues.values()}
    for number, proposal in enumerate(found, start=1):
        await _describe(ctx, reply, proposal, names, number, read)
    if read is None:
        reply.note(ctx._("Nothing is stored before you press a button."))
    else:
        kept = await keep(ctx, read)
        reply.note(
            ctx._(
                "The file is kept as document {key} (/documents {key}); no meeting is added "
                "before you press its button."
            ).format(key=kept.key)
        )
    if len(text) <= MAX_LENGTH:
        reply.button_row(Button(ctx._("Broadcast this letter"), f"/announce {text}"))
    else:
        reply.note(
            ctx._(
                "The letter is too long for one message: announce a summary with /announce, "
                "or attach the letter with `plenary announce --attach`."
            )
        )
    return reply


async def _describe(
    ctx: Context,
    reply: Reply,
    proposal: ProposedMeeting,
    names: dict[str, str],
    number: int,
    read: DocumentText | None = None,
) -> None:
    when = (
        venue_and_reader_time(proposal.start, ctx.venue_zone, ctx.reader_zone, ctx.tr)
        if proposal.start
        else ctx._("{date}, time to be announced").format(
            date=long_date(proposal.local_date, ctx.tr)
        )
    )
    reply.item(bold(when))
    reply.item(ctx._("Room: "), proposal.room or italic(ctx._("to be announced")))
    if proposal.issue_keys:
        reply.item(ctx._("Focus: "), "; ".join(names[key] for key in proposal.issue_keys))
    page = page_of(read, proposal.excerpt) if read else None
    where = ctx._(" (page {page} of the letter)").format(page=page) if page else ""
    reply.paragraph(italic(f"“{proposal.excerpt}”"), where)
    existing = await meetings.announced(ctx.session, proposal.local_date, proposal.start)
    if existing is not None:
        reply.paragraph(ctx._("Already in the programme as {key}.").format(key=existing.key))
    else:
        label = ctx._("Add meeting {number}").format(number=number)
        reply.button_row(Button(label, add_command(proposal, ctx.venue_zone)))


@command(DOCUMENT_COMMAND, listed=False, personal=True)
async def document(ctx: Context, request: Request) -> Reply:
    """A document sent without a question: the Chair's office's letters are read."""
    attachment = ctx.incoming.attachment
    if ctx.role in CHAIR_ONLY and attachment is not None and is_readable(attachment.filename):
        return await letter(ctx, request)
    if ctx.role in CHAIR_ONLY:
        return Reply().paragraph(
            ctx._(
                "To send this document with an announcement, send it again with "
                "/announce TEXT as its caption. Letters are read from .pdf, .docx, .txt and "
                ".md files."
            )
        )
    return Reply().paragraph(ctx._("I only read text. Ask me a question, or type /help."))
