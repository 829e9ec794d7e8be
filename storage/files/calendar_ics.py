"""Meetings as iCalendar: one event per meeting with a stable UID, a sequence number that grows
with every change, the meeting's own time zone, and alarms at the reader's lead times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from storage.models import Meeting, MeetingStatus

PRODUCT = "-//Plenary//Plenary calendar//EN"
UID_DOMAIN = "plenary.meetings"


def uid(meeting: Meeting) -> str:
    """The same for a meeting whatever changes: its programme key."""
    return f"{meeting.key}@{UID_DOMAIN}"


def _status(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return "CANCELLED"
    if meeting.status == MeetingStatus.POSTPONED or meeting.starts_at is None:
        return "TENTATIVE"
    return "CONFIRMED"


def meeting_event(
    meeting: Meeting,
    title: str,
    issues: list[str],
    lead_times: list[int],
    now: datetime,
    to_be_announced: str,
) -> Event:
    """The meeting as an event. Without a time it is an all-day entry marked tentative and
    titled as to be announced: never a made-up hour."""
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", now)
    event.add("sequence", meeting.sequence or 0)
    event.add("last-modified", meeting.updated_at or now)
    event.add("status", _status(meeting))
    if meeting.starts_at is None:
        event.add("summary", f"{title} ({to_be_announced})")
        event.add("dtstart", meeting.local_date)
        event.add("dtend", meeting.local_date + timedelta(days=1))
    else:
        zone = ZoneInfo(meeting.timezone)
        event.add("summary", title)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        if meeting.ends_at is not None:
            event.add("dtend", meeting.ends_at.astimezone(zone))
        for minutes in lead_times:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            alarm.add("trigger", timedelta(minutes=-minutes))
            event.add_component(alarm)
    if meeting.room:
        event.add("location", meeting.room)
    description = "\n".join(filter(None, ["; ".join(issues), meeting.notes or ""]))
    if description:
        event.add("description", description)
    if issues:
        event.add("categories", issues)
    return event


def calendar(events: list[Event], name: str) -> bytes:
    """A calendar of these events, with the VTIMEZONE of every zone they use."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
