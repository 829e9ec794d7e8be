"""Reading meetings from an iCalendar (.ics) file, one event a meeting, naming the event and
the property of any fault.

UID gives the meeting's key, DTSTART its date and time (a date alone: time to be announced),
DTEND or DURATION its end, LOCATION its room, SUMMARY its title, DESCRIPTION its notes,
STATUS:CANCELLED cancels it (TENTATIVE stays scheduled) and CATEGORIES name its key issues.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from storage.files.programme_toml import (
    KEY_PATTERN,
    Fault,
    MeetingSpec,
    ProgrammeFile,
    ProgrammeFileError,
    check_end,
    local_instant,
    slug,
    unique_meetings,
)

STATUSES = {"CONFIRMED": "scheduled", "TENTATIVE": "scheduled", "CANCELLED": "cancelled"}
REPEATING = ("RRULE", "RDATE", "RECURRENCE-ID")


def meeting_key(uid: str) -> str:
    """A key made from an event's UID, the same on every import: its slug, shortened with a
    digest of the whole UID when it is too long."""
    whole = slug(uid, limit=None)
    if whole and KEY_PATTERN.match(whole):
        return whole
    digest = hashlib.sha256(uid.encode()).hexdigest()[:10]
    return f"{whole[:53]}-{digest}" if whole else digest


def _text(event: icalendar.Event, name: str) -> str | None:
    return str(event.get(name, "")).strip() or None


def _fault(event: icalendar.Event, number: int) -> Fault:
    uid, summary = _text(event, "UID"), _text(event, "SUMMARY")
    where = f"event {uid!r}" if uid else f"event {number} (no UID)"
    if summary:
        where += f" ({summary})"
    return lambda field, problem: ProgrammeFileError(f"{where}: {field}: {problem}")


def _instant(event: icalendar.Event, name: str, zone: str, fault: Fault) -> date:
    """A property's date or aware date-time; a floating time is taken in `zone`."""
    value = event[name].dt
    if isinstance(value, datetime) and value.tzinfo is None:
        if "TZID" in event[name].params:
            raise fault(name, f"unknown time zone {event[name].params['TZID']!r}")
        return local_instant(value.date(), value.time(), zone, fault, name)
    if not isinstance(value, date):
        raise fault(name, "expected a date or a date-time")
    return value


def _venue_zone(start: date, default_zone: str) -> str:
    """The IANA zone an event's start is given in; `default_zone` for UTC, a floating time,
    a date or a zone the file defines itself."""
    tz = getattr(start, "tzinfo", None)
    return tz.key if isinstance(tz, ZoneInfo) and tz.key != "UTC" else default_zone


def _end(event: icalendar.Event, start: date, zone: str, fault: Fault) -> datetime | None:
    """DTEND, or DTSTART plus DURATION: an aware date-time, or None for a date."""
    if "DTEND" in event:
        end = _instant(event, "DTEND", zone, fault)
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


def _issue_keys(
    event: icalendar.Event, names: dict[str, str] | None, fault: Fault
) -> tuple[str, ...]:
    """The key issues CATEGORIES name: by key, or by name or alias when `names` are known."""
    keys = []
    for category in filter(None, (str(c).strip() for c in event.categories)):
        key = category.casefold() if names is None else names.get(category.casefold())
        if key is None:
            raise fault("CATEGORIES", f"{category!r} is not a key issue's key, name or alias")
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def _meeting(
    event: icalendar.Event, default_zone: str, names: dict[str, str] | None, fault: Fault
) -> MeetingSpec:
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
    zone = _venue_zone(event["DTSTART"].dt, default_zone)
    start = _instant(event, "DTSTART", zone, fault)
    timed = start if isinstance(start, datetime) else None
    status = _text(event, "STATUS") or "CONFIRMED"
    if status.upper() not in STATUSES:
        raise fault("STATUS", f"{status!r} is not CONFIRMED, TENTATIVE or CANCELLED")
    return MeetingSpec(
        key=meeting_key(uid),
        local_date=timed.astimezone(ZoneInfo(zone)).date() if timed else start,
        start=timed,
        end=check_end(timed, _end(event, start, zone, fault), fault, "DTEND"),
        timezone=zone,
        key_issues=_issue_keys(event, names, fault),
        title=_text(event, "SUMMARY"),
        room=_text(event, "LOCATION"),
        status=STATUSES[status.upper()],
        notes=_text(event, "DESCRIPTION"),
    )


def _located(
    calendar: icalendar.Calendar, default_zone: str, names: dict[str, str] | None
) -> Iterator[tuple[MeetingSpec, Fault]]:
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        fault = _fault(event, number)
        yield _meeting(event, default_zone, names, fault), fault


def read_ics_programme(
    path: Path, default_zone: str, issues: dict[str, tuple[str, ...]] | None = None
) -> ProgrammeFile:
    """The meetings of an iCalendar file. `issues` maps each key issue's key to its name and
    aliases, so that CATEGORIES may name issues as people do; without it they must be keys.
    Floating times and dates are taken in `default_zone`."""
    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except OSError as error:
        raise ProgrammeFileError(f"cannot read {path}: {error}") from None
    except ValueError as error:
        raise ProgrammeFileError(f"not a valid iCalendar file: {error}") from None
    names = None
    if issues is not None:
        names = {
            name.casefold(): key for key, aliases in issues.items() for name in (key, *aliases)
        }
    return unique_meetings(_located(calendar, default_zone, names), "UID")
