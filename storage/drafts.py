"""Drafts: previews waiting for their author's confirmation, each usable once, by its author,
before it expires."""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Draft

LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Author:
    """Who proposed a draft: a person, or the operator at the command line (no person)."""

    person_id: int | None
    platform: str

    def wrote(self, draft: Draft) -> bool:
        if draft.author_id is None:
            return self.person_id is None and self.platform == draft.author_platform
        return draft.author_id == self.person_id


class Refusal(enum.StrEnum):
    """Why a confirmation or a cancellation does nothing."""

    UNKNOWN = "unknown"
    NOT_YOURS = "not yours"
    NO_RIGHT = "no right"  # the author no longer holds the role the draft needs
    CLOSED = "closed"  # confirmed, discarded or replaced already
    EXPIRED = "expired"


@dataclass(frozen=True)
class Taken:
    """The outcome of using a draft's token: the draft, and why it may not be used (if so)."""

    draft: Draft | None
    refusal: Refusal | None = None


async def propose(
    session: AsyncSession,
    kind: str,
    author: Author,
    payload: dict[str, Any],
    now: datetime,
    subject: str = "",
    lifetime: timedelta = LIFETIME,
) -> Draft:
    """A new draft; an open draft of the same author, kind and subject is replaced by it."""
    if subject:
        await session.execute(
            update(Draft)
            .where(
                Draft.kind == kind,
                Draft.subject == subject,
                Draft.closed_at.is_(None),
                _by(author),
            )
            .values(closed_at=now, outcome="replaced")
        )
    draft = Draft(
        token=secrets.token_urlsafe(9),
        kind=kind,
        subject=subject,
        author_id=author.person_id,
        author_platform=author.platform,
        payload=payload,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(draft)
    await session.flush()
    return draft


async def take(
    session: AsyncSession,
    token: str,
    author: Author,
    now: datetime,
    outcome: str,
    may: Callable[[Draft], bool] = lambda draft: True,
) -> Taken:
    """Close the draft a token names with `outcome` ("confirmed" or "discarded"), for its
    author only, if they still `may`; of two presses at once exactly one gets the draft."""
    draft = await session.scalar(select(Draft).where(Draft.token == token))
    if draft is None:
        return Taken(None, Refusal.UNKNOWN)
    if not author.wrote(draft):
        return Taken(draft, Refusal.NOT_YOURS)
    if draft.closed_at is not None:
        return Taken(draft, Refusal.CLOSED)
    if draft.expires_at <= now:
        return Taken(draft, Refusal.EXPIRED)
    if not may(draft):
        return Taken(draft, Refusal.NO_RIGHT)
    closed = await session.execute(
        update(Draft)
        .where(Draft.id == draft.id, Draft.closed_at.is_(None))
        .values(closed_at=now, outcome=outcome)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:  # another press closed it between the read and the write
        await session.refresh(draft)
        return Taken(draft, Refusal.CLOSED)
    await session.refresh(draft)
    return Taken(draft)


async def latest_open(
    session: AsyncSession, kind: str, author: Author, now: datetime, subject: str | None = None
) -> Draft | None:
    """The author's newest open draft of a kind (and subject): for confirmations typed
    without a token ("/submit confirm")."""
    query = select(Draft).where(
        Draft.kind == kind, Draft.closed_at.is_(None), Draft.expires_at > now, _by(author)
    )
    if subject is not None:
        query = query.where(Draft.subject == subject)
    return await session.scalar(query.order_by(Draft.id.desc()).limit(1))


async def close_open(session: AsyncSession, subject: str, now: datetime) -> None:
    """Close every open draft about a subject (it was withdrawn another way)."""
    await session.execute(
        update(Draft)
        .where(Draft.subject == subject, Draft.closed_at.is_(None))
        .values(closed_at=now, outcome="discarded")
    )


def _by(author: Author) -> Any:
    if author.person_id is None:
        return (Draft.author_id.is_(None)) & (Draft.author_platform == author.platform)
    return Draft.author_id == author.person_id
