"""The words for months, weekdays and relative days, weeks and months in the six languages,
from the Unicode CLDR through Babel, with the forms people type beside CLDR's (Russian cases,
the Levant's Arabic month names, "la semaine qui vient"). All are normalized as questions are."""

from __future__ import annotations

from functools import cache

from babel import Locale

from bot.core.names import normalize

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")

# Forms CLDR does not give: Russian prepositional months and accusative weekdays, the Arabic
# month names of the Levant and Iraq, and a few everyday spellings.
EXTRA_MONTHS = {
    "sept": 9,
    "setiembre": 9,
    **{
        name: n
        for n, name in enumerate(
            (
                "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре"
            ).split(),
            start=1,
        )
    },
}
LEVANT_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
EXTRA_WEEKDAYS = {"среду": 2, "пятницу": 4, "субботу": 5}
EXTRA_RELATIVE_DAYS = {"tonight": 0, "manana": 1, "غدا": 1, "امس": -1, "بكرة": 1}
EXTRA_WEEKS = {
    "next week": 1,
    "this week": 0,
    "semaine prochaine": 1,
    "la semaine qui vient": 1,
    "la semana que viene": 1,
    "proxima semana": 1,
    "semana proxima": 1,
    "следующеи неделе": 1,
    "этои неделе": 0,
    "на неделе": 0,
    "следующая неделя": 1,
    "эта неделя": 0,
    "这周": 0,
    "这个星期": 0,
    "本星期": 0,
    "下个星期": 1,
    "下星期": 1,
    "下礼拜": 1,
    "这礼拜": 0,
    "الاسبوع المقبل": 1,
    "الاسبوع القادم": 1,
    "هذا الاسبوع": 0,
}
EXTRA_MONTH_SPANS = {
    "next month": 1,
    "this month": 0,
    "le mois prochain": 1,
    "mois prochain": 1,
    "ce mois": 0,
    "el mes que viene": 1,
    "proximo mes": 1,
    "mes proximo": 1,
    "следующем месяце": 1,
    "этом месяце": 0,
    "下月": 1,
    "这个月": 0,
    "الشهر المقبل": 1,
    "الشهر القادم": 1,
    "هذا الشهر": 0,
}


def _relative(field: str) -> dict[str, int]:
    """CLDR's "yesterday/today/tomorrow", "last/this/next week", ... in the six languages."""
    found = {}
    for language in LANGUAGES:
        for offset, words in Locale(language)._data["date_fields"][field]["relative"].items():
            found[normalize(words)] = offset
    return found


@cache
def months() -> dict[str, int]:
    """Every month name and abbreviation, normalized -> month number."""
    found: dict[str, int] = {}
    for language in LANGUAGES:
        locale = Locale(language)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    word = normalize(name)
                    if word and not word.isdigit() and (width == "wide" or len(word) >= 3):
                        found.setdefault(word, number)
    found.update({normalize(name): n for n, name in enumerate(LEVANT_MONTHS, start=1)})
    found.update(EXTRA_MONTHS)
    return found


@cache
def weekdays() -> dict[str, int]:
    """Every weekday name (Monday = 0), normalized; Chinese ones as written."""
    found: dict[str, int] = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated") if language == "zh" else ("wide",):
            for number, name in Locale(language).days["format"][width].items():
                found[normalize(name)] = number
    found.update({f"礼拜{'一二三四五六'[n]}": n for n in range(6)} | {"礼拜天": 6, "周日": 6})
    found.update(EXTRA_WEEKDAYS)
    return found


@cache
def relative_days() -> dict[str, int]:
    return _relative("day") | EXTRA_RELATIVE_DAYS


@cache
def relative_weeks() -> dict[str, int]:
    return _relative("week") | EXTRA_WEEKS


@cache
def relative_months() -> dict[str, int]:
    return _relative("month") | EXTRA_MONTH_SPANS
