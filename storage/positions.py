"""Queries about positions: by key issue, by delegation, with their latest version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delegation, Document, KeyIssue, Position, PositionVersion


@dataclass(frozen=True)
class CurrentPosition:
    """A delegation's latest version of its position on one key issue."""

    delegation: Delegation
    key_issue: KeyIssue
    version: PositionVersion
    version_count: int


def _current():
    return (
        select(Delegation, KeyIssue, PositionVersion, Position.version_count)
        .select_from(Position)
        .join(Delegation, Delegation.id == Position.delegation_id)
        .join(KeyIssue, KeyIssue.id == Position.key_issue_id)
        .join(
            PositionVersion,
            (PositionVersion.position_id == Position.id)
            & (PositionVersion.number == Position.version_count),
        )
    )


async def _run(session: AsyncSession, query) -> list[CurrentPosition]:  # noqa: ANN001
    return [CurrentPosition(*row) for row in await session.execute(query)]


async def on_issue(
    session: AsyncSession, issue_id: int, limit: int = 50, offset: int = 0
) -> list[CurrentPosition]:
    """Every delegation's current position on one key issue, latest first."""
    query = (
        _current()
        .where(Position.key_issue_id == issue_id)
        .order_by(PositionVersion.stated_on.desc().nulls_last(), Delegation.name)
        .limit(limit)
        .offset(offset)
    )
    return await _run(session, query)


async def of_delegation(
    session: AsyncSession, delegation_id: int, issue_id: int | None = None
) -> list[CurrentPosition]:
    """A delegation's current positions, on one key issue or on all of them."""
    query = _current().where(Position.delegation_id == delegation_id)
    if issue_id is not None:
        query = query.where(Position.key_issue_id == issue_id)
    return await _run(session, query.order_by(KeyIssue.position))


async def documents(session: AsyncSession, keys: list[str]) -> list[Document]:
    """The documents behind a list of source keys, in the order given."""
    if not keys:
        return []
    rows = await session.scalars(select(Document).where(Document.key.in_(keys)))
    found = {document.key: document for document in rows}
    return [found[key] for key in keys if key in found]


async def count_since(session: AsyncSession, issue_id: int, since: date | None) -> int:
    """How many position versions on a key issue were stated on or after `since`."""
    query = (
        select(func.count())
        .select_from(PositionVersion)
        .join(Position, Position.id == PositionVersion.position_id)
        .where(Position.key_issue_id == issue_id)
    )
    if since is not None:
        query = query.where(PositionVersion.stated_on >= since)
    return await session.scalar(query) or 0
