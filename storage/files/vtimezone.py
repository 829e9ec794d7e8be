"""VTIMEZONE components that every calendar client reads alike: yearly rules where the zone
follows one, each other clock change on a line of its own.

icalendar's own VTIMEZONE lists every change of a kind in one comma-separated RDATE, of which
ical.js and vobject read only the first (New York then keeps winter time all year), and it
dates summer time from 03:00 where RFC 5545 wants the wall time before the change (02:00).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PRECISION = timedelta(seconds=1)


@dataclass(frozen=True)
class Change:
    """One clock change: the instant, and the offsets and name either side of it."""

    at: datetime  # UTC
    before: timedelta
    after: timedelta
    name: str
    summer: bool

    @property
    def wall(self) -> datetime:
        """The wall time the change happens at, read on the clock before it (RFC 5545)."""
        return (self.at + self.before).replace(tzinfo=None)

    def kind(self) -> tuple:
        """What a yearly rule keeps from one year to the next."""
        wall = self.wall
        return (self.before, self.after, self.name, self.summer, wall.month, wall.weekday(),
                wall.time())  # fmt: skip

    def ordinals(self) -> set[int]:
        """Which of the month's weekdays it falls on: the nth (1-4) and/or the last (-1)."""
        wall = self.wall
        found = {(wall.day - 1) // 7 + 1} if wall.day <= 28 else set()
        if wall.day + 7 > calendar.monthrange(wall.year, wall.month)[1]:
            found.add(-1)
        return found


def _offset(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, str, bool]:
    local = instant.astimezone(zone)
    return local.utcoffset() or timedelta(), local.tzname() or "", bool(local.dst())


def changes(zone: ZoneInfo, first: datetime, last: datetime) -> list[Change]:
    """Every clock change between two instants: found day by day, then to the second."""
    found, day = [], first
    state = _offset(zone, day)
    while day < last:
        following = day + timedelta(days=1)
        then = _offset(zone, following)
        if then != state:
            low, high = day, following
            while high - low > _PRECISION:
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(zone, middle) == state else (low, middle)
            at = _offset(zone, high)
            found.append(Change(high, state[0], at[0], at[1], at[2]))
            state = at
        if then != state:  # two changes within one day: look again from the first one
            day = found[-1].at
            continue
        day = following
    return found


def _runs(found: list[Change]) -> Iterator[tuple[list[Change], set[int]]]:
    """The changes in runs that one yearly rule describes (same month, weekday and wall time,
    on the same nth or last weekday, year after year); a change no rule fits is a run of one."""
    runs: dict[tuple, tuple[list[Change], set[int]]] = {}
    for change in found:
        kind = change.kind()
        run = runs.get(kind)
        if run is not None:
            previous, ordinals = run
            common = ordinals & change.ordinals()
            if previous[-1].wall.year + 1 == change.wall.year and common:
                runs[kind] = ([*previous, change], common)
                continue
            yield run
        runs[kind] = ([change], change.ordinals())
    yield from runs.values()


def vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """The zone as one VTIMEZONE, right for every instant from the start of `first_year` to
    the end of `last_year`; a rule still in force after that is left open, as tzdata has it."""
    component = Timezone()
    component.add("tzid", name)
    for change, rule in _observances(name, first_year, last_year):
        part = TimezoneDaylight() if change.summer else TimezoneStandard()
        part.add("tzname", change.name)
        part.add("tzoffsetfrom", change.before)
        part.add("tzoffsetto", change.after)
        part.add("dtstart", change.wall)
        if rule is not None:
            part.add("rrule", vRecur(rule))
        component.add_component(part)
    return component


@cache
def _observances(name: str, first_year: int, last_year: int) -> tuple[tuple[Change, dict], ...]:
    """Each observance: the change it starts with, and its yearly rule (None: that one only)."""
    zone = ZoneInfo(name)
    first = datetime(first_year, 1, 1, tzinfo=UTC)
    # The year before is read for the change in force as the first year begins, and one year
    # after the last to know which rules go on.
    found = changes(zone, first - timedelta(days=366), datetime(last_year + 2, 1, 1, tzinfo=UTC))
    earlier = [change for change in found if change.at < first]
    found = found[len(earlier) :]
    if earlier:
        opening = earlier[-1]
    else:  # no change for a year: that offset, from before the year begins anywhere
        offset, abbreviation, summer = _offset(zone, first)
        opening = Change(first - timedelta(days=1) - offset, offset, offset, abbreviation, summer)
    # The first observance says what is in force when the first year begins (January is
    # summer in the south), with the offset before it: readers (dateutil) take the size of
    # summer time from there.
    observances: list[tuple[Change, dict | None]] = [(opening, None)]
    for run, ordinals in sorted(_runs(found), key=lambda r: r[0][0].at):
        head, rule = run[0], None
        if len(run) > 1:
            ordinal = -1 if -1 in ordinals else min(ordinals)
            rule = {
                "freq": "yearly",
                "bymonth": head.wall.month,
                "byday": f"{ordinal}{WEEKDAYS[head.wall.weekday()]}",
            }
            if run[-1].wall.year <= last_year:
                # Any instant before the next year's would do: a day later, so that readers
                # that take UNTIL as a wall time (vobject) keep the last change too.
                rule["until"] = run[-1].at + timedelta(days=1)
        observances.append((head, rule))
    return tuple(observances)
