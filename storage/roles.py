"""Roles: invitations to the Chair's office or to be a delegation's focal point, who holds
which role, and revocation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes
from storage.models import Account, Delegation, Person, Role


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


async def redeem(
    session: AsyncSession, code: str, person: Person, now: datetime
) -> tuple[Role, int | None] | str:
    """Give the person the code's role: (role, delegation id), or why not ("unknown",
    "expired", "used")."""
    found = await codes.redeem(session, "invite", code, now)
    if isinstance(found, str):
        return found
    role = Role(found.payload["role"])
    delegation = int(found.payload["delegation_id"]) if found.payload["delegation_id"] else None
    person.role, person.delegation_id = role, delegation
    await session.flush()
    return role, delegation


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
