"""The audit log: every write by the Chair's office or a focal point, and every refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Delegation, Person, Role


async def record(
    session: AsyncSession,
    now: datetime,
    person_id: int | None,
    platform: str,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
    allowed: bool = True,
    *,
    user_id: str = "",
) -> None:
    """One entry; `user_id` is the platform's id of the actor's account, kept even when no
    person was stored for it."""
    session.add(
        AuditEntry(
            at=now,
            person_id=person_id,
            platform=platform,
            user_id=user_id[:64],
            action=action,
            target=target,
            before=before,
            after=after,
            allowed=allowed,
        )
    )
    await session.flush()


async def recent(
    session: AsyncSession, limit: int = 20, allowed: bool | None = None
) -> list[AuditEntry]:
    """The latest entries, newest first: writes only (`allowed=True`), refusals only
    (`False`), or both (None)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if allowed is not None:
        query = query.where(AuditEntry.allowed.is_(allowed))
    return list(await session.scalars(query))


async def refusals_since(session: AsyncSession, since: datetime) -> int:
    """How many refusals were recorded from `since` on."""
    return (
        await session.scalar(
            select(func.count()).where(AuditEntry.allowed.is_(False), AuditEntry.at >= since)
        )
        or 0
    )


PLATFORMS = {"telegram": "Telegram", "slack": "Slack", "console": "terminal", "cli": "command line"}
ROLES = {role.value: role.value.replace("_", " ") for role in Role}


@dataclass(frozen=True)
class AuditLine:
    """An entry as the log shows it: who by name, role and platform; what changed, named."""

    at: datetime
    who: str
    what: str
    change: str  # "" when the entry records no value
    allowed: bool


async def shown(session: AsyncSession, entries: list[AuditEntry]) -> list[AuditLine]:
    """The entries with their people and delegations named (loaded at once, not one by one)."""
    person_ids = {e.person_id for e in entries if e.person_id is not None}
    people = {
        p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(person_ids)))
    }
    delegation_ids = {i for e in entries for v in (e.before, e.after) for i in _delegations(v)}
    names = dict(
        (
            await session.execute(
                select(Delegation.id, Delegation.name).where(Delegation.id.in_(delegation_ids))
            )
        ).all()
    )
    return [
        AuditLine(
            entry.at,
            _who(entry, people.get(entry.person_id)),
            f"{entry.action} {entry.target}".strip(),
            _change(entry.before, entry.after, names),
            entry.allowed,
        )
        for entry in entries
    ]


def _who(entry: AuditEntry, person: Person | None) -> str:
    platform = PLATFORMS.get(entry.platform, entry.platform)
    if entry.platform == "cli":
        return f"operator {entry.user_id or 'unknown'} at the command line"
    if person is None:
        return f"{platform} user {entry.user_id or 'unknown'} (not stored)"
    account = f"{platform} {entry.user_id}".strip()
    name = person.display_name or f"#{person.id}"
    return f"{name} (#{person.id}, {ROLES[person.role.value]}, {account})"


def _delegations(value: Any) -> list[int]:
    if isinstance(value, dict) and isinstance(value.get("delegation_id"), int):
        return [value["delegation_id"]]
    if _is_role(value) and isinstance(value[1], int):
        return [value[1]]
    return []


def _is_role(value: Any) -> bool:
    """A role as registrations record it: [role, delegation id or None]."""
    return isinstance(value, list) and len(value) == 2 and value[0] in ROLES


def _value(value: Any, names: dict[int, str]) -> str:
    if value is None:
        return "none"
    if _is_role(value):
        role = ROLES[value[0]]
        return f"{role} for {names.get(value[1], value[1])}" if value[1] is not None else role
    if isinstance(value, dict):
        shown = [_field(key, item, names) for key, item in value.items() if item is not None]
        return ", ".join(shown) or "none"
    if isinstance(value, list):
        return ", ".join(_value(item, names) for item in value) or "none"
    return str(value)


def _field(key: str, item: Any, names: dict[int, str]) -> str:
    label = key.removesuffix("_id").replace("_", " ")
    if key == "delegation_id" and item is not None:
        return f"{label}: {names.get(item, item)}"
    return f"{label}: {_value(item, names)}"


def _field_changed(key: str, old: Any, new: Any, names: dict[int, str]) -> str:
    label, was = _field(key, old, names).split(": ", 1)
    return f"{label}: {was} → {_field(key, new, names).split(': ', 1)[1]}"


def _change(before: Any, after: Any, names: dict[int, str]) -> str:
    if before is None and (
        after is None
        or after == {}
        or (isinstance(after, dict) and all(v is None for v in after.values()))
    ):
        return ""
    if before is None:
        return _value(after, names)
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        return ", ".join(_field_changed(k, before.get(k), after.get(k), names) for k in keys)
    return f"{_value(before, names)} → {_value(after, names)}"
