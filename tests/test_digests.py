"""Digests and quiet hours: days of delegates in three time zones, across a change of daylight
saving time, with an injected clock: each message once, at the right local time; what quiet
hours held goes out once, in order, when they end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage import digests, follows, positions
from storage.models import Delegation, Delivery, DeliveryStatus, KeyIssue
from tests.test_announcements import CHAIR, chair_says, make_chair, make_focal_point, says
from tests.test_programme import change
from tests.test_reminders import at

STEP = timedelta(minutes=15)


@dataclass
class Seen:
    """A message as a reader got it, and when (their local time)."""

    user: str
    local: str
    text: str


async def live(plenary, dispatcher, recorder, zones: dict[str, str], until: str) -> list[Seen]:
    """Run the clock in steps to `until`, planning digests and dispatching as the scheduler
    does; every message sent, stamped with its reader's local time."""
    seen: list[Seen] = []
    end = datetime.fromisoformat(until)
    while plenary.clock.now() < end:
        plenary.clock.advance(STEP)
        async with plenary.sessions() as session:
            await digests.plan(session, plenary.clock.now())
            await session.commit()
        before = len(recorder.sent)
        await dispatcher.run_until_idle()
        for user, text in recorder.sent[before:]:
            local = plenary.clock.now().astimezone(ZoneInfo(zones[user]))
            seen.append(Seen(user, local.strftime("%d %H:%M"), text))
    return seen


def digests_of(seen: list[Seen], user: str) -> list[str]:
    return [s.local for s in seen if s.user == user and s.text.startswith("Your digest")]


async def add_meeting(plenary, when: str, title: str) -> None:
    added = await change(plenary, f"/addmeeting {when}; Conference Room 4; veto; {title}")
    assert "Added" in added, added


async def new_position(plenary, delegation: str, issue: str, text: str) -> None:
    """A focal point's new version, and its notices to followers (as /submit stores it)."""
    async with plenary.sessions() as session:
        holder = await session.scalar(select(Delegation.id).where(Delegation.key == delegation))
        issue_id = await session.scalar(select(KeyIssue.id).where(KeyIssue.key == issue))
        now = plenary.clock.now()
        version = await positions.add_version(session, holder, issue_id, text, None, [], None, now)
        await follows.tell_followers(session, version, None, now)
        await session.commit()


async def test_three_time_zones_across_daylight_saving(plenary, dispatcher, recorder):
    """New York's clocks go forward on 13 March 2016; Paris's on 27 March; Tokyo's never."""
    await at(plenary, "2016-03-11T12:00:00-05:00")
    await make_chair(plenary)
    await add_meeting(plenary, "14 March 2016 10:00", "Informal meeting on the veto")
    await add_meeting(plenary, "15 March 2016 15:00", "Informal meeting on size")
    zones = {"ny": "America/New_York", "paris": "Europe/Paris", "tokyo": "Asia/Tokyo"}
    for user, zone in zones.items():
        await says(plenary, user, f"/timezone {zone}")
        assert "daily at 08:00" in await says(plenary, user, "/digest daily 08:00")
    seen = await live(plenary, dispatcher, recorder, zones, "2016-03-15T12:00:00-04:00")
    # 08:00 local each day, whatever the offset did (in UTC New York's moved an hour); on
    # the 12th the meetings just added, on the 14th and 15th the day's; the 13th had nothing.
    for user in zones:
        assert digests_of(seen, user) == ["12 08:00", "14 08:00", "15 08:00"], user
    ny = [s.text for s in seen if s.user == "ny"]
    assert len(ny) == 3
    assert "Changed since the last digest" in ny[0] and "Informal meeting on size" in ny[0]
    assert "Your digest for Monday 14 March 2016" in ny[1]
    assert "Informal meeting on the veto: Monday 14 March 2016, 10:00 New York time" in ny[1]
    assert "Informal meeting on size" not in ny[1]
    assert "Informal meeting on the veto" not in ny[2]
    tokyo = [s.text for s in seen if s.user == "tokyo"]
    assert "Monday 14 March 2016, 10:00 New York time (23:00 Tokyo time)" in tokyo[1]
    async with plenary.sessions() as session:
        sent = list(
            await session.scalars(
                select(Delivery.due_at)
                .where(Delivery.kind == "digest", Delivery.status == DeliveryStatus.SENT)
                .order_by(Delivery.due_at)
            )
        )
    # In UTC: Tokyo 23:00 the day before, Paris 07:00, New York 13:00 then 12:00.
    assert [d.strftime("%d %H:%M") for d in sent] == [
        "11 23:00",
        "12 07:00",
        "12 13:00",
        "13 23:00",
        "14 07:00",
        "14 12:00",
        "14 23:00",
        "15 07:00",
        "15 12:00",
    ]


async def test_an_empty_digest_is_not_sent(plenary, dispatcher, recorder):
    # January 2016: no meeting, document, announcement or position in the demo.
    await at(plenary, "2016-01-16T12:00:00-05:00")
    await says(plenary, "delegate", "/digest daily 09:00")
    seen = await live(
        plenary, dispatcher, recorder, {"delegate": "UTC"}, "2016-01-18T12:00:00-05:00"
    )
    assert seen == []
    async with plenary.sessions() as session:
        skipped = list(
            await session.scalars(select(Delivery.error).where(Delivery.kind == "digest"))
        )
    assert skipped.count("nothing to say") == 2


async def test_a_day_with_quiet_hours(plenary, dispatcher, recorder):
    """A delegate in Paris, quiet from 22:00 to 07:00, on a daily digest at 08:00, following
    Brazil, subscribed to every meeting; a colleague in Tokyo, quiet at the same hours."""
    await at(plenary, "2016-03-12T12:00:00+01:00")
    await make_chair(plenary)
    await add_meeting(plenary, "14 March 2016 10:00", "Informal meeting on the veto")
    zones = {"paris": "Europe/Paris", "tokyo": "Asia/Tokyo", CHAIR: "UTC"}
    for user in ("paris", "tokyo"):
        await says(plenary, user, f"/timezone {zones[user]}")
        await says(plenary, user, "/subscribe")
        assert "22:00 to 07:00" in await says(plenary, user, "/quiet 22:00-07:00")
    await says(plenary, "paris", "/follow Brazil")
    await says(plenary, "paris", "/digest daily 08:00")
    # 23:30 in Paris: Brazil's new position; its notice waits for 07:00.
    await at(plenary, "2016-03-12T23:30:00+01:00")
    await new_position(plenary, "brazil", "veto", "Brazil's position, as of tonight.")
    # Saturday 12 March, 23:45 in Paris: the Chair's office sends a non-urgent announcement.
    preview = await chair_says(plenary, "/announce The room changes next week.")
    number = preview.split("#", 1)[1].split()[0]
    await chair_says(plenary, f"/announce {number} noturgent")
    assert "Sending to" in await chair_says(plenary, f"/announce {number} confirm")
    seen = await live(plenary, dispatcher, recorder, zones, "2016-03-14T16:00:00+01:00")
    paris = [(s.local, s.text.splitlines()[0]) for s in seen if s.user == "paris"]
    # Held until 07:00, in the order they came; the digest at 08:00; the reminders on time.
    assert paris == [
        ("13 07:00", "New position: Brazil on the question of the veto"),
        ("13 07:00", "Announcement from the Chair's office"),
        ("13 08:00", "Your digest for Sunday 13 March 2016"),
        ("13 15:00", "Reminder: Informal meeting on the veto in 24 hours"),
        ("14 08:00", "Your digest for Monday 14 March 2016"),
        ("14 14:00", "Reminder: Informal meeting on the veto in 1 hour"),
    ]
    digest = next(s.text for s in seen if s.user == "paris" and s.local == "13 08:00")
    assert "Brazil on the question of the veto" in digest
    assert "The room changes next week." in digest
    # In Tokyo the meeting is at 23:00: the reminder due in quiet hours a day before waits
    # until 07:00; the one due at 22:00, an hour before, goes out in them.
    tokyo = [(s.local, s.text.splitlines()[0]) for s in seen if s.user == "tokyo"]
    assert tokyo == [
        ("13 07:45", "Announcement from the Chair's office"),
        ("14 07:00", "Reminder: Informal meeting on the veto in 16 hours"),
        ("14 22:00", "Reminder: Informal meeting on the veto in 1 hour"),
    ]


async def test_a_delegations_place_on_a_list_of_speakers_is_in_its_digest(
    plenary, dispatcher, recorder
):
    await at(plenary, "2016-02-02T12:00:00-05:00")
    await make_chair(plenary)
    await make_focal_point(plenary, "brasilia", "Brazil")
    assert "daily at 08:00" in await says(plenary, "brasilia", "/digest daily 08:00")
    for state in ("Italy", "Brazil"):
        await chair_says(plenary, f"/speakers ign70-1 add {state}")
    seen = await live(
        plenary, dispatcher, recorder, {"brasilia": "America/New_York"}, "2016-02-03T09:00:00-05:00"
    )
    (digest,) = [s.text for s in seen if s.text.startswith("Your digest")]
    assert "Lists of speakers" in digest
    assert "IGN meeting: Brazil is number 2 of 2" in digest
