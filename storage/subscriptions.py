"""Subscriptions: who wants reminders of which meetings, and the account that reaches them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Meeting, MeetingKeyIssue, Person, Subscription

PLATFORM_ORDER = ("telegram", "slack", "console")
# Platforms that open a direct conversation with a user on demand (Slack: conversations.open):
# their accounts are reached even before a direct message gave them a chat.
OPENS_CHATS = ("slack",)


async def of_person(session: AsyncSession, person_id: int) -> list[Subscription]:
    query = select(Subscription).where(Subscription.person_id == person_id)
    return list(await session.scalars(query.order_by(Subscription.id)))


async def subscribe(
    session: AsyncSession, person_id: int, issue_ids: list[int | None], now: datetime
) -> list[int | None]:
    """Add subscriptions (None: all meetings); returns the ones that are new."""
    held = {s.key_issue_id for s in await of_person(session, person_id)}
    new = [issue for issue in dict.fromkeys(issue_ids) if issue not in held]
    for issue in new:
        session.add(Subscription(person_id=person_id, key_issue_id=issue, created_at=now))
    await session.flush()
    return new


async def unsubscribe(
    session: AsyncSession, person_id: int, issue_ids: list[int | None] | None
) -> int:
    """Remove some subscriptions, or all of them (None); returns how many went."""
    query = delete(Subscription).where(Subscription.person_id == person_id)
    if issue_ids is not None:
        named = [i for i in issue_ids if i is not None]
        query = query.where(
            or_(
                Subscription.key_issue_id.in_(named),
                Subscription.key_issue_id.is_(None) if None in issue_ids else False,
            )
        )
    return (await session.execute(query)).rowcount


@dataclass(frozen=True)
class Recipient:
    """A subscriber, with the account that reaches them and their own lead times."""

    person_id: int
    account_id: int
    lead_times: list[int] | None


def reaching(preferred: str | None, accounts: list[Row]) -> Row | None:
    """The one account through which a person gets proactive messages: the preferred
    platform's if active, else the first active one (Telegram, Slack, the terminal). An
    account needs a chat, unless its platform opens one on demand."""
    active = [a for a in accounts if a.active and (a.chat_id or a.platform in OPENS_CHATS)]
    if not active:
        return None
    chosen = [a for a in active if a.platform == preferred]
    ranked = sorted(
        active,
        key=lambda a: (
            PLATFORM_ORDER.index(a.platform)
            if a.platform in PLATFORM_ORDER
            else len(PLATFORM_ORDER)
        ),
    )
    return (chosen or ranked)[0]


async def recipients(
    session: AsyncSession,
    meeting: Meeting,
    person_id: int | None = None,
    also_on: list[int] | None = None,
) -> list[Recipient]:
    """Everyone subscribed to this meeting (to all meetings, or to one of its key issues, or
    to one of `also_on`, the key issues it had before a change), each with the account that
    reaches them; `person_id` narrows it to one person. Plain rows, not ORM objects: a
    meeting may have ten thousand subscribers."""
    issue_ids = select(MeetingKeyIssue.key_issue_id).where(MeetingKeyIssue.meeting_id == meeting.id)
    subscribed = select(Subscription.person_id).where(
        or_(
            Subscription.key_issue_id.is_(None),
            Subscription.key_issue_id.in_(issue_ids),
            Subscription.key_issue_id.in_(also_on or []),
        )
    )
    if person_id is not None:
        subscribed = subscribed.where(Subscription.person_id == person_id)
    return [
        Recipient(person.id, account.id, person.lead_times)
        for person, account in await _reached(session, subscribed)
    ]


async def _reached(session: AsyncSession, persons: Any) -> list[tuple[Row, Row]]:
    """(person, the account reaching them) for each of these persons who can be reached.
    Plain rows, not ORM objects: there may be ten thousand."""
    found = {
        row.id: row
        for row in await session.execute(
            select(Person.id, Person.lead_times, Person.preferred_platform).where(
                Person.id.in_(persons), Person.stopped_at.is_(None)
            )
        )
    }
    accounts: dict[int, list[Row]] = defaultdict(list)
    for row in await session.execute(
        select(
            Account.id, Account.person_id, Account.platform, Account.active, Account.chat_id
        ).where(Account.person_id.in_(persons))
    ):
        accounts[row.person_id].append(row)
    pairs = ((p, reaching(p.preferred_platform, accounts[p.id])) for p in found.values())
    return [(person, account) for person, account in pairs if account is not None]


async def reaching_accounts(session: AsyncSession, persons: Any) -> list[Row]:
    """The account reaching each of these persons (id, person_id, platform), one per person."""
    return [account for _person, account in await _reached(session, persons)]


async def counts(session: AsyncSession) -> tuple[int, dict[int | None, int]]:
    """How many people follow meetings, and how many follow each key issue (None: all)."""
    rows = list(await session.execute(select(Subscription.person_id, Subscription.key_issue_id)))
    per_issue: dict[int | None, int] = defaultdict(int)
    for _person, issue in rows:
        per_issue[issue] += 1
    return len({person for person, _issue in rows}), dict(per_issue)
