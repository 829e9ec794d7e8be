"""The private calendar feed as clients poll it: the demo programme, with a meeting moved into
summer time and one cancelled, read alike by ical.js, vobject and icalendar; validators and 304
answers; a size that stays small for a year of meetings; served with no chat platform."""

from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import httpx

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.messages import Incoming
from bot.runtime.http import HttpServer, build_app
from storage.database import create_engine, session_factory, upgrade
from storage.files.programme_toml import parse_programme
from storage.importer import import_programme
from testkit.calendar_readers import occurrences, with_icalendar, with_icaljs, with_vobject
from testkit.service import plenary_run
from tests.test_announcements import make_chair, says
from tests.test_calendar import FEED
from tests.test_cli import plenary as cli
from tests.test_programme import change

PLAIN = {"Accept-Encoding": "identity"}


async def feed_address(plenary) -> str:
    await says(plenary, "delegate", "/subscribe")
    return f"/calendar/{FEED.search(await says(plenary, 'delegate', '/calendar')).group(1)}.ics"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_the_demo_with_a_meeting_in_summer_time_and_one_cancelled_reads_alike(plenary, http):
    await make_chair(plenary)
    assert "14 March 2016" in await change(plenary, "/editmeeting ign70-1 date 14 March 2016")
    await change(plenary, "/editmeeting ign70-4 time 10:00")  # 2 May: summer time too
    await change(plenary, "/cancelmeeting ign70-3")
    data = (await http.get(await feed_address(plenary), headers=PLAIN)).content
    read = {name: reader(data) for name, reader in READERS.items()}
    for name, events in read.items():
        moved = events["ign70-1@plenary.meetings"]
        assert (moved.start, moved.end) == (utc("2016-03-14T14:00"), utc("2016-03-14T17:00")), name
        assert moved.alarms == 2, name
        assert events["ign70-4@plenary.meetings"].start == utc("2016-05-02T14:00"), name
        cancelled = events["ign70-3@plenary.meetings"]
        assert (cancelled.status, cancelled.alarms) == ("CANCELLED", 0), name
        assert cancelled.summary.startswith("CANCELLED: "), name
        assert events["ign70-2@plenary.meetings"].start == date(2016, 2, 22), name
    ical_js, *others = read.values()
    for events in others:
        assert {u: (e.start, e.end, e.status) for u, e in events.items()} == {
            u: (e.start, e.end, e.status) for u, e in ical_js.items()
        }
    listed = occurrences(data, date(2016, 3, 1), date(2016, 6, 1))
    assert listed["ign70-1@plenary.meetings"] == utc("2016-03-14T14:00")


READERS = {"ical.js": with_icaljs, "vobject": with_vobject, "icalendar": with_icalendar}


async def test_a_poll_of_an_unchanged_feed_gets_304_and_a_change_a_new_etag(plenary, http):
    address = await feed_address(plenary)
    first = await http.get(address, headers=PLAIN)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "private, max-age=3600"
    assert parsedate_to_datetime(modified) == plenary.clock.now().replace(microsecond=0)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in first.content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in first.content
    plenary.clock.advance(timedelta(hours=2))
    again = await http.get(address, headers=PLAIN)
    assert again.content == first.content and again.headers["etag"] == etag, "the same bytes"
    assert again.headers["last-modified"] == modified, "unchanged since it was first served"
    for asked in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},
        {"If-Modified-Since": modified},
    ):
        answer = await http.get(address, headers={**PLAIN, **asked})
        assert (answer.status_code, answer.content) == (304, b""), asked
        assert answer.headers["etag"] == etag
    older = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True)
    assert (
        await http.get(address, headers={**PLAIN, "If-Modified-Since": older})
    ).status_code == 200
    await make_chair(plenary)
    await change(plenary, "/editmeeting ign70-1 room Conference Room 4")
    changed = await http.get(address, headers={**PLAIN, "If-None-Match": etag})
    assert changed.status_code == 200 and b"LOCATION:Conference Room 4" in changed.content
    assert changed.headers["etag"] != etag
    assert parsedate_to_datetime(changed.headers["last-modified"]) > parsedate_to_datetime(modified)
    zipped = await http.get(address, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == changed.content
    assert zipped.headers["etag"] != changed.headers["etag"], "one tag per encoding"
    assert int(zipped.headers["content-length"]) < len(changed.content) / 2


def year_of_meetings(count: int) -> str:
    """A programme file: meetings on weekdays through 2016, with rooms, issues and notes."""
    lines = ['[programme]\nkey = "year"\nname = "A year"\ntimezone = "America/New_York"\n']
    lines.append('[[key_issues]]\nkey = "veto"\nname = "the question of the veto"\n')
    day = date(2016, 1, 4)
    for number in range(count):
        while day.weekday() > 4:
            day += timedelta(days=1)
        lines.append(
            f'[[meetings]]\nkey = "m{number}"\nstart = {day}T10:00:00'
            f"{'-04:00' if date(2016, 3, 13) <= day < date(2016, 11, 6) else '-05:00'}\n"
            f'room = "Conference Room {number % 4 + 1}"\nkey_issues = ["veto"]\n'
            f'notes = "Informal meeting of the negotiations, with the co-chairs."\n'
        )
        day += timedelta(days=1)
    return "\n".join(lines)


async def test_a_year_of_meetings_stays_small(empty_url, tmp_path):
    """250 meetings: one VTIMEZONE of a few rules, about 700 bytes a meeting, a tenth zipped."""
    engine = create_engine(empty_url)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2016, 1, 1, tzinfo=UTC))
    async with sessions() as session:
        await import_programme(session, parse_programme(year_of_meetings(250)), clock.now())
        await session.commit()
    core = Core(sessions, clock)
    server = HttpServer(build_app(core, []), "127.0.0.1", 0)
    await server.start()
    try:
        await core.answer(Incoming("console", "reader", "/subscribe", chat_id="reader"))
        answer = await core.answer(Incoming("console", "reader", "/calendar", chat_id="reader"))
        address = f"/calendar/{FEED.search(answer.text).group(1)}.ics"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            plain = await client.get(address, headers=PLAIN)
            zipped = await client.get(address, headers={"Accept-Encoding": "gzip"})
    finally:
        await server.stop()
        await engine.dispose()
    assert plain.content.count(b"BEGIN:VEVENT") == 250
    assert plain.content.count(b"BEGIN:VTIMEZONE") == 1
    zone = plain.content[
        plain.content.index(b"BEGIN:VTIMEZONE") : plain.content.index(b"END:VTIMEZONE")
    ]
    assert len(zone) < 800, "a few yearly rules, not every change"
    assert len(plain.content) < 250 * 800
    assert int(zipped.headers["content-length"]) < len(plain.content) / 8


async def test_the_http_endpoints_are_served_with_no_chat_platform(tmp_path):
    """One process chats in the terminal; another, with `[http] enabled` and no platform,
    serves the feed the first one gave, with /healthz and /metrics."""
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    chat = cli("chat", "--demo", "--db", database, cwd=tmp_path, stdin="/subscribe\n/calendar\n")
    address = f"/calendar/{FEED.search(chat.stdout).group(1)}.ics"
    async with (
        plenary_run(tmp_path / "http", "enabled = true\n", {}, database) as running,
        httpx.AsyncClient(base_url=running.url) as client,
    ):
        health = await client.get("/healthz")
        assert (health.status_code, health.json()) == (200, {"database": "ok"})
        assert (await client.get("/metrics")).status_code == 200
        served = await client.get(address)
        assert served.status_code == 200 and served.content.count(b"BEGIN:VEVENT") == 5
        assert (await client.get("/calendar/never-issued-token-0000.ics")).status_code == 404
    assert "Traceback" not in running.stderr
