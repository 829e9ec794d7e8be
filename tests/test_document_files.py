"""Letters and statements as PDF and Word files: read page by page as their .txt versions are,
and refused with the reason when they cannot be read."""

from __future__ import annotations

import pytest

from bot.core.letters import propose_meetings
from storage.files.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentRefused,
    Refusal,
    read_document,
)
from testkit import documents
from tests.test_letters import ISSUES, REFERENCE_LETTER, ZONE

SQLITE_ONLY = True
# The President's cover letter on page 1, the Chair's letter (which announces the meeting) on 2.
COVER, CHAIRS = REFERENCE_LETTER.split("New York, 11 December 2015")
PAGES = [COVER, "New York, 11 December 2015" + CHAIRS]
STATEMENT = (
    "Statement on behalf of the G4.\n\n"
    "We support expansion in both the permanent and non-permanent categories."
)


def proposals(text: str) -> list[tuple]:
    return [
        (p.local_date, p.start, p.room, p.issue_keys) for p in propose_meetings(text, ISSUES, ZONE)
    ]


@pytest.mark.parametrize(
    ("name", "make"),
    [("letter.pdf", documents.pdf), ("letter.docx", documents.word)],
)
def test_a_letter_in_pdf_or_word_is_read_as_its_text_version(name, make):
    read = read_document(name, make(PAGES))
    assert len(read.pages) == 2
    assert "11 December 2015" in read.pages[1] and "Mogens Lykketoft" in read.pages[0]
    as_text = read_document("letter.txt", "\f".join(PAGES).encode())
    assert proposals(read.text) == proposals(as_text.text) == proposals(REFERENCE_LETTER)
    assert "Trusteeship Council Chamber" in read.pages[1]


@pytest.mark.parametrize(
    ("name", "make"),
    [("statement.pdf", documents.pdf), ("statement.docx", documents.word)],
)
def test_a_statement_in_pdf_or_word_keeps_its_words(name, make):
    read = read_document(name, make([STATEMENT]))
    assert " ".join(read.text.split()) == " ".join(STATEMENT.split())
    assert read.pages == (read.text,)


def test_a_pdf_with_only_an_owner_password_is_read():
    read = read_document("restricted.pdf", documents.pdf([STATEMENT], owner_password="chair"))
    assert "non-permanent categories" in read.text


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("scan.pdf", documents.scanned_pdf(), Refusal.NO_TEXT),
        ("locked.pdf", documents.pdf([STATEMENT], user_password="secret"), Refusal.ENCRYPTED),
        ("locked.docx", documents.encrypted_word(), Refusal.ENCRYPTED),
        ("huge.pdf", b"%PDF-1.4\n" + bytes(MAX_DOCUMENT_BYTES), Refusal.TOO_LARGE),
        ("letter.pdf", documents.word([STATEMENT]), Refusal.MISNAMED),
        ("letter.docx", documents.pdf([STATEMENT]), Refusal.MISNAMED),
        ("letter.txt", documents.pdf([STATEMENT]), Refusal.MISNAMED),
        ("letter.docx", b"PK\x03\x04 not really a zip", Refusal.MISNAMED),
        ("letter.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", Refusal.DAMAGED),
        ("photo.jpg", b"\xff\xd8\xff\xe0", Refusal.UNKNOWN_KIND),
        ("empty.txt", b"  \n", Refusal.NO_TEXT),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_reason(name, content, refusal):
    with pytest.raises(DocumentRefused) as refused:
        read_document(name, content)
    assert refused.value.refusal == refusal


def test_a_word_file_that_unpacks_to_a_bomb_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024))
    assert len(out.getvalue()) < MAX_DOCUMENT_BYTES
    with pytest.raises(DocumentRefused) as refused:
        read_document("bomb.docx", out.getvalue())
    assert refused.value.refusal == Refusal.TOO_LARGE
