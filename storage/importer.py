"""Importing a programme file in one transaction: everything or nothing, and idempotent."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import convergence, meta, positions
from storage.files.faults import ProgrammeFileError
from storage.files.programme_spec import DelegationSpec, MeetingSpec, PositionSpec, ProgrammeFile
from storage.files.programme_toml import read_programme
from storage.meetings import place_in_time
from storage.member_states import with_reference_aliases
from storage.models import (
    Delegation,
    DelegationKind,
    Document,
    Element,
    ElementStatus,
    KeyIssue,
    Meeting,
    MeetingStatus,
    Membership,
    StanceValue,
)
from storage.programme_edits import notify

DEMO_FILE = Path(__file__).with_name("demo") / "ign70.toml"


@dataclass(frozen=True)
class Change:
    """One change an import makes: "add", "update" or "new version" of a thing."""

    action: str
    kind: str
    key: str
    detail: str = ""

    def __str__(self) -> str:
        suffix = f": {self.detail}" if self.detail else ""
        return f"{self.action} {self.kind} {self.key}{suffix}"


class _Importer:
    def __init__(self, session: AsyncSession, programme: ProgrammeFile, now: datetime) -> None:
        self.session, self.programme, self.now = session, programme, now
        self.changes: list[Change] = []

    async def _existing(self, model: type, keys: set[str]) -> dict[str, Any]:
        if not keys:
            return {}
        rows = await self.session.scalars(select(model).where(model.key.in_(keys)))
        return {row.key: row for row in rows}

    def _update(self, row: object, kind: str, key: str, values: dict[str, Any]) -> dict:
        """Set the values that differ; returns them as {field: [old, new]}."""
        differences = {}
        for name, value in values.items():
            old = getattr(row, name)
            if old != value:
                differences[name] = [old, value]
                setattr(row, name, value)
        if differences:
            detail = "; ".join(f"{n}: {_show(o)} → {_show(v)}" for n, (o, v) in differences.items())
            self.changes.append(Change("update", kind, key, detail))
        return differences

    async def _upsert(
        self,
        model: type,
        kind: str,
        specs: list[Any],
        values: Any,
        differences: dict[str, dict] | None = None,
        described: Any = None,
    ) -> dict:
        """Add or update rows by key; `differences` collects what changed in existing ones,
        `described` says what an added one is."""
        rows = await self._existing(model, {spec.key for spec in specs})
        for spec in specs:
            fields = values(spec)
            if spec.key in rows:
                changed = self._update(rows[spec.key], kind, spec.key, fields)
                if differences is not None and changed:
                    differences[spec.key] = changed
            else:
                rows[spec.key] = model(key=spec.key, **fields)
                self.session.add(rows[spec.key])
                self.changes.append(
                    Change("add", kind, spec.key, described(spec) if described else "")
                )
        await self.session.flush()
        return rows

    async def _refuse_over_the_demo(self) -> None:
        demo = await meta.demo_clock_start(self.session)
        spec = self.programme.programme
        if demo is not None and (spec is None or self.programme.demo_clock is None):
            raise ProgrammeFileError(
                "this database holds the demo programme; import a real programme into another "
                "database (--db URL), or delete the demo's file (plenary.db) to start afresh"
            )

    async def run(self) -> list[Change]:
        await self._refuse_over_the_demo()
        p = self.programme
        await self._upsert(
            Document,
            "document",
            p.documents,
            lambda s: {"title": s.title, "url": s.url, "issued_on": s.issued_on, "body": s.body},
        )
        await self._upsert(
            KeyIssue,
            "key issue",
            p.key_issues,
            lambda s: {
                "name": s.name,
                "description": s.description,
                "aliases": list(s.aliases),
                "position": p.key_issues.index(s),
            },
        )
        issues = await self._all(KeyIssue)
        documents = {
            name.casefold(): key
            for key, title in await self.session.execute(select(Document.key, Document.title))
            for name in (key, title)
        }
        await self._meetings(issues, documents)
        delegations = await self._delegations()
        await self._positions(delegations, issues, documents)
        await self._map(delegations, issues)
        await self._record_programme()
        return self.changes

    async def _all(self, model: type) -> dict[str, Any]:
        return {row.key: row for row in await self.session.scalars(select(model))}

    async def _meetings(self, issues: dict[str, KeyIssue], documents: dict[str, str]) -> None:
        for spec in self.programme.meetings:
            _require(spec.key_issues, issues, f"meeting {spec.key}", "key issue")
            _require(spec.sources or (), documents, f"meeting {spec.key}", "document")
        existing = await self._existing(Meeting, {spec.key for spec in self.programme.meetings})
        differences: dict[str, dict] = {}
        rows = await self._upsert(
            Meeting, "meeting", self.programme.meetings, _meeting_fields, differences, _when_where
        )
        for spec in self.programme.meetings:
            meeting = rows[spec.key]
            current = [i.key for i in await meeting.awaitable_attrs.key_issues]
            if set(current) != set(spec.key_issues):
                if current:
                    differences.setdefault(spec.key, {})["key_issues"] = [
                        current,
                        list(spec.key_issues),
                    ]
                    self.changes.append(
                        Change(
                            "update",
                            "meeting",
                            spec.key,
                            f"key issues: {', '.join(current)} → {', '.join(spec.key_issues)}",
                        )
                    )
                meeting.key_issues = [issues[key] for key in spec.key_issues]
        await self.session.flush()
        for key, meeting in rows.items():
            await notify(self.session, meeting, key in existing, differences.get(key, {}), self.now)

    async def _delegations(self) -> dict[str, Delegation]:
        specs = await self._as_known_states(self.programme.delegations)
        await self._upsert(
            Delegation,
            "delegation",
            specs,
            lambda s: {
                "kind": DelegationKind(s.kind),
                "name": s.name,
                "aliases": with_reference_aliases(s.key, s.aliases),
                "note": s.note,
            },
        )
        delegations = await self._all(Delegation)
        names = _name_index(delegations.values())
        for spec in specs:
            if spec.kind == "group" and spec.members:
                await self._memberships(spec, delegations[spec.key], names)
        return delegations

    async def _as_known_states(self, specs: list[DelegationSpec]) -> list[DelegationSpec]:
        """The specs, each State that the database knows under another key (the file names it
        by one of its other names, "UK" for the United Kingdom) taken as that State: its key,
        name, kind, note and aliases kept, the file's names added to its aliases."""
        known = _name_index((await self._all(Delegation)).values())
        resolved = []
        for spec in specs:
            row = known.get(spec.name.casefold()) if spec.kind != "group" else None
            if row is None or row.key == spec.key or row.kind == DelegationKind.GROUP:
                resolved.append(spec)
                continue
            aliases = list(row.aliases)
            for alias in (spec.name, *spec.aliases):
                if alias.casefold() not in {a.casefold() for a in (row.name, *aliases)}:
                    aliases.append(alias)
            resolved.append(
                replace(
                    spec,
                    key=row.key,
                    kind=row.kind.value,
                    name=row.name,
                    aliases=tuple(aliases),
                    note=spec.note if spec.note is not None else row.note,
                )
            )
        return resolved

    async def _memberships(
        self, spec: DelegationSpec, group: Delegation, names: dict[str, Delegation]
    ) -> None:
        members = []
        for name in spec.members:
            member = names.get(name.casefold())
            if member is None or member.kind == DelegationKind.GROUP:
                raise ProgrammeFileError(
                    f"group {spec.key}: member {name!r} is not a State "
                    "named in this file or the database"
                )
            members.append(member.id)
        current = set(
            await self.session.scalars(
                select(Membership.member_id).where(Membership.group_id == group.id)
            )
        )
        for member_id in set(members) - current:
            self.session.add(Membership(group_id=group.id, member_id=member_id))
        gone = current - set(members)
        if gone:
            await self.session.execute(
                delete(Membership).where(
                    Membership.group_id == group.id, Membership.member_id.in_(gone)
                )
            )
        if set(members) != current:
            self.changes.append(
                Change(
                    "update" if current else "add",
                    "membership",
                    spec.key,
                    f"{len(members)} members",
                )
            )

    async def _positions(
        self,
        delegations: dict[str, Delegation],
        issues: dict[str, KeyIssue],
        documents: dict[str, str],
    ) -> None:
        names = _name_index(delegations.values())
        for spec in self.programme.positions:
            holder = names.get(spec.holder.casefold())
            where = f"position of {spec.holder!r} on {spec.key_issue!r}"
            if holder is None:
                raise ProgrammeFileError(f"{where}: no delegation or group {spec.holder!r}")
            _require((spec.key_issue,), issues, where, "key issue")
            _require(spec.sources, documents, where, "document")
            # A source named by a document's title (as the CSV export writes it) is that document.
            cited = [documents.get(c.casefold(), c) for c in spec.cited]
            await self._position(spec, holder, issues[spec.key_issue], [*spec.sources, *cited])

    async def _position(
        self, spec: PositionSpec, holder: Delegation, issue: KeyIssue, sources: list[str]
    ) -> None:
        version = await positions.add_version(
            self.session,
            holder.id,
            issue.id,
            spec.text,
            spec.stated_on,
            sources,
            None,
            self.now,
        )
        if version is not None:
            action = "add" if version.number == 1 else "new version of"
            self.changes.append(Change(action, "position", f"{holder.key}/{issue.key}"))

    async def _map(self, delegations: dict[str, Delegation], issues: dict[str, KeyIssue]) -> None:
        """The convergence map's elements (added or updated by key) and stances (a new
        version when one changed)."""
        papers = {
            key: id_ for id_, key in await self.session.execute(select(Document.id, Document.key))
        }
        for spec in self.programme.elements:
            where = f"element {spec.key!r}"
            _require((spec.key_issue,), issues, where, "key issue")
            _require((spec.paper,) if spec.paper else (), papers, where, "document")
        await self._upsert(
            Element,
            "element",
            self.programme.elements,
            lambda s: {
                "key_issue_id": issues[s.key_issue].id,
                "wording": s.wording,
                "paper_id": papers.get(s.paper) if s.paper else None,
                "status": ElementStatus(s.status) if s.status else None,
                "position": self.programme.elements.index(s),
            },
        )
        elements = await self._all(Element)
        names = _name_index(delegations.values())
        for spec in self.programme.stances:
            holder = names.get(spec.holder.casefold())
            where = f"stance of {spec.holder!r} on {spec.element!r}"
            if holder is None:
                raise ProgrammeFileError(f"{where}: no delegation or group {spec.holder!r}")
            _require((spec.element,), elements, where, "element")
            version = await convergence.add_stance(
                self.session,
                elements[spec.element].id,
                holder.id,
                StanceValue(spec.stance),
                spec.stated_on,
                list(spec.sources),
                None,
                self.now,
            )
            if version is not None:
                self.changes.append(Change("add", "stance", f"{holder.key}/{spec.element}"))

    async def _record_programme(self) -> None:
        values = {}
        if self.programme.programme is not None:
            spec = self.programme.programme
            values = {
                "programme_key": spec.key,
                "programme_name": spec.name,
                "programme_short_name": spec.short_name,
                "programme_timezone": spec.timezone,
            }
        if self.programme.demo_clock is not None:
            values["demo_clock_starts_at"] = self.programme.demo_clock.isoformat()
        for key, value in values.items():
            if await meta.get(self.session, key) != value:
                await meta.put(self.session, key, value)
                self.changes.append(Change("set", "setting", key, value))


def _meeting_fields(spec: MeetingSpec) -> dict[str, Any]:
    sort_at, until_at = place_in_time(spec.local_date, spec.start, spec.timezone)
    given = {} if spec.sources is None else {"sources": list(spec.sources)}
    return given | {
        "title": spec.title,
        "local_date": spec.local_date,
        "starts_at": spec.start,
        "ends_at": spec.end,
        "timezone": spec.timezone,
        "room": spec.room,
        "status": MeetingStatus(spec.status),
        "notes": spec.notes,
        "sort_at": sort_at,
        "until_at": until_at,
    }


def _when_where(spec: MeetingSpec) -> str:
    """An added meeting's time (venue and UTC) or day, its room, its status if not held."""
    if spec.start is None:
        when = f"{spec.local_date}, time to be announced"
    else:
        local = spec.start.astimezone(ZoneInfo(spec.timezone))
        when = f"{local:%Y-%m-%d %H:%M} {spec.timezone} ({spec.start.astimezone(UTC):%H:%M} UTC)"
    parts = [when, spec.room or "room to be announced"]
    return ", ".join(parts + ([spec.status] if spec.status != "scheduled" else []))


def _name_index(delegations: Any) -> dict[str, Delegation]:
    """Delegations by key, name, or an alias that names only one of them (not "Congo")."""
    delegations = list(delegations)
    by_alias: dict[str, list[Delegation]] = {}
    for delegation in delegations:
        for alias in delegation.aliases or ():
            by_alias.setdefault(alias.casefold(), []).append(delegation)
    index = {alias: named[0] for alias, named in by_alias.items() if len(named) == 1}
    for delegation in delegations:
        index[delegation.key.casefold()] = delegation
        index[delegation.name.casefold()] = delegation
    return index


def _require(keys: tuple[str, ...], known: Any, where: str, kind: str) -> None:
    for key in keys:
        if key not in known:
            raise ProgrammeFileError(f"{where}: unknown {kind} {key!r}")


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    return "none" if value is None else repr(value) if isinstance(value, str) else str(value)


async def import_programme(
    session: AsyncSession, programme: ProgrammeFile, now: datetime
) -> list[Change]:
    """Apply a checked programme to the database (the caller commits or rolls back)."""
    return await _Importer(session, programme, now).run()


async def import_demo(session: AsyncSession, now: datetime) -> list[Change]:
    return await import_programme(session, read_programme(DEMO_FILE), now)


async def import_ign_key_issues(session: AsyncSession, now: datetime) -> list[Change]:
    """The five key issues of the IGN (General Assembly decision 62/557), as the demo names
    them: a new IGN programme starts with them."""
    issues = read_programme(DEMO_FILE).key_issues
    return await import_programme(session, ProgrammeFile(key_issues=issues), now)
