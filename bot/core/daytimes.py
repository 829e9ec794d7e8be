"""Times of day and weekdays as delegates write them in the six languages: "08:00", "at 8",
"8 pm", "20h", "8点", "lundi", "в понедельник", "星期一", "الاثنين" (for digests and quiet
hours)."""

from __future__ import annotations

import re
from datetime import time
from functools import cache

from babel.dates import get_day_names

from bot.core.i18n import LANGUAGES
from bot.core.names import normalize

_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})(?:\s*[:hH.时點点]\s*(\d{2}))?\s*"
    r"(a\.?\s?m\.?|p\.?\s?m\.?)?(?![\d:/])(?!\s*(?:d|m|min|days?|minutes?|мин|дн)\b)",
)
# Words after (or before) an hour that put it in the afternoon or evening.
_LATER = re.compile(
    r"p\.?\s?m|du soir|de l après midi|de la tarde|de la noche|вечера|дня|晚上|下午|傍晚|مساء",
    re.I,
)


def find_times(text: str) -> list[time]:
    """Every time of day written in `text`, in order; "8 pm" and "8 du soir" are 20:00."""
    later = bool(_LATER.search(text.casefold()))
    found = []
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").casefold()
        if suffix.startswith("p") or (later and not suffix and hour < 12):
            hour += 12 if hour < 12 else 0
        elif suffix.startswith("a") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            found.append(time(hour, minute))
    return found


@cache
def _weekdays() -> tuple[dict[str, int], list[tuple[str, int]], list[tuple[str, int]]]:
    """Weekday names: whole words, Russian stems (its names change with their case: "в
    среду"), and Chinese and Arabic names found anywhere."""
    words: dict[str, int] = {}
    stems: list[tuple[str, int]] = []
    anywhere: list[tuple[str, int]] = [("周" + "一二三四五六日"[d], d) for d in range(7)]
    anywhere += [("礼拜" + "一二三四五六日"[d], d) for d in range(7)]
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=language).items():
                written = normalize(name)
                if language == "ru":
                    stems.append((written[:4], number))
                elif language in ("zh", "ar"):
                    anywhere.append((written, number))
                else:
                    words[written] = number
    return words, stems, sorted(anywhere, key=lambda pair: -len(pair[0]))


def find_weekday(text: str) -> int | None:
    """The weekday a text names (0 Monday .. 6 Sunday), in any of the six languages."""
    words, stems, anywhere = _weekdays()
    written = normalize(text)
    for word in written.split():
        if word in words and len(word) > 2:
            return words[word]
        for stem, number in stems:
            if word.startswith(stem):
                return number
    for name, number in anywhere:
        if len(name) > 1 and name in written:
            return number
    return None
