"""Queries about positions: by key issue, by delegation, with their latest version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import versions as versions_store
from storage.models import Delegation, Document, KeyIssue, Person, Position, PositionVersion


@dataclass(frozen=True)
class CurrentPosition:
    """A delegation's latest version of its position on one key issue."""

    delegation: Delegation
    key_issue: KeyIssue
    version: PositionVersion
    version_count: int


def _stated_by(version: Any, day: date) -> ColumnElement[bool]:
    """A version known on `day`: stated by then, or undated (nothing says it came later)."""
    return (version.stated_on <= day) | version.stated_on.is_(None)


def latest(*columns: Any, as_of: date | None = None) -> Select[Any]:
    """A select of `columns` over every position, its holder, key issue and latest version;
    with `as_of`, the latest version stated by that day (a position first stated later is
    left out: the clock decides what was known)."""
    if as_of is None:
        number = Position.version_count
    else:
        said = aliased(PositionVersion)
        number = (
            select(func.max(said.number))
            .where(said.position_id == Position.id, _stated_by(said, as_of))
            .scalar_subquery()
        )
    return (
        select(*columns)
        .select_from(Position)
        .join(Delegation, Delegation.id == Position.delegation_id)
        .join(KeyIssue, KeyIssue.id == Position.key_issue_id)
        .join(
            PositionVersion,
            (PositionVersion.position_id == Position.id) & (PositionVersion.number == number),
        )
    )


def _current(as_of: date | None) -> Select[Any]:
    # The version's number is how many versions were known then (later ones are not counted).
    return latest(Delegation, KeyIssue, PositionVersion, PositionVersion.number, as_of=as_of)


async def _run(session: AsyncSession, query) -> list[CurrentPosition]:  # noqa: ANN001
    return [CurrentPosition(*row) for row in await session.execute(query)]


async def on_issue(
    session: AsyncSession,
    issue_id: int,
    limit: int = 50,
    offset: int = 0,
    as_of: date | None = None,
) -> list[CurrentPosition]:
    """Every delegation's current position on one key issue, latest first."""
    query = (
        _current(as_of)
        .where(Position.key_issue_id == issue_id)
        .order_by(PositionVersion.stated_on.desc().nulls_last(), Delegation.name)
        .limit(limit)
        .offset(offset)
    )
    return await _run(session, query)


async def of_delegation(
    session: AsyncSession,
    delegation_id: int,
    issue_id: int | None = None,
    as_of: date | None = None,
) -> list[CurrentPosition]:
    """A delegation's current positions, on one key issue or on all of them."""
    query = _current(as_of).where(Position.delegation_id == delegation_id)
    if issue_id is not None:
        query = query.where(Position.key_issue_id == issue_id)
    return await _run(session, query.order_by(KeyIssue.position))


async def of_versions(
    session: AsyncSession, version_ids: list[int], as_of: date | None = None
) -> list[CurrentPosition]:
    """The current positions whose latest versions are these (in no particular order)."""
    if not version_ids:
        return []
    return await _run(session, _current(as_of).where(PositionVersion.id.in_(version_ids)))


async def documents(session: AsyncSession, keys: list[str]) -> list[Document]:
    """The documents behind a list of source keys, in the order given."""
    if not keys:
        return []
    rows = await session.scalars(select(Document).where(Document.key.in_(keys)))
    found = {document.key: document for document in rows}
    return [found[key] for key in keys if key in found]


async def count_since(
    session: AsyncSession, issue_id: int, since: date | None, until: date | None = None
) -> int:
    """How many position versions on a key issue were stated from `since` to `until` (an
    undated one counts when there is no `since`)."""
    query = (
        select(func.count())
        .select_from(PositionVersion)
        .join(Position, Position.id == PositionVersion.position_id)
        .where(Position.key_issue_id == issue_id)
    )
    if since is not None:
        query = query.where(PositionVersion.stated_on >= since)
    if until is not None:
        query = query.where(_stated_by(PositionVersion, until))
    return await session.scalar(query) or 0


async def add_version(
    session: AsyncSession,
    delegation_id: int,
    issue_id: int,
    text: str,
    stated_on: date | None,
    sources: list[str],
    author_id: int | None,
    now: datetime,
) -> PositionVersion | None:
    """A new version of a delegation's position on a key issue (the first creates the
    position); None when it would repeat the latest version word for word."""
    position = await session.scalar(
        select(Position).where(
            Position.delegation_id == delegation_id, Position.key_issue_id == issue_id
        )
    )
    latest = None
    if position is None:
        position = Position(delegation_id=delegation_id, key_issue_id=issue_id, version_count=0)
        session.add(position)
        await session.flush()
    else:
        latest = await session.scalar(
            select(PositionVersion).where(
                PositionVersion.position_id == position.id,
                PositionVersion.number == position.version_count,
            )
        )
    version = await versions_store.append(
        session,
        PositionVersion,
        latest,
        {"text": text},
        stated_on,
        sources,
        author_id,
        now,
        position_id=position.id,
    )
    if version is not None:
        position.version_count = version.number
    return version


async def versions(
    session: AsyncSession, delegation_id: int, issue_id: int, as_of: date | None = None
) -> list[Any]:
    """Every version of a position (stated by `as_of`), oldest first, each with its author's
    name (or None)."""
    query = (
        select(PositionVersion, Person.display_name)
        .join(Position, Position.id == PositionVersion.position_id)
        .outerjoin(Person, Person.id == PositionVersion.author_id)
        .where(Position.delegation_id == delegation_id, Position.key_issue_id == issue_id)
        .order_by(PositionVersion.number)
    )
    if as_of is not None:
        query = query.where(_stated_by(PositionVersion, as_of))
    return list(await session.execute(query))


async def everything(session: AsyncSession) -> list[CurrentPosition]:
    """Every current position, by key issue then holder (for exports)."""
    return await _run(session, _current(None).order_by(KeyIssue.position, Delegation.name))


async def holders_on_issue(
    session: AsyncSession, issue_id: int, as_of: date | None = None
) -> set[int]:
    """The delegations that hold a position on a key issue (stated by `as_of`)."""
    query = latest(Position.delegation_id, as_of=as_of).where(Position.key_issue_id == issue_id)
    return set(await session.scalars(query))
