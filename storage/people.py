"""Persons and their platform accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Person, Role, Subscription


@dataclass(frozen=True)
class PersonView:
    """What answering a message needs to know of its sender: read once, kept briefly."""

    id: int | None  # None: the operator at the command line, who is no person
    role: Role
    delegation_id: int | None
    language: str | None
    timezone: str | None
    preferred_platform: str | None
    lead_times: list[int] | None
    reachable: bool = True  # the account written from may be written to
    app_language: str | None = None  # the language of the app written from, as last seen


async def find_person(session: AsyncSession, platform: str, external_id: str) -> PersonView | None:
    """The person behind an account, as plain values (no ORM object to keep or refresh)."""
    return (await find_persons(session, [(platform, external_id)])).get((platform, external_id))


async def find_persons(
    session: AsyncSession, accounts: list[tuple[str, str]]
) -> dict[tuple[str, str], PersonView]:
    """`find_person` for several accounts (platform, external id) in one query; those with
    no person are left out."""
    rows = await session.execute(
        select(
            Account.platform,
            Account.external_id,
            Person.id,
            Person.role,
            Person.delegation_id,
            Person.language,
            Person.timezone,
            Person.preferred_platform,
            Person.lead_times,
            Account.active,
            Account.language,
        )
        .join(Account, Account.person_id == Person.id)
        .where(tuple_(Account.platform, Account.external_id).in_(accounts))
    )
    return {(row[0], row[1]): PersonView(*row[2:]) for row in rows}


async def find_account(
    session: AsyncSession, platform: str, external_id: str
) -> tuple[Account, Person] | None:
    row = (
        await session.execute(
            select(Account, Person)
            .join(Person, Person.id == Account.person_id)
            .where(Account.platform == platform, Account.external_id == external_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def create_account(
    session: AsyncSession,
    platform: str,
    external_id: str,
    display_name: str,
    now: datetime,
    chat_id: str | None = None,
    active: bool = True,
    language: str | None = None,
) -> tuple[Account, Person]:
    """A new person with one account (`active` if Plenary may write to it); the caller
    commits."""
    person = Person(display_name=display_name, created_at=now)
    session.add(person)
    await session.flush()
    account = Account(
        person_id=person.id,
        platform=platform,
        external_id=external_id,
        chat_id=chat_id,
        active=active,
        language=language,
        created_at=now,
    )
    session.add(account)
    await session.flush()
    return account, person


@dataclass(frozen=True)
class Newcomer:
    """Someone writing for the first time, as an account to create."""

    platform: str
    external_id: str
    display_name: str
    chat_id: str | None
    active: bool
    language: str | None


async def create_accounts(
    session: AsyncSession, newcomers: list[Newcomer], now: datetime
) -> list[int]:
    """A new person with one account for each newcomer, in two statements whatever their
    number; their persons' ids, in order. The caller commits."""
    ids = await session.scalars(
        insert(Person).returning(Person.id, sort_by_parameter_order=True),
        [{"display_name": n.display_name, "created_at": now} for n in newcomers],
    )
    person_ids = list(ids)
    await session.execute(
        insert(Account),
        [
            {
                "person_id": person_id,
                "platform": n.platform,
                "external_id": n.external_id,
                "chat_id": n.chat_id,
                "active": n.active,
                "language": n.language,
                "created_at": now,
            }
            for person_id, n in zip(person_ids, newcomers, strict=True)
        ],
    )
    return person_ids


async def update_account(
    session: AsyncSession, platform: str, external_id: str, **values: object
) -> None:
    """Change what is known of an account: written from where Plenary may answer again (a
    private chat, after a block or a group message), or in another app language."""
    await session.execute(
        update(Account)
        .where(Account.platform == platform, Account.external_id == external_id)
        .values(**values)
    )


async def forget(session: AsyncSession, person_id: int) -> None:
    """Erase a person: their accounts, subscriptions, follows, settings and drafts go with
    them (the database cascades); what they authored stays, without their name."""
    await session.execute(delete(Person).where(Person.id == person_id))


async def deactivate_chat(session: AsyncSession, platform: str, chat_id: str) -> None:
    """Stop sending to a chat that blocked Plenary or no longer exists."""
    await session.execute(
        update(Account)
        .where(Account.platform == platform, Account.chat_id == chat_id)
        .values(active=False)
    )


async def deactivate_account(session: AsyncSession, account: Account) -> None:
    """Stop sending to an account found unreachable, and to its chat's other accounts if it
    has a chat (an account reached by a direct message opened on demand may have none)."""
    same = Account.id == account.id
    if account.chat_id:
        same = same | (
            (Account.platform == account.platform) & (Account.chat_id == account.chat_id)
        )
    await session.execute(update(Account).where(same).values(active=False))


async def accounts_of(session: AsyncSession, person_id: int) -> list[Account]:
    return list(
        await session.scalars(
            select(Account).where(Account.person_id == person_id).order_by(Account.id)
        )
    )


class DifferentRoles(ValueError):
    """Two persons of different roles cannot become one: linking never changes a role."""


async def merge_into(session: AsyncSession, source: Person, target: Person) -> None:
    """Make `source`'s accounts and subscriptions `target`'s, and remove `source`.

    Settings the target lacks are taken from the source; both must hold the same role.
    """
    if (source.role, source.delegation_id) != (target.role, target.delegation_id):
        raise DifferentRoles(f"person {source.id} and person {target.id} hold different roles")
    await session.execute(
        update(Account).where(Account.person_id == source.id).values(person_id=target.id)
    )
    kept = set(
        await session.scalars(
            select(Subscription.key_issue_id).where(Subscription.person_id == target.id)
        )
    )
    for subscription in await session.scalars(
        select(Subscription).where(Subscription.person_id == source.id)
    ):
        if subscription.key_issue_id in kept:
            await session.delete(subscription)
        else:
            subscription.person_id = target.id
    target.timezone = target.timezone or source.timezone
    target.language = target.language or source.language
    await session.flush()
    await session.delete(source)
    await session.flush()
