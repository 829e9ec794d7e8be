"""What a document says about itself: its title, its date and its UN symbol (A/70/L.1)."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from bot.core.dates import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATED = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+|de\s+)?(?P<m1>{_MONTH})\.?(?:\s+de)?"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?)\s+(?P<year>\d{{4}})\b",
    re.I,
)
# UN document symbols: A/70/L.1, A/RES/69/560, S/2016/1, A/C.1/70/L.2, E/2016/10.
SYMBOL = re.compile(
    r"\b(?:A|S|E|ST|A/C\.\d)(?:/(?:RES|ES-\d{1,2}|L\.\d+|[A-Z]{1,5}|\d{1,4}))*"
    r"/(?:\d{1,4}|L\.\d+)(?:/(?:Rev\.|Add\.|Corr\.)?\d+)*(?:\.\d+)?\b"
)
_HEAD_LINES = 12  # a letter's date and a statement's symbol come at its head
_TITLE_WORDS = 16


@dataclass(frozen=True)
class DocumentFacts:
    title: str
    issued_on: date | None
    symbol: str | None


def facts(first_page: str, filename: str, title: str | None = None) -> DocumentFacts:
    """The title (given, else a short heading line at the top, else the file's name), the
    first full date at the head and the first UN symbol there."""
    head = [line.strip() for line in first_page.splitlines() if line.strip()][:_HEAD_LINES]
    issued = next((day for line in head if (day := _date_in(line)) is not None), None)
    symbol = next((m[0] for line in head if (m := SYMBOL.search(line))), None)
    return DocumentFacts(title or _heading(head) or _from_name(filename), issued, symbol)


def _date_in(line: str) -> date | None:
    match = _DATED.search(line)
    if match is None:
        return None
    with suppress(ValueError):
        month = MONTHS[(match["m1"] or match["m2"]).lower()]
        return date(int(match["year"]), month, int(match["d1"] or match["d2"]))
    return None


def _heading(head: list[str]) -> str | None:
    """The first of the top three lines that reads as a heading: short, holding no date
    ("New York, 1 March 2016"), no salutation and not a symbol alone."""
    for line in head[:3]:
        words = line.split()
        if (
            len(words) <= _TITLE_WORDS
            and not line.endswith((",", ":"))
            and _DATED.search(line) is None
            and SYMBOL.fullmatch(line) is None
            and any(char.isalpha() for char in line)
        ):
            return line
    return None


def _from_name(filename: str) -> str:
    return " ".join(PurePath(filename).stem.replace("_", " ").replace("-", " ").split()) or filename
