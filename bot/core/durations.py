"""Durations written in words or short forms in the six languages: "an hour", "15 minutes",
"1h", "2 дня", "за час", "一小时", "ساعتين", "7j" (for lead times of reminders)."""

from __future__ import annotations

import re

from bot.core.names import normalize

MINUTE, HOUR, DAY = 1, 60, 24 * 60
# Unit words as `normalize` leaves them, longest first where one begins another.
UNITS = {
    DAY: r"days?|d|jours?|j|dias?|дн(?:я|еи|ь)|день|сутки|суток|д|天|日|ايام|يومين|يوم",
    HOUR: r"hours?|hrs?|h|heures?|horas?|час(?:а|ов)?|ч|小时|个小时|钟头|ساعات|ساعتين|ساعة|ساعه|س",
    MINUTE: r"minutes?|mins?|m|minutos?|мин(?:ут[аы]?|уту)?|м|分钟|分|دقائق|دقيقتين|دقيقة|دقيقه|د",
}
# Units whose word alone means one, or two (Arabic's dual): "за час", "ساعتين".
ALONE = {
    "час": 1,
    "день": 1,
    "сутки": 1,
    "يوم": 1,
    "ساعة": 1,
    "ساعه": 1,
    "دقيقة": 1,
    "يومين": 2,
    "ساعتين": 2,
    "دقيقتين": 2,
    "hour": 1,
    "day": 1,
    "heure": 1,
    "jour": 1,
    "hora": 1,
    "dia": 1,
    "minute": 1,
    "minuto": 1,
    "小时": 1,
    "天": 1,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "half": 0.5,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "demi": 0.5,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "media": 0.5,
    "один": 1,
    "одна": 1,
    "одну": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "полчаса": 0.5,
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "半": 0.5,
    "واحد": 1,
    "واحدة": 1,
    "ثلاث": 3,
    "نصف": 0.5,
    "اثنين": 2,
}
_NUMBER = r"\d{1,3}(?:[.,]5)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT = "|".join(f"(?P<u{size}>{words})" for size, words in UNITS.items())
# A unit stands after its number, or apart (Arabic "بساعة": "by an hour", written onto it).
_SPACED = re.compile(
    rf"(?:\b(?P<n>{_NUMBER})\s*(?:of\s+an?\s+)?|(?<![^\W\dبل]))(?:{_UNIT})(?:\b|(?=\d)|$)"
)
_CHINESE = re.compile(rf"(?P<n>\d{{1,3}}|[一两二三半])?(?:{_UNIT})")


# "The day before", said without a number.
DAY_BEFORE = re.compile(
    r"\b(?:la veille|the day before|el dia (?:antes|anterior)|la vispera|накануне)\b|前一天|قبل يوم"
)


def find_durations(text: str) -> list[int]:
    """Every duration written in `text`, in minutes, in the order written ("1d 1h" -> [1440,
    60]); a unit alone counts one of it ("за час" -> [60]) where that is how it is said."""
    words = normalize(text)
    if DAY_BEFORE.search(words):
        return [DAY]
    pattern = _CHINESE if re.search("[\u4e00-\u9fff]", words) else _SPACED
    found = []
    for match in pattern.finditer(words):
        size = next(s for s in (DAY, HOUR, MINUTE) if match.group(f"u{s}"))
        unit = match.group(f"u{size}")
        number = match.group("n")
        if number is None:
            count = ALONE.get(unit)
            if count is None:
                continue
        else:
            count = NUMBER_WORDS.get(number) or float(number.replace(",", "."))
        found.append(round(count * size))
    return found
