"""Which delegation a person belongs to: a delegate's claim, confirmed by a focal point of that
delegation or by the Chair's office."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, Role


async def claim(session: AsyncSession, person: Person, delegation_id: int | None) -> None:
    """A delegate says they belong to a delegation (None: to none); until confirmed, they
    belong to none (so that nobody receives a delegation's messages by saying so)."""
    person.claimed_delegation_id = delegation_id
    if person.role == Role.DELEGATE:
        person.delegation_id = None


async def of_delegation(session: AsyncSession, delegation_id: int) -> list[Person]:
    """Everyone of a delegation, confirmed or waiting, focal points first."""
    query = select(Person).where(
        or_(Person.delegation_id == delegation_id, Person.claimed_delegation_id == delegation_id)
    )
    found = list(await session.scalars(query.order_by(Person.role.desc(), Person.display_name)))
    return found


def confirm(person: Person) -> int | None:
    """The claim confirmed: the person now belongs to the delegation they named."""
    person.delegation_id, person.claimed_delegation_id = person.claimed_delegation_id, None
    return person.delegation_id


def decline(person: Person) -> None:
    person.claimed_delegation_id = None
