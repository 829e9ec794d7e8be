"""Files sent with a message: read (.txt, .md, .pdf, .docx), refused in the reader's language
with the reason, and kept on record with who brought them."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.document_facts import facts
from bot.core.i18n import N_, Translator, UserError
from bot.core.text import clean_paragraphs
from storage import documents
from storage.documents import NewDocument
from storage.files.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_PAGES,
    DocumentRefused,
    DocumentText,
    Refusal,
    read_document,
)
from storage.models import Document

REASONS = {
    Refusal.TOO_LARGE: N_("That file is too large: I read documents of up to {limit} MB."),
    Refusal.UNKNOWN_KIND: N_("I read documents in .pdf, .docx, .txt and .md files only."),
    Refusal.MISNAMED: N_("That file is not what its name says: its content is not a {kind} file."),
    Refusal.ENCRYPTED: N_("That file is protected by a password: send it without one."),
    Refusal.NO_TEXT: N_(
        "That file has no text I can read (a scan without a text layer?): send a version "
        "with text, or paste the text."
    ),
    Refusal.TOO_MANY_PAGES: N_(
        "That file has more than {pages} pages: send the part that matters."
    ),
    Refusal.DAMAGED: N_("That file is damaged: I could not read it."),
}


class AttachmentRefused(UserError):
    """A file sent that cannot be read; the message says why, for the reader."""


def refused(error: DocumentRefused, filename: str) -> AttachmentRefused:
    kind = filename.rsplit(".", 1)[-1].upper() if "." in filename else "?"
    return AttachmentRefused(
        REASONS[error.refusal],
        limit=MAX_DOCUMENT_BYTES // (1024 * 1024),
        pages=MAX_PAGES,
        kind=kind[:8],
    )


def read_file(filename: str, content: bytes) -> DocumentText:
    """A file's pages, each cleaned as typed text is; raises AttachmentRefused."""
    try:
        read = read_document(filename, content)
    except DocumentRefused as error:
        raise refused(error, filename) from None
    pages = tuple(clean_paragraphs(page) for page in read.pages)
    return DocumentText(read.filename, read.media_type, pages)


def attached_document(ctx: Context) -> DocumentText | None:
    """The pages of the document sent with the message, if any; raises AttachmentRefused."""
    attachment = ctx.incoming.attachment
    return None if attachment is None else read_file(attachment.filename, attachment.content)


def new_document(read: DocumentText, content: bytes, title: str | None = None) -> NewDocument:
    """A file read, with the title, date and symbol it gives itself (or `title`)."""
    found = facts(read.pages[0], read.filename, title)
    return NewDocument(
        read.filename,
        read.media_type,
        content,
        read.pages,
        found.title,
        found.issued_on,
        found.symbol,
    )


def refusal_text(tr: Translator, error: AttachmentRefused) -> str:
    return f"{error.translated(tr)} {tr.gettext('Nothing was stored.')}"


async def keep(ctx: Context, read: DocumentText, title: str | None = None) -> Document:
    """The document on record for the file sent (kept now, audited, unless kept before)."""
    attachment = ctx.incoming.attachment
    assert attachment is not None
    new = new_document(read, attachment.content, title)
    person = ctx.person.id if ctx.person else None
    document, created = await documents.keep(
        ctx.session, new, person, ctx.incoming.platform, ctx.now
    )
    if created:
        await ctx.audit("document", document.key, after={"title": document.title})
    return document


def page_of(read: DocumentText, excerpt: str) -> int | None:
    """The page (from 1) on which a sentence quoted from the document starts; None for a
    one-page document or a sentence not found."""
    if len(read.pages) < 2:
        return None
    start = " ".join(excerpt.rstrip("…").split()[:8])
    for number, page in enumerate(read.pages, start=1):
        if start in " ".join(page.split()):
            return number
    return None
