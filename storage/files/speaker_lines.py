"""Lists of speakers as the Secretariat circulates them ("1. Sierra Leone (on behalf of the
African Group)", or CSV), read line by line; and a list written out as text or CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

# "on behalf of" in the six languages, as lists of speakers write it.
BEHALF = (
    r"on behalf of(?: the)?|au nom d(?:u|e la|e l'|es|e)|en nombre de(?: la| los| las)?|"
    r"от имени|باسم|بالنيابة عن|代表"
)
_NUMBER = re.compile(r"^\s*(?:\d{1,4}\s*[.)\-:]|[-*•]|\|)\s*")
_BEHALF = re.compile(
    rf"^(?P<name>.*?)\s*[(\[,–-]?\s*(?:{BEHALF})\s*(?P<group>[^)\]]+?)\s*[)\]]?\s*$", re.I
)
_LIMIT = re.compile(
    r"[,;(]?\s*(?P<minutes>\d{1,2})\s*(?:min(?:utes?)?|мин\w*|分钟|دقائق|دقيقة)\s*\)?", re.I
)
_LATE = re.compile(
    r"[,;(]?\s*\b(?:late|tardi\w*|tard[ií]\w*|поздн\w*)\b\s*\)?|[(（]?\s*(?:迟到|متأخر)\s*[)）]?",
    re.I,
)
MAX_LINES = 400
MAX_NAME = 120


@dataclass(frozen=True)
class Line:
    """One line of a circulated list, as written."""

    number: int  # the line's number in what was pasted (for messages)
    name: str
    on_behalf: str | None = None
    minutes: int | None = None
    late: bool = False


def _cells(text: str) -> list[list[str]] | None:
    """The rows of a CSV (a header naming a delegation column), or None if it is not one."""
    first = text.lstrip().split("\n", 1)[0].casefold()
    if "," not in first and ";" not in first:
        return None
    if not any(word in first for word in ("delegation", "speaker", "state", "country")):
        return None
    dialect = csv.Sniffer().sniff(first, delimiters=",;")
    return list(csv.reader(io.StringIO(text.strip()), dialect))


def _from_csv(rows: list[list[str]]) -> list[Line]:
    header = [cell.strip().casefold() for cell in rows[0]]

    def column(*names: str) -> int | None:
        return next((i for i, cell in enumerate(header) if any(n in cell for n in names)), None)

    name = column("delegation", "speaker", "state", "country")
    behalf = column("behalf", "group")
    minutes = column("minute", "limit")
    late = column("late")
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, *[""] * len(header)]
        if not any(c.strip() for c in row):
            continue
        limit = cells[minutes].strip() if minutes is not None else ""
        lines.append(
            Line(
                number,
                _NUMBER.sub("", cells[name]).strip()[:MAX_NAME],  # type: ignore[index]
                (cells[behalf].strip() or None) if behalf is not None else None,
                int(limit) if limit.isdigit() else None,
                late is not None
                and cells[late].strip().casefold() in ("yes", "y", "1", "x", "late", "true"),
            )
        )
    return lines


def _from_text(text: str, items_only: bool) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if items_only and not _NUMBER.match(raw):
            continue
        line = _NUMBER.sub("", raw.strip().strip("|").strip())
        if not line:
            continue
        late = bool(_LATE.search(line))
        line = _LATE.sub("", line)
        found = _LIMIT.search(line)
        minutes = int(found.group("minutes")) if found else None
        line = _LIMIT.sub("", line).strip(" ,;")
        behalf = _BEHALF.match(line)
        name, group = (behalf.group("name"), behalf.group("group")) if behalf else (line, None)
        lines.append(
            Line(
                number,
                name.strip(" ,;()[]")[:MAX_NAME],
                group and group.strip(" .")[:MAX_NAME],
                minutes,
                late,
            )
        )
    return lines


def read(text: str) -> list[Line]:
    """The lines of a list pasted as text or CSV (at most MAX_LINES of them)."""
    rows = _cells(text)
    found = _from_csv(rows) if rows else _from_text(text, items_only=False)
    return [line for line in found if line.name][:MAX_LINES]


def read_file_text(text: str) -> list[Line]:
    """The lines of a list in a file's text: as `read`, but when some lines are numbered or
    bulleted, those alone (a file has a title, a date, notes around the list)."""
    if _cells(text) is None and any(_NUMBER.match(raw) for raw in text.splitlines()):
        found = _from_text(text, items_only=True)
        return [line for line in found if line.name][:MAX_LINES]
    return read(text)


def to_csv(rows: list[dict[str, str]]) -> bytes:
    """Rows (one dict a turn, the same keys each) as CSV, UTF-8 with a mark for spreadsheets."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: _safe(v) for k, v in row.items()} for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
