"""Reading meetings from an iCalendar (.ics) file, one event a meeting, as Google, Outlook,
Apple and Plenary itself write them; every fault is listed, naming the event and property.

UID gives the meeting's key (Plenary's own UIDs, key@plenary.meetings, the key itself: its
files update its meetings), DTSTART its date and time (a date alone: time to be announced),
DTEND or DURATION its end, LOCATION its room, SUMMARY its title, DESCRIPTION its notes,
STATUS:CANCELLED cancels it (TENTATIVE stays scheduled) and CATEGORIES name its key issues.
Zones: IANA names, or Windows names (Outlook's "W. Europe Standard Time", through CLDR's
mapping); floating times, and UTC ones, are in X-WR-TIMEZONE (Google's), else the default
zone. A wall time the clocks skip or show twice is refused, as in CSV.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import x_wr_timezone
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from storage.files.calendar_ics import OWN, key_of_uid
from storage.files.faults import Fault, Problems, ProgrammeFileError
from storage.files.file_names import FileNames, LiteralNames
from storage.files.programme_spec import (
    KEY_PATTERN,
    MeetingSpec,
    ProgrammeFile,
    check_end,
    local_instant,
    slug,
    valid_status,
)
from storage.files.reading import limited, read_text

STATUSES = {"CONFIRMED": "scheduled", "TENTATIVE": "scheduled", "CANCELLED": "cancelled"}
REPEATING = ("RRULE", "RDATE", "RECURRENCE-ID")
_QUOTED = re.compile(r": b?'.*$", re.DOTALL)  # icalendar quotes the whole input in some errors


def meeting_key(uid: str) -> str:
    """A key made from an event's UID, the same on every import: Plenary's own key, else the
    UID's slug, shortened with a digest of the whole UID when it is too long."""
    own = key_of_uid(uid)
    if own and KEY_PATTERN.match(own):
        return own
    whole = slug(uid, limit=None)
    if whole and KEY_PATTERN.match(whole):
        return whole
    digest = hashlib.sha256(uid.encode()).hexdigest()[:10]
    return f"{whole[:53]}-{digest}" if whole else digest


def iana_zone(name: str) -> str | None:
    """The IANA zone a TZID names: itself, or a Windows zone's (CLDR's windowsZones)."""
    name = name.strip().strip('"')
    if name in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[name]
    try:
        return ZoneInfo(name).key
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _text(event: icalendar.Event, name: str) -> str | None:
    return str(event.get(name, "")).strip() or None


def _fault(event: icalendar.Event, number: int) -> Fault:
    uid, summary = _text(event, "UID"), _text(event, "SUMMARY")
    where = f"event {uid!r}" if uid else f"event {number} (no UID)"
    if summary:
        where += f" ({summary[:80]})"
    return lambda field, problem: ProgrammeFileError(f"{where}: {field}: {problem}")


class _Events:
    """Reads the events of one calendar, its floating times in `zone`."""

    def __init__(self, zone: str, names: FileNames, warnings: list[str]) -> None:
        self.zone, self.names, self.warnings = zone, names, warnings

    def instant(self, event: icalendar.Event, name: str, fault: Fault) -> tuple[date, str]:
        """A property's date or aware instant, and the IANA zone it is given in."""
        prop = event[name]
        value, tzid = prop.dt, prop.params.get("TZID")
        if not isinstance(value, datetime):
            if isinstance(value, date):
                return value, self.zone
            raise fault(name, "expected a date or a date-time")
        if value.tzinfo is None and not tzid:  # floating: the calendar's zone
            return local_instant(value.date(), value.time(), self.zone, fault, name), self.zone
        zone = iana_zone(str(tzid)) if tzid else getattr(value.tzinfo, "key", None)
        if zone == "UTC" or (zone is None and not tzid):
            return value.astimezone(UTC), self.zone
        if zone is not None:
            return local_instant(value.date(), value.time(), zone, fault, name), zone
        if value.tzinfo is None:
            raise fault(name, f"unknown time zone {str(tzid)!r}")
        self.warnings.append(
            f"{fault(name, f'time zone {str(tzid)!r} is not one Plenary knows')}: the file's own "
            f"definition gives the time, shown in {self.zone} time"
        )
        return value.astimezone(UTC), self.zone

    def end(self, event: icalendar.Event, start: date, fault: Fault) -> datetime | None:
        """DTEND, or DTSTART plus DURATION: an aware date-time, or None for a date."""
        if "DTEND" in event:
            end, _zone = self.instant(event, "DTEND", fault)
        elif "DURATION" in event and isinstance(start, datetime):
            end = start.astimezone(UTC) + event["DURATION"].dt
        else:
            return None
        if isinstance(end, datetime):
            return end
        if isinstance(start, datetime):
            raise fault("DTEND", "a date where DTSTART has a time")
        if end > start + timedelta(days=1):
            raise fault("DTEND", "a meeting lasts one day at most")
        return None

    def issues(self, event: icalendar.Event, fault: Fault) -> tuple[str, ...]:
        keys = []
        for category in filter(None, (str(c).strip() for c in event.categories)):
            try:
                keys.append(self.names.issue(category))
            except LookupError as error:
                raise fault("CATEGORIES", str(error.args[0])) from None
        return tuple(dict.fromkeys(keys))

    def meeting(self, event: icalendar.Event, fault: Fault) -> MeetingSpec:
        if event.errors:
            name, problem = event.errors[0]
            raise fault(name, problem)
        for name in REPEATING:
            if name in event:
                raise fault(name, "repeating events are not supported: give each meeting its own")
        uid = _text(event, "UID")
        if uid is None:
            raise fault("UID", "is missing")
        if "DTSTART" not in event:
            raise fault("DTSTART", "is missing")
        start, zone = self.instant(event, "DTSTART", fault)
        timed = start if isinstance(start, datetime) else None
        own = _text(event, OWN["status"])  # Plenary's own file: its fields as they are stored
        status = _text(event, "STATUS") or "CONFIRMED"
        if status.upper() not in STATUSES:
            raise fault("STATUS", f"{status!r} is not CONFIRMED, TENTATIVE or CANCELLED")
        end = None if own and OWN["no_end"] in event else self.end(event, start, fault)
        title, notes = (
            (_text(event, OWN["title"]), _text(event, OWN["notes"]))
            if own
            else (_text(event, "SUMMARY"), _text(event, "DESCRIPTION"))
        )
        return MeetingSpec(
            key=meeting_key(uid),
            local_date=timed.astimezone(ZoneInfo(zone)).date() if timed else start,
            start=timed,
            end=check_end(timed, end, fault, "DTEND"),
            timezone=zone,
            key_issues=self.issues(event, fault),
            title=limited(title, "title", fault, "SUMMARY"),
            room=limited(_text(event, "LOCATION"), "room", fault, "LOCATION"),
            status=valid_status(own, fault, OWN["status"]) if own else STATUSES[status.upper()],
            notes=limited(notes, "notes", fault, "DESCRIPTION"),
            sources=None,
        )


def _calendar(text: str) -> icalendar.Calendar:
    """The file's calendar; a fault names the line it cannot read."""
    try:
        return icalendar.Calendar.from_ical(text)
    except ValueError as error:
        problem = str(error)
    if problem.startswith("Content line could not be parsed"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line and not line[0].isspace() and f"{line!r}" in problem:
                raise ProgrammeFileError(
                    f"line {number}: not an iCalendar line (NAME:value): {line[:80]!r}"
                )
    if problem.startswith("Found no components"):
        problem = "no calendar from BEGIN:VCALENDAR to END:VCALENDAR (is the file cut short?)"
    raise ProgrammeFileError(f"not a valid iCalendar file: {_QUOTED.sub('', problem)[:200]}")


def _file_zone(calendar: icalendar.Calendar, default_zone: str) -> str:
    """X-WR-TIMEZONE, the zone Google gives a calendar's floating and UTC times; or the
    default."""
    named = _text(calendar, "X-WR-TIMEZONE")
    if named is None:
        return default_zone
    zone = iana_zone(named)
    if zone is None:
        raise ProgrammeFileError(f"X-WR-TIMEZONE: {named!r} is not a time zone")
    return zone


def _located(calendar: icalendar.Calendar, events: _Events) -> Iterator[MeetingSpec]:
    problems, seen = Problems(), set()
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        fault = _fault(event, number)
        spec = problems.attempt(lambda e=event, f=fault: events.meeting(e, f))
        if spec is None:
            continue
        if spec.key in seen:
            problems.found.append(str(fault("UID", f"{spec.key!r} appears twice")))
            continue
        seen.add(spec.key)
        yield spec
    problems.raise_any()


def read_ics_programme(
    path: Path, default_zone: str, names: FileNames | None = None
) -> ProgrammeFile:
    """The meetings of an iCalendar file; floating times (and UTC ones) in X-WR-TIMEZONE, else
    `default_zone`; CATEGORIES resolved by `names` (keys, without them)."""
    warnings: list[str] = []
    calendar = _calendar(read_text(path, warnings))
    zone = _file_zone(calendar, default_zone)
    if "X-WR-TIMEZONE" in calendar:
        calendar["X-WR-TIMEZONE"] = zone
        calendar = x_wr_timezone.to_standard(calendar)
    events = _Events(zone, names or LiteralNames(), warnings)
    return ProgrammeFile(meetings=list(_located(calendar, events)), warnings=warnings)
