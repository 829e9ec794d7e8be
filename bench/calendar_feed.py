"""The calendar feed for a year of meetings: its size, plain and gzipped, and how long it takes
to render, against the bare library (icalendar with its own VTIMEZONE) in the same run.

250 meetings on the weekdays of 2016 in New York, each with a room, a key issue, notes and
two alarms. Run: `make bench` or `.venv/bin/python -m bench.calendar_feed [--runs N]`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from icalendar import Calendar

from storage.files.calendar_ics import calendar, meeting_event
from testkit.meetings import STAMP, meeting

MEETINGS = 250
LEADS = [1440, 60]


def year() -> list:
    found, day = [], datetime(2016, 1, 4, 10)
    while len(found) < MEETINGS:
        if day.weekday() < 5:
            found.append(
                meeting(
                    f"m{len(found)}",
                    day,
                    room=f"Conference Room {len(found) % 4 + 1}",
                    notes="Informal meeting of the negotiations, with the co-chairs.",
                )
            )
        day += timedelta(days=1)
    return found


def events(meetings: list) -> list:
    return [meeting_event(m, m.key, ["the question of the veto"], LEADS, STAMP) for m in meetings]


def plenary(meetings: list) -> bytes:
    return calendar(events(meetings), "A year", timedelta(hours=1))


def bare_library(meetings: list) -> bytes:
    """The same events under icalendar's own VTIMEZONE (what Plenary wrote before)."""
    cal = Calendar()
    cal.add("prodid", "-//bench//EN")
    cal.add("version", "2.0")
    for event in events(meetings):
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def median_ms(render: Callable[[list], bytes], meetings: list, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render(meetings)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def zone_bytes(body: bytes) -> int:
    return body.index(b"END:VTIMEZONE") - body.index(b"BEGIN:VTIMEZONE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    meetings = year()
    ours, theirs = plenary(meetings), bare_library(meetings)
    print(f"{MEETINGS} meetings, {args.runs} runs each")
    for name, body in (("plenary", ours), ("bare icalendar", theirs)):
        print(
            f"{name:>15}: {len(body):>7,} bytes ({len(body) / MEETINGS:.0f} a meeting), "
            f"{len(gzip.compress(body)):>6,} gzipped, VTIMEZONE {zone_bytes(body):,} bytes"
        )
    for round_ in range(3):
        ours_ms = median_ms(plenary, meetings, args.runs)
        theirs_ms = median_ms(bare_library, meetings, args.runs)
        print(
            f"render, round {round_ + 1}: plenary {ours_ms:.1f} ms, bare icalendar "
            f"{theirs_ms:.1f} ms, ratio {ours_ms / theirs_ms:.2f}"
        )


if __name__ == "__main__":
    main()
