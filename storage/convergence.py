"""The convergence map's data: the elements under each key issue, and every State's and
group's stance on them, version by version, as known at a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import versions as versions_store
from storage.models import Document, Element, ElementStatus, StanceValue, StanceVersion


@dataclass(frozen=True)
class Stance:
    """The stance in force on one element, for one holder."""

    element_id: int
    delegation_id: int
    version: StanceVersion


async def elements_of(session: AsyncSession, issue_id: int) -> list[Element]:
    """A key issue's elements, in the order they were entered."""
    query = select(Element).where(Element.key_issue_id == issue_id)
    return list(await session.scalars(query.order_by(Element.position, Element.id)))


async def element(session: AsyncSession, key: str) -> Element | None:
    return await session.scalar(select(Element).where(Element.key == key.strip().lower()))


async def add_element(
    session: AsyncSession,
    issue_id: int,
    issue_key: str,
    wording: str,
    paper_id: int | None,
    status: ElementStatus | None,
) -> Element:
    """A new element, last under its key issue, keyed "ISSUE-N"."""
    count = await session.scalar(
        select(func.count()).select_from(Element).where(Element.key_issue_id == issue_id)
    )
    number = (count or 0) + 1
    while await element(session, f"{issue_key}-{number}") is not None:
        number += 1
    row = Element(
        key=f"{issue_key}-{number}",
        key_issue_id=issue_id,
        wording=wording,
        paper_id=paper_id,
        status=status,
        position=number,
    )
    session.add(row)
    await session.flush()
    return row


async def add_stance(
    session: AsyncSession,
    element_id: int,
    delegation_id: int,
    stance: StanceValue,
    stated_on: date | None,
    sources: list[str],
    author_id: int | None,
    now: datetime,
) -> StanceVersion | None:
    """A new version of a holder's stance on an element; None when it would repeat the
    latest version (stance, date and sources alike)."""
    history = await versions(session, element_id, delegation_id)
    return await versions_store.append(
        session,
        StanceVersion,
        history[-1] if history else None,
        {"stance": stance},
        stated_on,
        sources,
        author_id,
        now,
        element_id=element_id,
        delegation_id=delegation_id,
    )


async def versions(
    session: AsyncSession, element_id: int, delegation_id: int
) -> list[StanceVersion]:
    """Every version of one holder's stance on one element, oldest first."""
    query = select(StanceVersion).where(
        StanceVersion.element_id == element_id, StanceVersion.delegation_id == delegation_id
    )
    return list(await session.scalars(query.order_by(StanceVersion.number)))


async def in_force(
    session: AsyncSession, element_ids: list[int], on: date
) -> dict[tuple[int, int], StanceVersion]:
    """The stance of each holder on each element on the day `on`: of the versions stated by
    then (or undated), the one stated last, then the highest number. A stance stated later
    does not exist yet."""
    if not element_ids:
        return {}
    query = select(StanceVersion).where(
        StanceVersion.element_id.in_(element_ids),
        or_(StanceVersion.stated_on.is_(None), StanceVersion.stated_on <= on),
    )
    found: dict[tuple[int, int], StanceVersion] = {}
    for version in await session.scalars(query):
        pair = (version.element_id, version.delegation_id)
        held = found.get(pair)
        if held is None or _order(version) > _order(held):
            found[pair] = version
    return found


def _order(version: StanceVersion) -> tuple[date, int]:
    return (version.stated_on or date.min, version.number)


async def paper_titles(session: AsyncSession, document_ids: list[int]) -> dict[int, str]:
    """The titles of the papers elements come from, by document id."""
    if not document_ids:
        return {}
    query = select(Document.id, Document.title).where(Document.id.in_(document_ids))
    return {id_: title for id_, title in await session.execute(query)}
