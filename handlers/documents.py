"""Documents on record: the list, one sent back as its file, and a file added by the Chair's
office or a focal point."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.messages import Attachment, Button, Reply, bold, link
from bot.core.timefmt import short_date
from handlers.attachments import AttachmentRefused, attached_document, keep, refusal_text
from handlers.paging import PAGE_SIZE, turn_pages, window
from storage import documents
from storage.models import Document, Role

_ADD = "add"
BRINGERS = frozenset({Role.CHAIR, Role.FOCAL_POINT})


def _described(ctx: Context, document: Document) -> list[str]:
    parts = [short_date(document.issued_on, ctx.tr)] if document.issued_on else []
    if document.symbol:
        parts.append(document.symbol)
    return parts


@command("documents", usage="/documents [DOCUMENT | add [TITLE]]", personal=True)
async def documents_on_record(ctx: Context, request: Request) -> Reply:
    """Letters, papers and statements on record; name one to get its file."""
    text = request.text.strip()
    first, _, rest = text.partition(" ")
    if first.casefold() == _ADD:
        return await _add(ctx, rest.strip() or None)
    if text:
        return await _one(ctx, text)
    limit, offset = window(request)
    found = await documents.known(ctx.session, ctx.today, limit, offset)
    reply = Reply().heading(ctx._("Documents"))
    if not found:
        return reply.paragraph(ctx._("No document is on record yet."))
    for document in found[:PAGE_SIZE]:
        reply.item(bold(document.title), *(f" · {part}" for part in _described(ctx, document)))
        reply.note(f"/documents {document.key}")
    turn_pages(ctx, reply, "/documents", request, len(found))
    return reply


async def _one(ctx: Context, reference: str) -> Reply:
    document = await documents.find(ctx.session, reference, ctx.today)
    if document is None:
        return (
            Reply(not_found=True)
            .paragraph(ctx._("No document “{name}” is on record.").format(name=reference[:80]))
            .button_row(Button(ctx._("Documents"), "/documents"))
        )
    reply = Reply().heading(document.title)
    if details := _described(ctx, document):
        reply.paragraph(" · ".join(details))
    if document.url:
        reply.paragraph(link(document.url, document.url))
    if document.content is None:
        return reply.note(ctx._("Plenary holds no file of this document."))
    reply.attachments.append(
        Attachment(
            document.filename or f"{document.key}", document.content, document.media_type or ""
        )
    )
    pages = len(document.pages or ())
    return reply.note(ctx.tr.ngettext("{count} page", "{count} pages", pages).format(count=pages))


async def _add(ctx: Context, title: str | None) -> Reply:
    if ctx.role not in BRINGERS:
        await ctx.audit("document", "add", allowed=False)
        return Reply().paragraph(
            ctx._("Only the Chair's office and delegations' focal points add documents.")
        )
    try:
        read = attached_document(ctx)
    except AttachmentRefused as error:
        return Reply().paragraph(refusal_text(ctx.tr, error))
    if read is None:
        return Reply().paragraph(
            ctx._("Send the file (.pdf, .docx, .txt or .md) with /documents add as its caption.")
        )
    document = await keep(ctx, read, title)
    return Reply().paragraph(
        ctx._("Kept as document {key}: {title}.").format(key=document.key, title=document.title)
    )
