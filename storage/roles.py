"""Roles: invitations to the Chair's office or to be a delegation's focal point, who holds
which role, and revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes
from storage.models import Account, Delegation, OneTimeCode, Person, Role


async def invite(
    session: AsyncSession,
    role: Role,
    delegation_id: int | None,
    now: datetime,
    lifetime: timedelta,
) -> str:
    """A single-use code that gives its redeemer `role` (for a delegation, if a focal point)."""
    payload = {"role": role.value, "delegation_id": str(delegation_id or "")}
    return await codes.issue(session, "invite", now, lifetime, payload=payload)


@dataclass(frozen=True)
class Offer:
    """What an invitation code gives, before it is spent."""

    code_id: int
    role: Role
    delegation_id: int | None


async def offer(session: AsyncSession, code: str, now: datetime) -> Offer | str:
    """What the code would give, without spending it; or why it cannot be used."""
    found = await codes.find(session, "invite", code, now)
    return found if isinstance(found, str) else _offer(found)


def _offer(found: OneTimeCode) -> Offer:
    delegation = found.payload["delegation_id"]
    return Offer(found.id, Role(found.payload["role"]), int(delegation) if delegation else None)


async def take_up(
    session: AsyncSession, code_id: int, person: Person, now: datetime
) -> Offer | str:
    """Spend the code (found by its id, as a confirmed draft holds it) and give its role."""
    found = await session.get(OneTimeCode, code_id)
    if found is None:
        return "unknown"
    spent = await codes.spend(session, found, now)
    if isinstance(spent, str):
        return spent
    given = _offer(spent)
    person.role, person.delegation_id = given.role, given.delegation_id
    await session.flush()
    return given


async def holders(session: AsyncSession) -> list[tuple[Person, str | None, list[str]]]:
    """Everyone with a role beyond delegate: (person, delegation name, their platforms)."""
    persons = list(
        await session.scalars(
            select(Person).where(Person.role != Role.DELEGATE).order_by(Person.role, Person.id)
        )
    )
    names = {
        row.id: row.name for row in await session.execute(select(Delegation.id, Delegation.name))
    }
    result = []
    for person in persons:
        platforms = list(
            await session.scalars(select(Account.platform).where(Account.person_id == person.id))
        )
        result.append((person, names.get(person.delegation_id), platforms))
    return result
