"""Calendars: an .ics file per meeting and a private feed, parsed back with icalendar and
checked field by field, after a change and a cancellation too; the feed's authorization."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar

from bot.core.messages import Incoming
from bot.transports.console import ConsoleTransport
from handlers.calendar import MEDIA_TYPE
from storage.models import Account
from tests.test_announcements import make_chair, says
from tests.test_programme import change

FEED = re.compile(r"http://\S+/calendar/(\S+)\.ics")


async def ics(plenary, meeting: str, user: str = "delegate") -> Calendar:
    reply = await plenary.core.answer(Incoming("console", user, f"/ics {meeting}", chat_id=user))
    (attachment,) = reply.attachments
    assert attachment.filename == f"{meeting}.ics" and attachment.media_type == MEDIA_TYPE
    return Calendar.from_ical(attachment.content)


def event(calendar: Calendar):
    (found,) = calendar.walk("VEVENT")
    return found


async def test_a_timed_meeting_in_its_own_zone_with_alarms(plenary):
    found = event(await ics(plenary, "ign70-1"))
    assert str(found["uid"]) == "ign70-1@plenary.meetings"
    start = found.decoded("dtstart")
    assert start == datetime(2016, 2, 3, 15, 0, tzinfo=UTC)
    assert str(start.tzinfo) == "America/New_York" and found["dtstart"].params["TZID"]
    assert [str(z["tzid"]) for z in (await ics(plenary, "ign70-1")).walk("VTIMEZONE")] == [
        "America/New_York"
    ]
    assert str(found["location"]) == "Trusteeship Council Chamber"
    assert "the relationship between the Council and the General Assembly" in str(
        found["description"]
    )
    assert found["sequence"] == 0 and str(found["status"]) == "CONFIRMED"
    alarms = sorted(a.decoded("trigger") for a in found.walk("VALARM"))
    assert alarms == [timedelta(hours=-24), timedelta(hours=-1)]
    await says(plenary, "delegate", "/remind 2h")
    alarms = [a.decoded("trigger") for a in event(await ics(plenary, "ign70-1")).walk("VALARM")]
    assert alarms == [timedelta(hours=-2)], "the reader's own lead times"


async def test_a_meeting_without_a_time_is_a_tentative_all_day_entry(plenary):
    found = event(await ics(plenary, "ign70-2"))
    assert found.decoded("dtstart") == date(2016, 2, 22)
    assert found.decoded("dtend") == date(2016, 2, 23)
    assert str(found["status"]) == "TENTATIVE"
    assert "(time to be announced)" in str(found["summary"])
    assert not found.walk("VALARM"), "no alarm for an hour nobody has set"


async def test_changes_raise_the_sequence_and_a_cancellation_says_so(plenary):
    await make_chair(plenary)
    await change(plenary, "/editmeeting ign70-1 room Conference Room 4")
    changed = event(await ics(plenary, "ign70-1"))
    assert changed["sequence"] == 1 and str(changed["location"]) == "Conference Room 4"
    assert changed.decoded("last-modified") == plenary.clock.now()
    await change(plenary, "/cancelmeeting ign70-1")
    cancelled = event(await ics(plenary, "ign70-1"))
    assert cancelled["sequence"] == 2 and str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == "ign70-1@plenary.meetings"


async def test_an_unknown_meeting_gets_a_clear_answer(plenary):
    assert "Which meeting?" in await says(plenary, "delegate", "/ics nowhere")


async def test_the_terminal_writes_the_file_and_prints_its_path(plenary):
    answer = await plenary.ask("/ics ign70-1")
    path = Path(re.search(r"\[(/\S+ign70-1\.ics)\]", answer).group(1))
    assert Calendar.from_ical(path.read_bytes()).walk("VEVENT")


async def test_the_terminal_prints_an_attachment_sent_on_its_own(plenary):
    reply = await plenary.core.answer(Incoming("console", "delegate", "/ics ign70-1"))
    printed = io.StringIO()
    console = ConsoleTransport(plenary.core, io.StringIO(), printed, user="delegate")
    await console.attach(Account(platform="console", external_id="delegate"), reply)
    path = Path(re.fullmatch(r"\s*\[(/\S+ign70-1\.ics)\]\s*", printed.getvalue()).group(1))
    assert path.read_bytes() == reply.attachments[0].content


async def test_a_private_feed_follows_changes_and_can_be_revoked(plenary, http):
    await says(plenary, "delegate", "/subscribe veto")
    token = FEED.search(await says(plenary, "delegate", "/calendar")).group(1)
    response = await http.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    uids = [str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert uids == ["ign70-3@plenary.meetings"], "only the meetings on the key issue followed"
    await says(plenary, "delegate", "/subscribe")
    everything = Calendar.from_ical((await http.get(f"/calendar/{token}.ics")).content)
    assert len(everything.walk("VEVENT")) == 5
    assert "already have a calendar address" in await says(plenary, "delegate", "/calendar")
    renewed = FEED.search(await says(plenary, "delegate", "/calendar reset")).group(1)
    revoked = await http.get(f"/calendar/{token}.ics")
    unknown = await http.get("/calendar/never-issued-token-0000.ics")
    assert (
        (revoked.status_code, revoked.text)
        == (unknown.status_code, unknown.text)
        == (
            404,
            "Not found",
        )
    )
    assert (await http.get(f"/calendar/{renewed}.ics")).status_code == 200


async def test_a_meeting_without_an_end_lasts_the_configured_default(plenary):
    assert event(await ics(plenary, "ign70-1")).decoded("dtend") == datetime(
        2016, 2, 3, 18, 0, tzinfo=UTC
    ), "three hours unless configured"
    plenary.core.meeting_length = timedelta(minutes=90)  # [calendar] default_duration = "90m"
    assert event(await ics(plenary, "ign70-1")).decoded("dtend") == datetime(
        2016, 2, 3, 16, 30, tzinfo=UTC
    )
