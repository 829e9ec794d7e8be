"""Finding a calendar date in a question: "22 February", "Feb 22nd", "2016-02-22", "tomorrow"."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "janvier", "enero"),
            ("february", "feb", "février", "fevrier", "febrero"),
            ("march", "mar", "mars", "marzo"),
            ("april", "apr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("june", "jun", "juin", "junio"),
            ("july", "jul", "juillet", "julio"),
            ("august", "aug", "août", "aout", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre", "setiembre"),
            ("october", "oct", "octobre", "octubre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "décembre", "decembre", "diciembre"),
        ),
        start=1,
    )
    for name in names
}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er)?"
_YEAR = r"(?:,?\s+(\d{4,}))?"  # a year is read whole: "10000" is not the year 1000
_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4,})\b"), ("day", "month", "year")),
    (
        re.compile(rf"\b{_DAY}\s+(?:of\s+|de\s+)?({_MONTH})\.?\b(?:\s+de)?{_YEAR}", re.I),
        ("day", "month", "year"),
    ),
    (re.compile(rf"\b({_MONTH})\.?\s+{_DAY}\b{_YEAR}", re.I), ("month", "day", "year")),
)
_RELATIVE = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
# The days whose every hour is an instant in any zone: Python's datetime runs from the year 1
# to 9999 in UTC, and a zone is up to 14 hours off it.
FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)


class NoSuchDay(ValueError):
    """A date that looks like one but is not in the calendar ("30 February"), or not in the
    one Plenary keeps (before FIRST_DAY or after LAST_DAY)."""


def find_date(text: str, today: date) -> date | None:
    """The first date mentioned in `text`; without a year, the one nearest to `today`.
    Raises NoSuchDay for a date the calendar does not have."""
    lowered = text.lower()
    for word, offset in _RELATIVE.items():
        if re.search(rf"\b{word}\b", lowered):
            return today + timedelta(days=offset)
    for pattern, order in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["month"]
        month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
        try:
            if parts["year"]:
                day = date(int(parts["year"]), month_number, int(parts["day"]))
            else:
                day = _nearest(month_number, int(parts["day"]), today)
        except ValueError:
            raise NoSuchDay(match.group(0)) from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise NoSuchDay(match.group(0))
        return day
    return None


def _nearest(month: int, day: int, today: date) -> date:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda d: abs((d - today).days))
