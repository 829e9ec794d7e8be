"""Letters and statements as PDF and Word files, made on the spot (reportlab, python-docx)."""

from __future__ import annotations

import io
import textwrap

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas


def pdf(pages: list[str], user_password: str | None = None, owner_password: str = "") -> bytes:
    """A PDF with one page per text (lines wrapped at 90 characters); a user password makes it
    unreadable without it, an owner password alone only restricts printing and copying."""
    out = io.BytesIO()
    encrypt = None
    if user_password is not None or owner_password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(user_password or "", owner_password or "owner", canPrint=0)
    page = canvas.Canvas(out, pagesize=A4, encrypt=encrypt)
    for text in pages:
        y = A4[1] - 2 * cm
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(paragraph, 90) or [""]:
                page.drawString(2 * cm, y, line)
                y -= 14
        page.showPage()
    page.save()
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF like a scan: a page of drawn shapes and no text layer."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for row in range(40):
        page.rect(2 * cm, 3 * cm + row * 16, 15 * cm, 8, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def word(pages: list[str]) -> bytes:
    """A .docx with a page break between texts; a blank line starts a new paragraph."""
    document = docx.Document()
    for number, text in enumerate(pages):
        if number:
            document.add_page_break()
        for paragraph in text.split("\n\n"):
            document.add_paragraph(" ".join(paragraph.split()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted_word() -> bytes:
    """What Word saves for a password-protected .docx: an OLE compound file holding an
    EncryptedPackage stream (here its header and the stream's directory name only)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + "EncryptedPackage".encode("utf-16-le") + bytes(1024)
