"""Finding a day or a span of days in a question, in the six languages: "22 February",
"22 февраля", "2月22日", "22 فبراير", "2016-02-22", "tomorrow", "mercredi", "next week",
"в марте"; without a year, the one the programme's session gives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core import calendar_words as words
from bot.core.names import normalize

# English, French and Spanish month names (for letters, which are written in those).
MONTHS = {
    name: number for name, number in words.months().items() if name.isascii() and name.isalpha()
}
_NUMERIC = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4,})\b"), ("day", "month", "year")),
)
# The days whose every hour is an instant in any zone: Python's datetime runs from the year 1
# to 9999 in UTC, and a zone is up to 14 hours off it. A year is read whole ("10000" is not
# the year 1000).
FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)
_CHINESE_NUMBER = "〇一二三四五六七八九十"
_CHINESE = re.compile(
    rf"(?:(\d{{4}})年)?(\d{{1,2}}|[{_CHINESE_NUMBER}]{{1,3}})月份?"
    rf"(?:(\d{{1,2}}|[{_CHINESE_NUMBER}]{{1,3}})[日号])?"
)
# Month names that are everyday words too ("may", "sept" in French, "آب" father): a month
# only with "in" before them, or a year after.
MONTH_ALONE_NEEDS = frozenset({"may", "mar", "jun", "jul", "sept", "اب"})


def _alternatives(names: dict[str, int]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_MONTH = _alternatives(words.months())
_ORDINAL = r"(?:st|nd|rd|th|er|eme|ое|го)?"
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}}){_ORDINAL}\s+(?:of\s+|de\s+)?({_MONTH})\b(?:\s+(?:de\s+)?(\d{{4,}}))?"
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}){_ORDINAL}\b(?:\s+(\d{{4,}}))?")
_MONTH_ONLY = re.compile(rf"(?:\b(in|en|de|of|during|в|во|في)\s+)?\b({_MONTH})\b(?:\s+(\d{{4,}}))?")


def _phrases(table: dict[str, int]) -> re.Pattern[str]:
    """Whole phrases, or anywhere for Chinese (written without spaces)."""
    spaced = [p for p in table if p.isascii() or not re.search("[\u4e00-\u9fff]", p)]
    chinese = [p for p in table if p not in spaced]
    parts = [rf"\b(?:{_alternatives(dict.fromkeys(spaced))})\b"]
    if chinese:
        parts.append(_alternatives(dict.fromkeys(chinese)))
    return re.compile("|".join(parts))


_RELATIVE_DAY = _phrases(words.relative_days())
_WEEKDAY = _phrases(words.weekdays())
_WEEK = _phrases(words.relative_weeks())
_MONTH_SPAN = _phrases(words.relative_months())


class NoSuchDay(ValueError):
    """A date that looks like one but is not in the calendar ("30 February")."""


@dataclass(frozen=True)
class Span:
    """Consecutive days asked about together: a week or a month."""

    first: date
    last: date
    kind: str  # "week" or "month"


@dataclass(frozen=True)
class Season:
    """The programme's session, from its first meeting to its last: the year a date
    written without one falls in."""

    first: date
    last: date

    def reference(self, today: date) -> date:
        return min(max(today, self.first), self.last)


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    digits = [_CHINESE_NUMBER.index(c) for c in text]
    if len(digits) == 1:
        return digits[0]
    if digits[0] == 10:  # 十二 = 12
        return 10 + (digits[1] if len(digits) > 1 else 0)
    return digits[0] * 10 + (digits[2] if len(digits) > 2 else 0)  # 二十二 = 22


def _year_for(month: int, day: int, reference: date) -> date:
    """The date nearest to `reference` with that month and day."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda d: abs((d - reference).days))


def _day(year: str | None, month: int, day: int, reference: date, written: str) -> date:
    try:
        found = date(int(year), month, day) if year else _year_for(month, day, reference)
    except ValueError:
        raise NoSuchDay(written) from None
    if not FIRST_DAY <= found <= LAST_DAY:
        raise NoSuchDay(written)
    return found


def _month_span(year: int, month: int) -> Span:
    if not FIRST_DAY.year <= year <= LAST_DAY.year - 1:
        raise NoSuchDay(str(year))
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Span(first, following - timedelta(days=1), "month")


def _month_of(month: int, year: str | None, reference: date) -> Span:
    if year:
        return _month_span(int(year), month)
    return _month_span(_year_for(month, 1, reference).year, month)


def find_when(text: str, today: date, season: Season | None = None) -> date | Span | None:
    """The first day, or span of days, that `text` mentions; a day or month without a year
    in the programme's session (else nearest to `today`). Raises NoSuchDay for a date the
    calendar does not have."""
    reference = season.reference(today) if season else today
    for pattern, order in _NUMERIC:
        found = pattern.search(text)
        if found:
            parts = dict(zip(order, found.groups(), strict=True))
            return _day(parts["year"], int(parts["month"]), int(parts["day"]), reference, found[0])
    chinese = _CHINESE.search(text)
    if chinese:
        year, month, day = chinese.groups()
        if not 1 <= _chinese_number(month) <= 12:
            raise NoSuchDay(chinese[0])
        if day is None:
            return _month_of(_chinese_number(month), year, reference)
        return _day(year, _chinese_number(month), _chinese_number(day), reference, chinese[0])
    words_only = normalize(text)
    return _in_words(words_only, today, reference)


def _in_words(text: str, today: date, reference: date) -> date | Span | None:
    months = words.months()
    found = _DAY_MONTH.search(text)
    if found:
        day, month, year = found.groups()
        return _day(year, months[month], int(day), reference, found[0])
    found = _MONTH_DAY.search(text)
    if found:
        month, day, year = found.groups()
        return _day(year, months[month], int(day), reference, found[0])
    found = _RELATIVE_DAY.search(text)
    if found:
        return today + timedelta(days=words.relative_days()[found[0]])
    found = _WEEK.search(text)
    if found:
        monday = today - timedelta(days=today.weekday())
        first = monday + timedelta(weeks=words.relative_weeks()[found[0]])
        return Span(first, first + timedelta(days=6), "week")
    found = _WEEKDAY.search(text)
    if found:
        return today + timedelta(days=(words.weekdays()[found[0]] - today.weekday()) % 7)
    found = _MONTH_SPAN.search(text)
    if found:
        shifted = today.month - 1 + words.relative_months()[found[0]]
        return _month_span(today.year + shifted // 12, shifted % 12 + 1)
    for found in _MONTH_ONLY.finditer(text):
        before, month, year = found.groups()
        if month in MONTH_ALONE_NEEDS and not (before or year):
            continue
        return _month_of(months[month], year, reference)
    return None


def find_date(text: str, today: date, season: Season | None = None) -> date | None:
    """The first single day that `text` mentions (see `find_when`)."""
    found = find_when(text, today, season)
    return found if isinstance(found, date) else None
