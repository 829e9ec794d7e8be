"""Documents in chat and at the command line: letters and statements as PDF and Word files,
kept with who brought them, listed, sent back; what cannot be read is refused, nothing stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from bot.core.messages import Attachment, Incoming
from storage.models import AuditEntry, Document, Meeting, PositionVersion
from testkit import documents
from tests.test_announcements import CHAIR, make_chair, make_focal_point, says
from tests.test_cli import plenary as cli
from tests.test_document_files import PAGES, STATEMENT
from tests.test_letter_flow import OWN_LETTER
from tests.test_programme import change


async def send_file(plenary, user: str, text: str, name: str, content: bytes):
    attachment = Attachment(name, content, "application/octet-stream")
    incoming = Incoming("console", user, text, chat_id=user, direct_chat_id=user)
    return await plenary.core.answer(replace(incoming, attachment=attachment))


async def count(plenary, model) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def stored(plenary, key: str) -> Document:
    async with plenary.sessions() as session:
        return await session.scalar(
            select(Document).where(Document.key == key).options(undefer(Document.content))
        )


@pytest.mark.parametrize(
    ("name", "make"), [("letter.pdf", documents.pdf), ("letter.docx", documents.word)]
)
async def test_a_letter_file_proposes_its_meeting_with_its_page_and_is_kept(plenary, name, make):
    await make_chair(plenary)
    meetings, kept = await count(plenary, Meeting), await count(plenary, Document)
    content = make(PAGES)
    reply = await send_file(plenary, CHAIR, "/letter", name, content)
    assert "This letter announces 1 meeting:" in reply.text
    assert "Wednesday 3 February 2016, 10:00 New York time" in reply.text
    assert "(page 2 of the letter)" in reply.text
    assert "Already in the programme as ign70-1" in reply.text
    assert await count(plenary, Meeting) == meetings
    assert await count(plenary, Document) == kept + 1
    key = reply.text.split("kept as document ")[1].split(" ")[0]
    document = await stored(plenary, key)
    assert document.content == content and len(document.sha256) == 64
    assert document.issued_on == date(2015, 12, 14) and document.brought_via == "console"
    assert document.brought_by_id is not None
    again = await send_file(plenary, CHAIR, "", name, content)  # a file alone is read too
    assert f"kept as document {key} " in again.text
    assert await count(plenary, Document) == kept + 1, "the same file is kept once"


async def test_a_new_meeting_from_a_word_letter_is_added_on_its_button(plenary):
    await make_chair(plenary)
    reply = await send_file(plenary, CHAIR, "/letter", "own.docx", documents.word([OWN_LETTER]))
    labels = {b.label: b.command for row in reply.buttons for b in row}
    assert labels["Add meeting 1"] == "/addmeeting 2016-03-07 15:00; Conference Room 4; veto"
    assert "(page" not in reply.text, "a one-page letter names no page"
    assert "Added:" in await change(plenary, labels["Add meeting 1"])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("scan.pdf", documents.scanned_pdf(), "has no text I can read"),
        ("locked.pdf", documents.pdf(PAGES, user_password="x"), "protected by a password"),
        ("locked.docx", documents.encrypted_word(), "protected by a password"),
        ("letter.docx", documents.pdf(PAGES), "not what its name says"),
        ("letter.pdf", b"%PDF-1.4\n" + bytes(6 * 1024 * 1024), "up to 5 MB"),
    ],
)
async def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_stored(
    plenary, name, content, reason
):
    await make_chair(plenary)
    before = [await count(plenary, model) for model in (Meeting, Document, AuditEntry)]
    reply = await send_file(plenary, CHAIR, "/letter", name, content)
    assert reason in reply.text and "Nothing was stored." in reply.text
    assert [await count(plenary, model) for model in (Meeting, Document, AuditEntry)] == before


async def test_a_position_from_a_word_statement_cites_the_document(plenary):
    await make_focal_point(plenary, "brasilia", "G4")
    preview = await send_file(
        plenary, "brasilia", "/submit categories", "g4.docx", documents.word([STATEMENT])
    )
    assert "Preview: G4 on categories of membership" in preview.text
    assert "non-permanent categories" in preview.text
    assert "Submitted: version 2" in await says(plenary, "brasilia", "/submit confirm")
    async with plenary.sessions() as session:
        version = await session.scalar(
            select(PositionVersion).order_by(PositionVersion.id.desc()).limit(1)
        )
    (key,) = version.sources
    shown = await says(plenary, "delegate", "/position g4 categories")
    assert f"Statement on behalf of the G4. (/documents {key})" in shown
    sent = await plenary.core.answer(Incoming("console", "delegate", f"/documents {key}"))
    assert [a.filename for a in sent.attachments] == ["g4.docx"]


async def test_documents_are_listed_and_sent_back_as_the_clock_knows_them(plenary):
    await make_chair(plenary)
    content = documents.pdf(["A/70/L.99\nNew York, 1 March 2016\nDraft decision"])
    added = await send_file(plenary, CHAIR, "/documents add", "draft.pdf", content)
    assert "Kept as document a-70-l-99: Draft decision." in added.text
    listed = await says(plenary, "delegate", "/documents")
    assert "Letter of the Chair of the IGN, 11 December 2015" in listed
    assert "Draft decision" not in listed, "dated 1 March 2016: not known on 15 January"
    assert "No document “A/70/L.99” is on record." in await says(
        plenary, "delegate", "/documents A/70/L.99"
    )
    plenary.clock.advance(timedelta(days=47))  # 2 March 2016
    assert "Draft decision · 1 March 2016 · A/70/L.99" in await says(
        plenary, "delegate", "/documents"
    )
    sent = await plenary.core.answer(Incoming("console", "delegate", "/documents A/70/L.99"))
    assert [(a.filename, a.content) for a in sent.attachments] == [("draft.pdf", content)]
    assert "1 page" in sent.text


async def test_only_the_chair_and_focal_points_add_documents(plenary):
    before = await count(plenary, Document)
    reply = await send_file(plenary, "delegate", "/documents add", "x.pdf", documents.pdf(["x"]))
    assert "Only the Chair's office and delegations' focal points add documents." in reply.text
    assert await count(plenary, Document) == before
    async with plenary.sessions() as session:
        refusal = await session.scalar(select(AuditEntry).where(AuditEntry.action == "document"))
    assert refusal is not None and not refusal.allowed


def test_the_command_line_reads_a_pdf_letter_and_refuses_a_scan(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'letters.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path, stdin="").returncode == 0
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(documents.pdf(PAGES))
    read = cli("letter", str(letter), *db, cwd=tmp_path, stdin="n\n")
    assert read.returncode == 0, read.stderr
    assert "Proposed: 2016-02-03 10:00; Trusteeship Council Chamber; relationship" in read.stdout
    assert "from page 2:" in read.stdout and "Kept as document file-" in read.stdout
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(documents.scanned_pdf())
    refused = cli("letter", str(scan), *db, cwd=tmp_path)
    assert refused.returncode == 2 and "has no text I can read" in refused.stderr
    assert "Nothing was stored." in refused.stderr and "Traceback" not in refused.stderr
