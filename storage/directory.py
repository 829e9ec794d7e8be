"""Loading the names Plenary understands: key issues, States and groups, with aliases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Delegation,
    DelegationKind,
    KeyIssue,
    Meeting,
    MeetingKeyIssue,
    Membership,
)
from storage.state_names import common_names


@dataclass(frozen=True)
class IssueName:
    id: int
    key: str
    name: str
    description: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class DelegationName:
    id: int
    key: str
    name: str
    kind: DelegationKind
    aliases: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class Names:
    """A snapshot of every name, cheap to keep in memory and to match against."""

    issues: tuple[IssueName, ...]
    delegations: tuple[DelegationName, ...]
    members: dict[int, tuple[int, ...]]
    meeting_issues: dict[int, tuple[int, ...]] = field(default_factory=dict)
    season: tuple[date, date] | None = None  # the first and last meetings' days


async def load_names(session: AsyncSession) -> Names:
    issues = tuple(
        IssueName(i.id, i.key, i.name, i.description, tuple(i.aliases))
        for i in await session.scalars(select(KeyIssue).order_by(KeyIssue.position))
    )
    common = common_names()
    delegations = tuple(
        DelegationName(d.id, d.key, d.name, d.kind, (*d.aliases, *common.get(d.name, ())), d.note)
        for d in await session.scalars(select(Delegation).order_by(Delegation.name))
    )
    members: dict[int, list[int]] = {}
    for group_id, member_id in await session.execute(
        select(Membership.group_id, Membership.member_id)
    ):
        members.setdefault(group_id, []).append(member_id)
    meeting_issues: dict[int, list[int]] = {}
    for meeting_id, issue_id in await session.execute(
        select(MeetingKeyIssue.meeting_id, MeetingKeyIssue.key_issue_id)
        .join(KeyIssue, KeyIssue.id == MeetingKeyIssue.key_issue_id)
        .order_by(KeyIssue.position)
    ):
        meeting_issues.setdefault(meeting_id, []).append(issue_id)
    first, last = (
        await session.execute(select(func.min(Meeting.local_date), func.max(Meeting.local_date)))
    ).one()
    return Names(
        issues,
        delegations,
        {g: tuple(m) for g, m in members.items()},
        {m: tuple(i) for m, i in meeting_issues.items()},
        (first, last) if first and last else None,
    )
