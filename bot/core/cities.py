"""Cities in the six languages and their time zones: CLDR's exemplar cities (through Babel)
and the UN's duty stations and capitals that are no zone's city ("Genève", "Женева", "日内瓦")."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import get_timezone_location

from bot.core.names import normalize
from bot.core.wordforms import stem, stem_variants

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
# Cities delegates name that are no IANA zone's city, in the six languages.
DUTY_STATIONS = {
    "Europe/Zurich": ("Geneva", "Genève", "Ginebra", "Женева", "日内瓦", "جنيف", "Bern", "Berne"),
    "Europe/Amsterdam": ("The Hague", "La Haye", "La Haya", "Гаага", "海牙", "لاهاي"),
    "Europe/Berlin": ("Bonn",),
    "Europe/Paris": ("Strasbourg", "Strasbourg"),
    "America/New_York": ("Washington", "Вашингтон", "华盛顿", "واشنطن"),
    "America/Toronto": ("Ottawa", "Montreal", "Montréal"),
    "America/Sao_Paulo": ("Brasilia", "Brasília", "Бразилиа", "巴西利亚", "برازيليا"),
    "America/Guayaquil": ("Quito",),
    "Asia/Shanghai": ("Beijing", "Pékin", "Pekín", "Пекин", "北京", "بكين"),
    "Asia/Kolkata": ("New Delhi", "Delhi", "New Delhi", "Нью-Дели", "新德里", "نيودلهي", "Mumbai"),
    "Asia/Karachi": ("Islamabad", "Исламабад", "伊斯兰堡", "إسلام آباد"),
    "Europe/Istanbul": ("Ankara", "Анкара", "安卡拉", "أنقرة"),
    "Africa/Lagos": ("Abuja",),
    "Africa/Johannesburg": ("Pretoria",),
    "Africa/Casablanca": ("Rabat", "الرباط"),
    "Australia/Sydney": ("Canberra",),
    "Pacific/Auckland": ("Wellington",),
    "Africa/Nairobi": ("Найроби", "内罗毕", "نيروبي"),
    "Europe/Vienna": ("Vienne", "Viena", "Вена", "维也纳", "فيينا"),
}
# Duty stations shown under their own name rather than their zone's city, in the six languages.
DUTY_STATION_NAMES = {
    "Europe/Zurich": {
        "en": "Geneva",
        "fr": "Genève",
        "es": "Ginebra",
        "ru": "Женева",
        "zh": "日内瓦",
        "ar": "جنيف",
    }
}
# Russian says a city's time with its adjective: "по московскому времени".
CITY_ADJECTIVES = {
    "московск": "Europe/Moscow",
    "женевск": "Europe/Zurich",
    "парижск": "Europe/Paris",
    "лондонск": "Europe/London",
    "нью-иоркск": "America/New_York",
    "токиииск": "Asia/Tokyo",
    "пекинск": "Asia/Shanghai",
    "нью иоркск": "America/New_York",
}
_CJK = re.compile("[\u4e00-\u9fff]")
# City names that are everyday words in a UN language: "réunion" is a meeting.
NOT_CITIES = frozenset({"reunion"})


@cache
def _cities() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """City names (stemmed, spaced scripts) -> zone; and Chinese names -> zone."""
    spaced: dict[str, str] = {}
    chinese: list[tuple[str, str]] = []
    names: dict[str, set[str]] = {zone: set(cities) for zone, cities in DUTY_STATIONS.items()}
    for zone in available_timezones():
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/")):
            continue
        for language in LANGUAGES:
            city = get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)
            names.setdefault(zone, set()).add(city)
    for zone, cities in sorted(names.items()):
        for city in cities:
            if _CJK.search(city):
                chinese.append((city, zone))
            elif normalize(city) not in NOT_CITIES:
                for key in stem_variants(normalize(city).split()):
                    spaced.setdefault(" ".join(key), zone)
    return spaced, sorted(chinese, key=lambda c: -len(c[0]))


def station_name(text: str, zone: str, language: str) -> str | None:
    """The UN duty station `text` names in `zone`, in the reader's language, where it is not
    the zone's own city (Geneva, in Europe/Zurich)."""
    names = DUTY_STATION_NAMES.get(zone)
    words = f" {normalize(text)} "
    adjectives = [adjective for adjective, its in CITY_ADJECTIVES.items() if its == zone]
    said = any(f" {normalize(name)} " in words or name in text for name in (names or {}).values())
    if names and (said or any(adjective in words for adjective in adjectives)):
        return names.get(language, names["en"])
    return None


def find_city(text: str, language: str = "en") -> str | None:
    """The time zone of the first city `text` names, or None."""
    spaced, chinese = _cities()
    if _CJK.search(text):
        for city, zone in chinese:
            if city in text:
                return zone
    words = [
        stem(word, language if language in ("fr", "es") else "en")
        for word in normalize(text).split()
    ]
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            key = " ".join(words[start : start + size])
            zone = spaced.get(key)
            if zone is not None:
                return zone
    lowered = normalize(text)
    for adjective, zone in CITY_ADJECTIVES.items():
        if adjective in lowered:
            return zone
    return None
