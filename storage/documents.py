"""Documents on record: kept once per file (by its SHA-256), listed as the clock knows them,
found by key, number or symbol, and sent back whole."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from storage.models import Document

_KEY_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class NewDocument:
    """A file read, with what it says about itself."""

    filename: str
    media_type: str
    content: bytes
    pages: tuple[str, ...]
    title: str
    issued_on: date | None
    symbol: str | None


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


async def keep(
    session: AsyncSession, new: NewDocument, person_id: int | None, via: str, now: datetime
) -> tuple[Document, bool]:
    """The document on record for this file: the one kept earlier (False), or a new one (True)."""
    digest = sha256(new.content)
    found = await session.scalar(select(Document).where(Document.sha256 == digest))
    if found is not None:
        return found, False
    document = Document(
        key=await _free_key(session, new.symbol, digest),
        title=new.title[:300],
        issued_on=new.issued_on,
        symbol=new.symbol,
        sha256=digest,
        filename=new.filename,
        media_type=new.media_type,
        content=new.content,
        pages=list(new.pages),
        body="\n\n".join(new.pages),
        brought_by_id=person_id,
        brought_via=via,
        brought_at=now,
    )
    session.add(document)
    await session.flush()
    return document, True


async def _free_key(session: AsyncSession, symbol: str | None, digest: str) -> str:
    """A key from the symbol ("a-70-l-1") when it is free, else from the file's hash."""
    if symbol:
        key = _KEY_UNSAFE.sub("-", symbol.lower()).strip("-")[:60]
        if await session.scalar(select(Document.id).where(Document.key == key)) is None:
            return key
    return f"file-{digest[:12]}"


def _known(today: date) -> ColumnElement[bool]:
    """Documents the clock knows: issued by today, or undated."""
    return or_(Document.issued_on.is_(None), Document.issued_on <= today)


def issued_after(document: Document, today: date) -> bool:
    """Whether the clock does not know this document yet (the rule of `_known`, for one read)."""
    return document.issued_on is not None and document.issued_on > today


async def known(session: AsyncSession, today: date, limit: int, offset: int = 0) -> list[Document]:
    """Documents on record, newest first (undated last)."""
    query = (
        select(Document)
        .where(_known(today))
        .order_by(Document.issued_on.desc().nulls_last(), Document.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(await session.scalars(query))


async def find(session: AsyncSession, reference: str, today: date) -> Document | None:
    """A known document by its key, its number or its symbol (any case), with its file."""
    reference = reference.strip()
    matches = [Document.key == reference.lower(), Document.symbol == reference.upper()]
    if reference.isdigit() and len(reference) < 10:
        matches.append(Document.id == int(reference))
    query = (
        select(Document)
        .where(or_(*matches), _known(today))
        .options(undefer(Document.content), undefer(Document.pages))
        .order_by(Document.id)
    )
    return (await session.scalars(query)).first()
