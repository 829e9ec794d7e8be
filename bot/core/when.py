"""Finding a time of day ("10:00", "10 a.m.", "3.30 pm", "noon") and placing a date and time
in a time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates import find_date
from storage.wall_clock import WallTimeError, wall_instant

_MERIDIEM = r"(a\.?\s?m\.?|p\.?\s?m\.?)"
_TWELVE_HOUR = re.compile(rf"\b(\d{{1,2}})(?:[:.](\d{{2}}))?\s*{_MERIDIEM}(?!\w)", re.I)
_TWENTY_FOUR_HOUR = re.compile(r"(?<![\d-])(\d{1,2})[:h](\d{2})\b")
_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*([+\-−])(\d{1,2})(?::?(\d{2}))?\b", re.I)
_NOON = re.compile(r"\bnoon\b|\bmidday\b", re.I)


class NoSuchTime(ValueError):
    """A time written like one that no clock shows ("25:00", "13 p.m.")."""


def find_time(text: str) -> time | None:
    """The first time of day written in `text`, or None; NoSuchTime for "25:00"."""
    found = _TWELVE_HOUR.search(text)
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise NoSuchTime(found.group(0))
        afternoon = found.group(3).lower().startswith("p")
        return time(hour % 12 + (12 if afternoon else 0), minute)
    found = _TWENTY_FOUR_HOUR.search(text)
    if found:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour > 23 or minute > 59:
            raise NoSuchTime(found.group(0))
        return time(hour, minute)
    return time(12) if _NOON.search(text) else None


def find_offset(text: str) -> timedelta | None:
    """An explicit UTC offset ("01:30 UTC-4", "01:30 GMT-05:00"), or None: what tells apart
    the two 01:30s of the night the clocks go back."""
    found = _OFFSET.search(text)
    if not found:
        return None
    sign = -1 if found.group(1) in "-−" else 1
    return sign * timedelta(hours=int(found.group(2)), minutes=int(found.group(3) or 0))


def local_instant(day: date, at: time, zone: str, offset: timedelta | None = None) -> datetime:
    """`day` at `at` on the clocks of `zone`, as an aware datetime; raises WallTimeError for a
    time the clocks skip, or show twice unless `offset` says which of the two is meant."""
    try:
        return wall_instant(day, at, zone)
    except WallTimeError as error:
        if error.skipped or offset is None:
            raise
        for fold in (0, 1):
            instant = datetime.combine(day, at, ZoneInfo(zone)).replace(fold=fold)
            if instant.utcoffset() == offset:
                return instant
        raise


def find_instant(text: str, today: date, zone: str) -> datetime | None:
    """A date and a time written in `text` ("2016-02-01 09:00", "1 February 9 a.m."), read on
    the clocks of `zone`; None unless both are there. Raises NoSuchDay for an impossible date,
    NoSuchTime for an impossible time."""
    day, at = find_date(text, today), find_time(text)
    return local_instant(day, at, zone) if day and at else None
