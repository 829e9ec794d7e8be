"""Meetings as iCalendar: one event per meeting with a stable UID, a sequence number that grows
with every change, the meeting's own time zone, and alarms at the reader's lead times.

What clients are to show: a meeting whose time is to be announced is an all-day entry marked
TENTATIVE; a cancelled one is STATUS:CANCELLED with no alarm (a client that ignores STATUS does
not ring); a postponed one stays on its old day, all-day, TENTATIVE and free (TRANSP:
TRANSPARENT), with no alarm, its title saying so, and moves under the same UID once it has a
new date. The summary, with the status in words, is the caller's (it speaks the reader's
language)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration

from storage.files.vtimezone import vtimezone
from storage.models import Meeting, MeetingStatus

PRODUCT = "-//Plenary//Plenary calendar//EN"
UID_DOMAIN = "plenary.meetings"
DEFAULT_LENGTH = timedelta(hours=3)  # an IGN meeting: 10:00 to 13:00
DESCRIPTION_LIMIT = 2000  # characters of notes a calendar entry carries
# The meeting's own fields, beside what clients show (a title with its status in words, the
# key issues in the description, an end they can draw): Plenary reads its files back by them.
OWN = {
    "status": "X-PLENARY-STATUS",
    "title": "X-PLENARY-TITLE",
    "notes": "X-PLENARY-NOTES",
    "no_end": "X-PLENARY-NO-END",
}


def uid(meeting: Meeting) -> str:
    """The same for a meeting whatever changes: its programme key."""
    return f"{meeting.key}@{UID_DOMAIN}"


def key_of_uid(text: str) -> str | None:
    """The meeting key in one of Plenary's own UIDs, None for anyone else's."""
    key, at, domain = text.strip().rpartition("@")
    return key if at and domain.casefold() == UID_DOMAIN and key else None


def _status(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return "CANCELLED"
    if meeting.status == MeetingStatus.POSTPONED or meeting.starts_at is None:
        return "TENTATIVE"
    return "CONFIRMED"


def _alarms(event: Event, summary: str, lead_times: list[int]) -> None:
    for minutes in lead_times:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(minutes=-minutes))
        event.add_component(alarm)


def _description(issues: list[str], notes: str | None) -> str:
    text = "\n".join(filter(None, ["; ".join(issues), notes or ""]))
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def meeting_event(
    meeting: Meeting,
    summary: str,
    issues: list[str],
    lead_times: list[int],
    now: datetime,
    length: timedelta = DEFAULT_LENGTH,
) -> Event:
    """The meeting as an event: timed in its own zone, from its start to its end (or `length`
    later), or all-day while its time is to be announced or it is postponed (never a made-up
    hour). Its stamps are those of its last change, so an unchanged programme gives the same
    bytes (the feed's ETag)."""
    event = Event()
    changed = meeting.updated_at or now
    event.add("uid", uid(meeting))
    event.add("dtstamp", changed)
    event.add("sequence", meeting.sequence or 0)
    event.add("last-modified", changed)
    event.add("status", _status(meeting))
    event.add("summary", summary)
    if meeting.starts_at is None or meeting.status == MeetingStatus.POSTPONED:
        event.add("dtstart", meeting.local_date)
        event.add("dtend", meeting.local_date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        zone = ZoneInfo(meeting.timezone)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", (meeting.ends_at or meeting.starts_at + length).astimezone(zone))
        if meeting.status == MeetingStatus.SCHEDULED:
            _alarms(event, summary, lead_times)
    if meeting.room:
        event.add("location", meeting.room)
    description = _description(issues, meeting.notes)
    if description:
        event.add("description", description)
    if issues:
        event.add("categories", issues)
    _own_fields(event, meeting)
    return event


def _own_fields(event: Event, meeting: Meeting) -> None:
    event.add(OWN["status"], meeting.status.value)
    if meeting.title:
        event.add(OWN["title"], meeting.title)
    if meeting.notes:
        event.add(OWN["notes"], meeting.notes)
    if meeting.starts_at is not None and meeting.ends_at is None:
        event.add(OWN["no_end"], "TRUE")


def _zones(events: list[Event]) -> dict[str, tuple[int, int]]:
    """Each zone the events' times are given in, with the first and last year they use."""
    years: dict[str, list[int]] = {}
    for event in events:
        for name in ("dtstart", "dtend"):
            value = event.decoded(name, None)
            if isinstance(getattr(value, "tzinfo", None), ZoneInfo):
                years.setdefault(value.tzinfo.key, []).append(value.year)
    return {zone: (min(found), max(found)) for zone, found in years.items()}


def calendar(events: list[Event], name: str, refresh: timedelta | None = None) -> bytes:
    """A calendar of these events, after the VTIMEZONE of every zone they use (from the year
    before the first event: a reader needs the rule in force when it begins). `refresh` tells
    subscribed clients how often to read it again."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))  # icalendar knows no type for it
    for zone, (first, last) in sorted(_zones(events).items()):
        cal.add_component(vtimezone(zone, first - 1, last))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
