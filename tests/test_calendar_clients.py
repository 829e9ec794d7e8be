"""Plenary's calendars as other clients read them: Mozilla's ical.js, vobject, icalendar (each
zone built from the file's VTIMEZONE) and recurring-ical-events give the same instants, across
the clock changes of the venue and of a reader's zone; its VTIMEZONEs agree with tzdata."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from storage.files.calendar_ics import calendar, meeting_event
from storage.files.vtimezone import vtimezone
from storage.models import Meeting, MeetingStatus
from testkit.calendar_readers import occurrences, with_icalendar, with_icaljs, with_vobject
from testkit.meetings import STAMP, meeting

NEW_YORK, GENEVA = "America/New_York", "Europe/Zurich"
READERS = {"ical.js": with_icaljs, "vobject": with_vobject, "icalendar": with_icalendar}


def ics(*meetings: Meeting, leads: tuple[int, ...] = (60,)) -> bytes:
    events = [meeting_event(m, m.key, [], list(leads), STAMP) for m in meetings]
    return calendar(events, "Test")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Wall times either side of both clock changes of New York (13 March, 6 November 2016) and
# of Geneva (27 March, 30 October), where the two zones are 5, then 4, then 6 hours apart.
ACROSS_THE_CHANGES = [
    ("ny-winter", datetime(2016, 3, 11, 10), NEW_YORK, "2016-03-11T15:00"),
    ("ny-summer", datetime(2016, 3, 14, 10), NEW_YORK, "2016-03-14T14:00"),
    ("ny-early-morning", datetime(2016, 3, 13, 3, 30), NEW_YORK, "2016-03-13T07:30"),
    ("ny-between", datetime(2016, 3, 21, 10), NEW_YORK, "2016-03-21T14:00"),
    ("ny-autumn", datetime(2016, 11, 4, 10), NEW_YORK, "2016-11-04T14:00"),
    ("ny-back", datetime(2016, 11, 7, 10), NEW_YORK, "2016-11-07T15:00"),
    ("ge-winter", datetime(2016, 3, 24, 10), GENEVA, "2016-03-24T09:00"),
    ("ge-summer", datetime(2016, 3, 29, 10), GENEVA, "2016-03-29T08:00"),
    ("ge-autumn", datetime(2016, 10, 28, 10), GENEVA, "2016-10-28T08:00"),
    ("ge-back", datetime(2016, 10, 31, 10), GENEVA, "2016-10-31T09:00"),
]


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_finds_the_instants_across_the_clock_changes(reader):
    data = ics(*(meeting(key, at, zone) for key, at, zone, _ in ACROSS_THE_CHANGES))
    read = READERS[reader](data)
    for key, _at, _zone, expected in ACROSS_THE_CHANGES:
        event = read[f"{key}@plenary.meetings"]
        assert (event.start, event.end) == (
            utc(expected),
            utc(expected) + timedelta(hours=3),
        ), f"{reader} read {key}"


def test_a_reader_in_geneva_sees_new_york_meetings_at_their_own_time_across_both_changes():
    """While New York has changed its clocks and Geneva not yet, 10:00 there is 15:00 here."""
    data = ics(*(meeting(key, at, zone) for key, at, zone, _ in ACROSS_THE_CHANGES))
    here = ZoneInfo(GENEVA)
    shown = {
        uid.partition("@")[0]: event.start.astimezone(here).strftime("%d %b %H:%M")
        for uid, event in with_icaljs(data).items()
    }
    assert shown["ny-winter"] == "11 Mar 16:00"
    assert shown["ny-summer"] == "14 Mar 15:00", "New York in summer time, Geneva not yet"
    assert shown["ny-between"] == "21 Mar 15:00"
    assert shown["ny-autumn"] == "04 Nov 15:00", "Geneva back in winter time, New York not yet"
    assert shown["ny-back"] == "07 Nov 16:00"


def test_recurring_ical_events_lists_each_meeting_once_at_its_instant():
    data = ics(*(meeting(key, at, zone) for key, at, zone, _ in ACROSS_THE_CHANGES))
    found = occurrences(data, date(2016, 1, 1), date(2017, 1, 1))
    assert found == {
        f"{key}@plenary.meetings": utc(expected) for key, _at, _zone, expected in ACROSS_THE_CHANGES
    }


def test_summer_time_starts_at_two_in_new_york_in_yearly_rules_one_value_a_line():
    text = vtimezone(NEW_YORK, 2015, 2016).to_ical().decode()
    assert (
        "BEGIN:DAYLIGHT\r\nDTSTART:20150308T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
        in (text)
    )
    assert (
        "BEGIN:STANDARD\r\nDTSTART:20151101T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"
        in (text)
    )
    tehran = vtimezone("Asia/Tehran", 2015, 2016).to_ical().decode()
    assert "RDATE" not in tehran and "RRULE" not in tehran, "no rule fits: a change a component"
    assert tehran.count("BEGIN:DAYLIGHT") == 3, "2015, 2016 and the year after"


# Zones with yearly rules on the nth or last weekday, either hemisphere, half-hour changes,
# fixed dates, two changes a year more (Ramadan), rules that end, and none at all.
ZONES = [
    NEW_YORK,
    GENEVA,
    "Europe/London",
    "America/Sao_Paulo",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Tehran",
    "Africa/Casablanca",
    "Europe/Istanbul",
    "Asia/Tokyo",
    "Pacific/Apia",
]


@pytest.mark.parametrize("zone", ZONES)
def test_a_vtimezone_agrees_with_tzdata_every_hour_as_vobject_and_icalendar_read_it(zone):
    """Twice a day in 2015-2017 and either side of every change: the offset the file's
    VTIMEZONE gives (to dateutil through vobject, and to icalendar) is tzdata's."""
    text = vtimezone(zone, 2015, 2017).to_ical()
    wrapped = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{text.decode()}END:VCALENDAR\r\n"
    by_vobject = vobject.readOne(wrapped).vtimezone.gettzinfo()
    by_icalendar = icalendar.Timezone.from_ical(text).to_tz(lookup_tzid=False)
    reference = ZoneInfo(zone)
    days = [datetime(2015, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in range(3 * 366)]
    instants = [day + timedelta(hours=h) for day in days for h in (0, 12)]
    for day in days:  # a day with a change: each half hour (changes fall on one), the second before
        if (
            day.astimezone(reference).utcoffset()
            != (day + timedelta(days=1)).astimezone(reference).utcoffset()
        ):
            marks = (day + timedelta(minutes=30 * m) for m in range(49))
            instants += [
                at + shift for at in marks for shift in (timedelta(0), -timedelta(seconds=1))
            ]
    for instant in instants:
        expected = instant.astimezone(reference).utcoffset()
        for name, tz in (("vobject", by_vobject), ("icalendar", by_icalendar)):
            got = instant.astimezone(tz).utcoffset()
            assert got == expected, f"{name}: {zone} at {instant:%Y-%m-%d %H:%M:%S}Z"


def test_cancelled_rings_no_alarm_postponed_stays_free_on_its_day_and_an_end_is_given():
    cancelled = meeting("c", datetime(2016, 3, 14, 10), status=MeetingStatus.CANCELLED)
    postponed = meeting("p", date(2016, 3, 15), status=MeetingStatus.POSTPONED)
    held = meeting("h", datetime(2016, 3, 16, 10))
    ended = meeting("e", datetime(2016, 3, 17, 10))
    ended.ends_at = utc("2016-03-17T15:30")
    data = ics(cancelled, postponed, held, ended, leads=(1440, 60))
    for reader in READERS.values():
        read = reader(data)
        c, p, h, e = (read[f"{k}@plenary.meetings"] for k in "cphe")
        assert (c.status, c.alarms) == ("CANCELLED", 0)
        assert (p.status, p.alarms, p.start, p.end) == (
            "TENTATIVE",
            0,
            date(2016, 3, 15),
            date(2016, 3, 16),
        )
        assert (h.alarms, h.end) == (2, utc("2016-03-16T17:00"))
        assert e.end == utc("2016-03-17T15:30")
    (free,) = [
        e
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
        if str(e["UID"]).startswith("p@")
    ]
    assert str(free["TRANSP"]) == "TRANSPARENT"
