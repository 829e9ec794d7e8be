"""Reading letters and statements sent as files (.txt, .md, .pdf, .docx) into pages of text,
or refusing them with the reason: too large, not what the name says, encrypted, no text."""

from __future__ import annotations

import enum
import io
import logging
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from storage.files.encoding import decoded

if TYPE_CHECKING:
    import docx.document

# pypdf and python-docx are imported when a file comes, not at start: together they took a
# fifth of the time `plenary run` needed to be ready (bench/start.py).

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024  # a long letter with its annex is a few hundred KB
MAX_PAGES = 300
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # a .docx is a zip: refuse one that unpacks to a bomb
MAX_ZIP_MEMBERS = 2000
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {".txt": "text/plain", ".md": "text/markdown", ".pdf": PDF, ".docx": DOCX}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word's encrypted .docx and the old .doc
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class Refusal(enum.StrEnum):
    """Why a file was not read."""

    TOO_LARGE = "too large"
    UNKNOWN_KIND = "unknown kind"  # a name ending in none of MEDIA_TYPES
    MISNAMED = "misnamed"  # the content is not what the name says
    ENCRYPTED = "encrypted"
    NO_TEXT = "no text"  # a scan with no text layer, or an empty file
    TOO_MANY_PAGES = "too many pages"
    DAMAGED = "damaged"


class DocumentRefused(ValueError):
    """The file cannot be read; `refusal` says why (the caller words it for the reader)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class DocumentText:
    """A file's text, a page at a time (a text file, or a Word file without page breaks, is
    one page)."""

    filename: str
    media_type: str
    pages: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


def is_readable(filename: str) -> bool:
    """True for a name that `read_document` reads (by its ending)."""
    return PurePath(filename.lower()).suffix in MEDIA_TYPES


def read_document(filename: str, content: bytes) -> DocumentText:
    """The pages of text of a .txt, .md, .pdf or .docx file; raises DocumentRefused."""
    suffix = PurePath(filename.lower()).suffix
    if suffix not in MEDIA_TYPES:
        raise DocumentRefused(Refusal.UNKNOWN_KIND)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(Refusal.TOO_LARGE)
    reader = {".pdf": _pdf_pages, ".docx": _docx_pages}.get(suffix, _text_pages)
    pages = tuple(page.strip() for page in reader(content))
    if not any(pages):
        raise DocumentRefused(Refusal.NO_TEXT)
    return DocumentText(PurePath(filename).name, MEDIA_TYPES[suffix], pages)


def _text_pages(content: bytes) -> list[str]:
    if content.startswith((b"%PDF-", b"PK\x03\x04", _OLE)):
        raise DocumentRefused(Refusal.MISNAMED)
    return decoded(content).split("\f")  # a form feed is a page break in plain text


def _pdf_pages(content: bytes) -> list[str]:
    if not content[:1024].lstrip().startswith(b"%PDF-"):
        raise DocumentRefused(Refusal.MISNAMED)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        # A PDF with only an owner password (no printing, no copying) opens without one.
        if reader.is_encrypted and not reader.decrypt(""):  # PasswordType.NOT_DECRYPTED is 0
            raise DocumentRefused(Refusal.ENCRYPTED)
        if len(reader.pages) > MAX_PAGES:
            raise DocumentRefused(Refusal.TOO_MANY_PAGES)
        return [page.extract_text() or "" for page in reader.pages]
    except DocumentRefused:
        raise
    except PyPdfError as error:
        if "decrypt" in str(error).lower() or "encrypt" in str(error).lower():
            raise DocumentRefused(Refusal.ENCRYPTED) from None
        log.warning("a PDF could not be read: %s", error)
        raise DocumentRefused(Refusal.DAMAGED) from None
    except Exception as error:  # pypdf on a malformed file raises what its parser hits
        log.warning("a PDF could not be read: %r", error)
        raise DocumentRefused(Refusal.DAMAGED) from None


def _docx_pages(content: bytes) -> list[str]:
    if content.startswith(_OLE):
        encrypted = _ENCRYPTED_PACKAGE in content
        raise DocumentRefused(Refusal.ENCRYPTED if encrypted else Refusal.MISNAMED)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if "word/document.xml" not in {member.filename for member in members}:
                raise DocumentRefused(Refusal.MISNAMED)
            unpacked = sum(member.file_size for member in members)
            if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNZIPPED_BYTES:
                raise DocumentRefused(Refusal.TOO_LARGE)
        import docx

        return _word_pages(docx.Document(io.BytesIO(content)))
    except DocumentRefused:
        raise
    except zipfile.BadZipFile:
        raise DocumentRefused(Refusal.MISNAMED) from None
    except Exception as error:  # python-docx and lxml on a malformed part
        log.warning("a Word file could not be read: %r", error)
        raise DocumentRefused(Refusal.DAMAGED) from None


@cache
def _word_tags() -> tuple[str, str, str, str, str]:
    """Word's element names: text, break, tab, rendered page break, and the type attribute."""
    from docx.oxml.ns import qn

    return qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:lastRenderedPageBreak"), qn("w:type")


def _word_pages(document: docx.document.Document) -> list[str]:
    """The body's paragraphs and tables, split into pages where Word last broke them when it
    saved (those breaks include the typed ones), else at the typed page breaks."""
    import docx.table

    text_tag, break_tag, tab_tag, rendered_tag, type_attribute = _word_tags()
    body = document.element.body
    rendered = next(body.iter(rendered_tag), None) is not None
    pages: list[list[str]] = [[]]
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            pages[-1].extend(
                " | ".join(cell.text.strip() for cell in row.cells) for row in block.rows
            )
            continue
        if block.paragraph_format.page_break_before and pages[-1]:
            pages.append([])
        line: list[str] = []
        for element in block._p.iter(text_tag, break_tag, tab_tag, rendered_tag):
            if element.tag == text_tag:
                line.append(element.text or "")
            elif element.tag == tab_tag:
                line.append("\t")
            elif element.tag == rendered_tag or element.get(type_attribute) == "page":
                if (element.tag == rendered_tag) == rendered:
                    pages[-1].append("".join(line))
                    pages.append([])
                    line = []
            else:
                line.append("\n")
        pages[-1].append("".join(line))
    return ["\n\n".join(page) for page in pages]  # a paragraph is a paragraph, as in .txt
