"""Reading a programme file (TOML) into checked specifications, naming the line of any fault;
its specifications and checks are in programme_spec.py."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from storage.files.faults import ProgrammeFileError
from storage.files.programme_spec import (
    DELEGATION_SECTIONS,
    ELEMENT_STATUSES,
    SECTIONS,
    STANCES,
    DelegationSpec,
    DocumentSpec,
    ElementSpec,
    KeyIssueSpec,
    MeetingSpec,
    PositionSpec,
    ProgrammeFile,
    ProgrammeSpec,
    StanceSpec,
    check_end,
    slug,
    valid_key,
    valid_status,
    valid_zone,
)
from storage.files.reading import read_text


class _Table:
    """One TOML table being read: knows its place in the file for error messages."""

    def __init__(self, source: str, section: str, index: int | None, data: Any) -> None:
        self.section, self.index = section, index
        self.where = _where(source, section, index)
        if not isinstance(data, dict):
            raise ProgrammeFileError(f"{self.where}: expected a table")
        self.data: dict[str, Any] = data
        self.seen: set[str] = set()

    def _name(self, key: str) -> str:
        place = self.section if self.index is None else f"{self.section}[{self.index + 1}]"
        return f"{place}.{key}"

    def fail(self, key: str, problem: str) -> ProgrammeFileError:
        return ProgrammeFileError(f"{self.where}: {self._name(key)}: {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], required: bool = False) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                raise ProgrammeFileError(f"{self.where}: {self._name(key)} is missing")
            return None
        value = self.data[key]
        # A datetime is a date in Python; keep "date" fields to calendar dates only.
        if kind is date and isinstance(value, datetime):
            raise self.fail(key, "expected a date such as 2016-02-22, not a date-time")
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(key, f"expected {_kind_name(kind)}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.get(key, str, required)
        return value.strip() if value is not None else None

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        values = self.get(key, list, required) or []
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise self.fail(key, f"expected a list of names, found {value!r}")
        return tuple(v.strip() for v in values)

    def key(self, name: str = "key", default: str | None = None) -> str:
        return valid_key(
            self.text(name, required=default is None) or default or "", self.fail, name
        )

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.fail(unknown[0], "unknown field")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        list: "a list",
        date: "a date",
        datetime: "a date-time",
        int: "a number",
        bool: "true or false",
        dict: "a table",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _where(source: str, section: str, index: int | None) -> str:
    """ "line N" of the index-th [[section]] header (or the [section] header)."""
    header = rf"^\s*\[\[\s*{section}\s*\]\]" if index is not None else rf"^\s*\[\s*{section}\s*\]"
    count = -1
    for number, line in enumerate(source.splitlines(), start=1):
        if re.match(header, line):
            count += 1
            if index is None or count == index:
                return f"line {number}"
    return "file"


def _tables(source: str, data: dict[str, Any], section: str) -> list[_Table]:
    items = data.get(section, [])
    if not isinstance(items, list):
        raise ProgrammeFileError(f"{section}: expected an array of tables ([[{section}]])")
    return [_Table(source, section, i, item) for i, item in enumerate(items)]


def _zone(table: _Table, key: str, default: str | None) -> str:
    name = table.text(key) or default
    if name is None:
        raise ProgrammeFileError(
            f"{table.where}: {table._name(key)} is missing (or give [programme] timezone)"
        )
    return valid_zone(name, table.fail, key)


def _aware(table: _Table, key: str, value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise table.fail(key, "give the UTC offset, e.g. 2016-02-03T10:00:00-05:00")
    return value


def _meeting(table: _Table, default_zone: str | None) -> MeetingSpec:
    zone = _zone(table, "timezone", default_zone)
    start = _aware(table, "start", table.get("start", datetime))
    day = table.get("date", date)
    if start is None and day is None:
        raise ProgrammeFileError(
            f"{table.where}: {table._name('start')} or {table._name('date')} is required"
        )
    if start is not None:
        local = start.astimezone(ZoneInfo(zone)).date()
        if day is not None and day != local:
            raise table.fail("date", f"{day} contradicts start {start.isoformat()}")
        day = local
    end = check_end(start, _aware(table, "end", table.get("end", datetime)), table.fail, "end")
    status = valid_status(table.text("status"), table.fail, "status")
    return MeetingSpec(
        key=table.key(),
        local_date=day,
        start=start,
        end=end,
        timezone=zone,
        title=table.text("title"),
        room=table.text("room"),
        status=status,
        key_issues=table.strings("key_issues", required=True),
        notes=table.text("notes"),
        sources=table.strings("sources"),
    )


def _delegation(table: _Table, kind: str) -> DelegationSpec:
    name = table.text("name", required=True) or ""
    members = table.strings("members") if kind == "group" else ()
    return DelegationSpec(
        key=table.key(default=slug(name)),
        kind=kind,
        name=name,
        aliases=table.strings("aliases"),
        members=members,
        note=table.text("note"),
    )


def parse_programme(source: str) -> ProgrammeFile:
    """Check a programme file's text; raise ProgrammeFileError naming the first fault."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ProgrammeFileError(f"not valid TOML: {error}") from None
    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        raise ProgrammeFileError(
            f"{_where(source, unknown[0], None)}: unknown section {unknown[0]!r}"
        )
    result = ProgrammeFile()
    zone = None
    if "programme" in data:
        table = _Table(source, "programme", None, data["programme"])
        zone = _zone(table, "timezone", None)
        result.programme = ProgrammeSpec(
            key=table.key(),
            name=table.text("name", required=True) or "",
            short_name=table.text("short_name") or table.key(),
            timezone=zone,
        )
        table.finish()
    if "demo" in data:
        table = _Table(source, "demo", None, data["demo"])
        result.demo_clock = _aware(
            table, "clock_starts_at", table.get("clock_starts_at", datetime, required=True)
        )
        table.finish()
    readers = [
        (
            "documents",
            lambda t: DocumentSpec(
                key=t.key(),
                title=t.text("title", required=True) or "",
                url=t.text("url"),
                issued_on=t.get("issued_on", date),
                body=t.text("body"),
            ),
            result.documents,
        ),
        (
            "key_issues",
            lambda t: KeyIssueSpec(
                key=t.key(),
                name=t.text("name", required=True) or "",
                description=t.text("description") or "",
                aliases=t.strings("aliases"),
            ),
            result.key_issues,
        ),
        ("meetings", lambda t: _meeting(t, zone), result.meetings),
        ("states", lambda t: _delegation(t, "member_state"), result.delegations),
        ("observer_states", lambda t: _delegation(t, "observer_state"), result.delegations),
        ("groups", lambda t: _delegation(t, "group"), result.delegations),
        (
            "positions",
            lambda t: PositionSpec(
                holder=t.text("holder", required=True) or "",
                key_issue=t.text("key_issue", required=True) or "",
                text=t.text("text", required=True) or "",
                stated_on=t.get("stated_on", date),
                sources=t.strings("sources"),
            ),
            result.positions,
        ),
        (
            "elements",
            lambda t: ElementSpec(
                key=t.key(),
                key_issue=t.text("key_issue", required=True) or "",
                wording=t.text("wording", required=True) or "",
                paper=t.text("paper"),
                status=_one_of(t, "status", ELEMENT_STATUSES),
            ),
            result.elements,
        ),
        (
            "stances",
            lambda t: StanceSpec(
                holder=t.text("holder", required=True) or "",
                element=t.text("element", required=True) or "",
                stance=_one_of(t, "stance", STANCES, required=True) or "",
                stated_on=t.get("stated_on", date),
                sources=t.strings("sources"),
            ),
            result.stances,
        ),
    ]
    for section, read, into in readers:
        for table in _tables(source, data, section):
            into.append(read(table))
            table.finish()
    _check_unique(source, result)
    return result


def _one_of(
    table: _Table, key: str, choices: tuple[str, ...], required: bool = False
) -> str | None:
    value = table.text(key, required=required)
    if value is not None and value not in choices:
        raise table.fail(key, f"{value!r} is none of {', '.join(choices)}")
    return value


def _check_unique(source: str, programme: ProgrammeFile) -> None:
    """Each key once per section; a delegation once in all; one position per holder and issue."""
    sections: list[tuple[str, list[Any], Any]] = [
        ("documents", programme.documents, lambda s: s.key),
        ("key_issues", programme.key_issues, lambda s: s.key),
        ("meetings", programme.meetings, lambda s: s.key),
        ("positions", programme.positions, lambda s: (s.holder.casefold(), s.key_issue)),
        ("elements", programme.elements, lambda s: s.key),
    ]
    for kind in ("states", "observer_states", "groups"):
        chosen = [d for d in programme.delegations if DELEGATION_SECTIONS[d.kind] == kind]
        sections.append((kind, chosen, lambda s: s.key))
    delegations: set[str] = set()
    for section, specs, key in sections:
        seen: set[Any] = set()
        for index, spec in enumerate(specs):
            if key(spec) in seen or (
                section in DELEGATION_SECTIONS.values() and spec.key in delegations
            ):
                raise ProgrammeFileError(
                    f"{_where(source, section, index)}: {section}[{index + 1}] "
                    f"appears twice ({key(spec)!r})"
                )
            seen.add(key(spec))
            if section in DELEGATION_SECTIONS.values():
                delegations.add(spec.key)


def read_programme(path: Path) -> ProgrammeFile:
    warnings: list[str] = []
    programme = parse_programme(read_text(path, warnings))
    programme.warnings = warnings
    return programme
