"""Coverage: which member of a delegation will attend which meeting for it (yes, no, maybe)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Coverage, CoverAnswer, Person


async def answer(
    session: AsyncSession,
    meeting_id: int,
    person_id: int,
    delegation_id: int,
    said: CoverAnswer,
    now: datetime,
) -> None:
    """Record (or change) a member's answer for a meeting."""
    found = await session.scalar(
        select(Coverage).where(Coverage.meeting_id == meeting_id, Coverage.person_id == person_id)
    )
    if found is None:
        found = Coverage(meeting_id=meeting_id, person_id=person_id)
        session.add(found)
    found.delegation_id, found.answer, found.updated_at = delegation_id, said, now
    await session.flush()


async def answers(
    session: AsyncSession, delegation_id: int, meeting_ids: list[int]
) -> dict[int, list[tuple[str, CoverAnswer]]]:
    """For each meeting, who of the delegation answered what (by name), yes first."""
    rows = await session.execute(
        select(Coverage.meeting_id, Person.display_name, Coverage.answer)
        .join(Person, Person.id == Coverage.person_id)
        .where(
            Coverage.delegation_id == delegation_id,
            Person.delegation_id == delegation_id,  # members who left answer no more
            Coverage.meeting_id.in_(meeting_ids),
        )
        .order_by(Coverage.updated_at, Coverage.id)
    )
    order = list(CoverAnswer)
    found: dict[int, list[tuple[str, CoverAnswer]]] = defaultdict(list)
    for meeting_id, name, said in rows:
        found[meeting_id].append((name, said))
    return {m: sorted(names, key=lambda pair: order.index(pair[1])) for m, names in found.items()}


async def uncovered(session: AsyncSession, delegation_id: int, meeting_ids: list[int]) -> list[int]:
    """The meetings (of these) nobody of the delegation said they will cover."""
    said = await answers(session, delegation_id, meeting_ids)
    return [m for m in meeting_ids if not any(a == CoverAnswer.YES for _name, a in said.get(m, []))]
