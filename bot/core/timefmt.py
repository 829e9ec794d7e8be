"""Dates and times for readers: venue time and the reader's own, in the reader's locale."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, get_timezone_location

from bot.core.i18n import Translator

# UN usage in English: "Wednesday 3 February 2016" (no comma, day before month).
_DATE_PATTERNS = {"en": "EEEE d MMMM y"}


def _first_of_month(text: str, day: date, tr: Translator) -> str:
    """French writes the first day of a month "1er": "mercredi 1er juin 2016"."""
    if tr.language == "fr" and day.day == 1:
        return _FRENCH_FIRST.sub("1er ", text, count=1)
    return text


_FRENCH_FIRST = re.compile(r"(?<!\d)1 (?=\D)")


def long_date(day: date, tr: Translator) -> str:
    text = format_date(day, _DATE_PATTERNS.get(tr.language, "full"), locale=tr.language)
    return _first_of_month(text, day, tr)


def short_date(day: date, tr: Translator) -> str:
    text = format_date(day, "d MMMM y" if tr.language == "en" else "long", locale=tr.language)
    return _first_of_month(text, day, tr)


def clock_time(instant: datetime, tr: Translator) -> str:
    return format_skeleton("Hm", instant, locale=tr.language)


def zone_city(zone: str, tr: Translator) -> str:
    """ "America/New_York" -> "New York" (in the reader's language where Babel knows it)."""
    if zone in ("UTC", "Etc/UTC"):
        return "UTC"
    return get_timezone_location(ZoneInfo(zone), locale=tr.language, return_city=True)


def zone_time(
    instant: datetime, zone: str, tr: Translator, dated: bool = False, city: str | None = None
) -> str:
    """ "10:00 New York time" (`dated`: with the day, "Thursday 4 February 2016, 00:00 Tokyo
    time"; `city`: another name than the zone's own city, e.g. Geneva for Europe/Zurich)."""
    local = instant.astimezone(ZoneInfo(zone))
    shown = tr.gettext("{time} {city} time").format(
        time=clock_time(local, tr), city=city or zone_city(zone, tr)
    )
    return _date_and_time(long_date(local.date(), tr), shown, tr) if dated else shown


def _date_and_time(day: str, time: str, tr: Translator) -> str:
    # TRANSLATORS: "Wednesday 3 February 2016" and "10:00 New York time".
    return tr.gettext("{date}, {time}").format(date=day, time=time)


def venue_and_reader_time(
    instant: datetime, venue_zone: str, reader_zone: str | None, tr: Translator
) -> str:
    """ "Wednesday 3 February 2016, 10:00 New York time (16:00 Paris time)"."""
    venue = instant.astimezone(ZoneInfo(venue_zone))
    text = _date_and_time(long_date(venue.date(), tr), zone_time(instant, venue_zone, tr), tr)
    if reader_zone and reader_zone != venue_zone:
        reader = instant.astimezone(ZoneInfo(reader_zone))
        own = zone_time(instant, reader_zone, tr)
        if reader.date() != venue.date():
            own = _date_and_time(short_date(reader.date(), tr), own, tr)
        if reader.utcoffset() != venue.utcoffset() or reader.date() != venue.date():
            text += f" ({own})"
    return text
