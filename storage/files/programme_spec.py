"""What a programme file holds, whatever its format (TOML, CSV, iCalendar), and the checks
every reader applies to it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.files.faults import Fault
from storage.wall_clock import WallTimeError, wall_instant

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")

MEETING_STATUSES = ("scheduled", "postponed", "cancelled")


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: str
    short_name: str
    timezone: str


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    title: str
    url: str | None = None
    issued_on: date | None = None
    body: str | None = None


@dataclass(frozen=True)
class KeyIssueSpec:
    key: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingSpec:
    key: str
    local_date: date
    start: datetime | None
    key_issues: tuple[str, ...]
    title: str | None = None
    room: str | None = None
    end: datetime | None = None
    status: str = "scheduled"
    notes: str | None = None
    sources: tuple[str, ...] | None = ()  # None: the file does not say (left as they are)
    timezone: str = ""


@dataclass(frozen=True)
class DelegationSpec:
    key: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class PositionSpec:
    holder: str
    key_issue: str
    text: str
    stated_on: date | None = None
    sources: tuple[str, ...] = ()  # keys of documents on record
    cited: tuple[str, ...] = ()  # other sources, as given (a symbol such as A/69/L.92, a link)


@dataclass(frozen=True)
class ElementSpec:
    """A row of the convergence map: a proposition under a key issue, as a paper words it."""

    key: str
    key_issue: str
    wording: str
    paper: str | None = None  # the key of the document it comes from
    status: str | None = None  # "convergence" or "further"


@dataclass(frozen=True)
class StanceSpec:
    holder: str
    element: str
    stance: str  # supports | opposes | conditional | none
    stated_on: date | None = None
    sources: tuple[str, ...] = ()


@dataclass
class ProgrammeFile:
    programme: ProgrammeSpec | None = None
    demo_clock: datetime | None = None
    documents: list[DocumentSpec] = field(default_factory=list)
    key_issues: list[KeyIssueSpec] = field(default_factory=list)
    meetings: list[MeetingSpec] = field(default_factory=list)
    delegations: list[DelegationSpec] = field(default_factory=list)
    positions: list[PositionSpec] = field(default_factory=list)
    elements: list[ElementSpec] = field(default_factory=list)
    stances: list[StanceSpec] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was read, but may be wrong


DELEGATION_SECTIONS = {
    "member_state": "states",
    "observer_state": "observer_states",
    "group": "groups",
}
SECTIONS = {
    "programme",
    "demo",
    "documents",
    "key_issues",
    "meetings",
    "states",
    "observer_states",
    "groups",
    "positions",
    "elements",
    "stances",
}
ELEMENT_STATUSES = ("convergence", "further")
STANCES = ("supports", "opposes", "conditional", "none")


def slug(name: str, limit: int | None = 64) -> str:
    """A short key from a name: "Republic of Korea" -> "republic-of-korea"."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:limit]


def valid_key(value: str, fault: Fault, field: str = "key") -> str:
    if not KEY_PATTERN.match(value):
        raise fault(field, f"{value!r} is not a valid key (lower-case letters, digits, - _ .)")
    return value


def valid_zone(name: str, fault: Fault, field: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise fault(field, f"{name!r} is not an IANA time zone") from None
    return name


def valid_status(value: str | None, fault: Fault, field: str) -> str:
    """A meeting status; none given means scheduled."""
    if value is None:
        return "scheduled"
    if value not in MEETING_STATUSES:
        raise fault(field, "must be scheduled, postponed or cancelled")
    return value


def check_end(
    start: datetime | None, end: datetime | None, fault: Fault, field: str
) -> datetime | None:
    if end is not None and (start is None or end <= start):
        raise fault(field, "needs a start, and must come after it")
    return end


def local_instant(day: date, at: time, zone: str, fault: Fault, field: str) -> datetime:
    """The aware instant of a wall-clock time on a day in a zone; a time the clocks skip, or
    one they show twice, is a fault."""
    try:
        return wall_instant(day, at, zone)
    except WallTimeError as error:
        raise fault(field, str(error)) from None


def unique_meetings(located: Iterable[tuple[MeetingSpec, Fault]], field: str) -> ProgrammeFile:
    """A programme of these meetings, each key once (a repeated one is named where it is)."""
    programme, seen = ProgrammeFile(), set()
    for spec, fault in located:
        if spec.key in seen:
            raise fault(field, f"{spec.key!r} appears twice")
        seen.add(spec.key)
        programme.meetings.append(spec)
    return programme
