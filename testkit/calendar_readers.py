"""Reading Plenary's calendars back with parsers Plenary does not write with: Mozilla's ical.js
(run by node), vobject, and icalendar told to build each zone from the file's own VTIMEZONE
(as Outlook does) rather than from its name; each gives every event's instants in UTC."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import recurring_ical_events
import vobject

ICALJS = Path(__file__).with_name("icaljs")


@dataclass(frozen=True)
class Read:
    """One event as a client read it: instants in UTC (a date for an all-day entry)."""

    uid: str
    start: datetime | date
    end: datetime | date | None
    status: str
    summary: str
    alarms: int


def _utc(value: str | None, all_day: bool) -> datetime | date | None:
    if value is None:
        return None
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return instant.date() if all_day else instant.astimezone(UTC)


def with_icaljs(data: bytes) -> dict[str, Read]:
    """ical.js, after registering the file's VTIMEZONEs (testkit/icaljs, `make test` installs
    it with npm)."""
    node = shutil.which("node")
    if node is None or not (ICALJS / "node_modules" / "ical.js").is_dir():
        raise RuntimeError("ical.js is not installed: run `npm ci --prefix testkit/icaljs`")
    done = subprocess.run(
        [node, str(ICALJS / "read.mjs")], input=data, capture_output=True, check=True, timeout=60
    )
    events = json.loads(done.stdout)
    return {
        e["uid"]: Read(
            e["uid"],
            _utc(e["start"], e["all_day"]),
            _utc(e["end"], e["all_day"]),
            e["status"] or "",
            e["summary"] or "",
            e["alarms"],
        )
        for e in events
    }


def _instant(value: datetime | date | None) -> datetime | date | None:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def with_vobject(data: bytes) -> dict[str, Read]:
    """vobject, whose zones are built from the file's VTIMEZONEs (dateutil's rules)."""
    found = {}
    for event in vobject.readOne(data.decode()).vevent_list:
        end = getattr(event, "dtend", None)
        found[event.uid.value] = Read(
            event.uid.value,
            _instant(event.dtstart.value),
            _instant(end.value if end else None),
            event.status.value if hasattr(event, "status") else "",
            event.summary.value if hasattr(event, "summary") else "",
            len(getattr(event, "valarm_list", [])),
        )
    return found


def _from_file(value: object, zones: dict[str, object]) -> datetime | date | None:
    """An instant whose wall time is read in the file's own definition of its zone."""
    if isinstance(value, datetime) and value.tzinfo is not None and str(value.tzinfo) in zones:
        return value.replace(tzinfo=None).replace(tzinfo=zones[str(value.tzinfo)]).astimezone(UTC)
    return _instant(value)  # type: ignore[arg-type]


def with_icalendar(data: bytes) -> dict[str, Read]:
    """icalendar, each zone built from its VTIMEZONE and not looked up by name."""
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(z["TZID"]): z.to_tz(lookup_tzid=False) for z in calendar.walk("VTIMEZONE")}
    return {
        str(e["UID"]): Read(
            str(e["UID"]),
            _from_file(e.decoded("DTSTART"), zones),
            _from_file(e.decoded("DTEND", None), zones),
            str(e.get("STATUS", "")),
            str(e.get("SUMMARY", "")),
            len(e.walk("VALARM")),
        )
        for e in calendar.walk("VEVENT")
    }


def occurrences(data: bytes, first: date, last: date) -> dict[str, datetime | date]:
    """recurring-ical-events' answer to "what is on between these days": each UID's start."""
    calendar = icalendar.Calendar.from_ical(data)
    return {
        str(e["UID"]): _instant(e.decoded("DTSTART"))
        for e in recurring_ical_events.of(calendar).between(first, last)
    }
