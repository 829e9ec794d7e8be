"""Reading meetings, or positions, from a CSV file, one row each, as spreadsheets save it:
comma, semicolon or tab between fields, UTF-8 or a detected encoding; every fault is listed
with its line and column.

The first row names the columns (in any order and case). Meetings: key and date are required;
time, end, timezone, room, key_issues (separated by ";"), title, status and notes are optional.
An empty time means the time is to be announced. Positions (a header with a text column):
holder (a State or group), issue (a key issue) and text are required; date (YYYY-MM-DD) and
source (document titles, symbols or addresses, separated by ";") are optional: the columns
`plenary export positions --format csv` writes. Names are resolved by the FileNames given (the
command line's are the chat's); what they name must already be in the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from storage.files.faults import Fault, Problems, ProgrammeFileError
from storage.files.file_names import FileNames, LiteralNames
from storage.files.programme_spec import (
    MeetingSpec,
    PositionSpec,
    ProgrammeFile,
    check_end,
    local_instant,
    valid_key,
    valid_status,
    valid_zone,
)
from storage.files.reading import limited, read_text

if TYPE_CHECKING:
    from _csv import Reader  # the type of csv.reader(...)

POSITION_COLUMNS = ("holder", "issue", "text", "date", "source")
POSITION_REQUIRED = ("holder", "issue", "text")
COLUMNS = (
    "key",
    "date",
    "time",
    "end",
    "timezone",
    "room",
    "key_issues",
    "title",
    "status",
    "notes",
)
REQUIRED = ("key", "date")
DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal mark is a comma
LIST_SEPARATOR = ";"  # between the key issues, or the sources, of one cell
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


def _fault(line: int) -> Fault:
    return lambda column, problem: ProgrammeFileError(f"line {line}, column {column}: {problem}")


def delimiter(header: str) -> str:
    """The delimiter that splits the header row into the most known column names."""
    known = set(COLUMNS) | set(POSITION_COLUMNS)

    def named(candidate: str) -> int:
        return sum(name.strip().strip('"').casefold() in known for name in header.split(candidate))

    return max(DELIMITERS, key=named)  # on a tie the first: a comma


def _columns(names: list[str], allowed: tuple[str, ...], required: tuple[str, ...]) -> list[str]:
    fault, problems = _fault(1), []
    for index, name in enumerate(names):
        if name not in allowed:
            problems.append(fault(name or "(empty)", f"unknown column: use {', '.join(allowed)}"))
        elif name in names[:index]:
            problems.append(fault(name, "appears twice"))
    problems += [
        ProgrammeFileError(f"line 1: column {name} is missing")
        for name in required
        if name not in names
    ]
    if problems:
        raise ProgrammeFileError(*(p for problem in problems for p in problem.problems))
    return names


def _date(text: str, fault: Fault) -> date:
    if _DATE.match(text):
        with suppress(ValueError):
            return date.fromisoformat(text)
    raise fault("date", f"{text!r} is not a date YYYY-MM-DD")


def _clock(text: str, fault: Fault, column: str) -> time | None:
    if not text:
        return None
    if _CLOCK.match(text):
        with suppress(ValueError):
            return datetime.strptime(text, "%H:%M").time()
    raise fault(column, f"{text!r} is not a time HH:MM")


def _named(resolve: Callable[[str], str], text: str, fault: Fault, column: str) -> str:
    try:
        return resolve(text)
    except LookupError as error:
        raise fault(column, str(error.args[0])) from None


def _items(cell: str) -> list[str]:
    return list(dict.fromkeys(item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()))


def _meeting(
    row: dict[str, str], default_zone: str, names: FileNames, fault: Fault, problems: Problems
) -> MeetingSpec | None:
    before = len(problems.found)
    key = problems.attempt(lambda: valid_key(row["key"], fault))
    day = problems.attempt(lambda: _date(row["date"], fault))
    zone = problems.attempt(
        lambda: valid_zone(row.get("timezone") or default_zone, fault, "timezone")
    )
    at = problems.attempt(lambda: _clock(row.get("time", ""), fault, "time"))
    until = problems.attempt(lambda: _clock(row.get("end", ""), fault, "end"))
    issues = [
        problems.attempt(lambda i=issue: _named(names.issue, i, fault, "key_issues"))
        for issue in _items(row.get("key_issues", ""))
    ]
    status = problems.attempt(
        lambda: valid_status(row.get("status", "").casefold() or None, fault, "status")
    )
    title, room, notes = (
        problems.attempt(lambda c=column: limited(row.get(c) or None, c, fault))
        for column in ("title", "room", "notes")
    )
    if len(problems.found) > before or day is None or zone is None:
        return None
    start = problems.attempt(lambda: local_instant(day, at, zone, fault, "time") if at else None)
    end = problems.attempt(lambda: local_instant(day, until, zone, fault, "end") if until else None)
    end = problems.attempt(lambda: check_end(start, end, fault, "end"))
    if len(problems.found) > before:
        return None
    return MeetingSpec(
        key=key or "",
        local_date=day,
        start=start,
        end=end,
        timezone=zone,
        key_issues=tuple(dict.fromkeys(i for i in issues if i)),
        title=title,
        room=room,
        status=status or "scheduled",
        notes=notes,
        sources=None,
    )


def _position(
    row: dict[str, str], names: FileNames, fault: Fault, problems: Problems
) -> PositionSpec | None:
    before = len(problems.found)
    for column in POSITION_REQUIRED:
        if not row[column]:
            problems.found.append(str(fault(column, "is empty")))
    holder = problems.attempt(lambda: _named(names.holder, row["holder"], fault, "holder"))
    issue = problems.attempt(lambda: _named(names.issue, row["issue"], fault, "issue"))
    text = problems.attempt(lambda: limited(row["text"], "text", fault))
    day = problems.attempt(lambda: _date(row["date"], fault) if row.get("date") else None)
    if len(problems.found) > before:
        return None
    return PositionSpec(
        holder=holder or "",
        key_issue=issue or "",
        text=text or "",
        stated_on=day,
        cited=tuple(_items(row.get("source", ""))),
    )


def _rows(
    reader: Reader,
    names: list[str],
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    problems: Problems,
) -> Iterator[tuple[dict[str, str], Fault]]:
    """Each row as {column: value}, with the fault that names its line."""
    columns = _columns(names, allowed, required)
    end = reader.line_num
    for values in reader:
        line, end = end + 1, reader.line_num  # a quoted field may span several lines
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            problems.found.append(
                f"line {line}: {len(values)} fields where the header names {len(columns)}"
            )
            continue
        yield dict(zip(columns, (value.strip() for value in values), strict=True)), _fault(line)


def _read(reader: Reader, default_zone: str, names: FileNames) -> ProgrammeFile:
    header = next(reader, None)
    if header is None:
        raise ProgrammeFileError(f"line 1: the header row is missing ({','.join(COLUMNS)})")
    columns = [name.strip().casefold() for name in header]
    problems, programme = Problems(), ProgrammeFile()
    if "text" in columns:
        for row, fault in _rows(reader, columns, POSITION_COLUMNS, POSITION_REQUIRED, problems):
            position = _position(row, names, fault, problems)
            if position is not None:
                programme.positions.append(position)
    else:
        seen: set[str] = set()
        for row, fault in _rows(reader, columns, COLUMNS, REQUIRED, problems):
            meeting = _meeting(row, default_zone, names, fault, problems)
            if meeting is not None and meeting.key in seen:
                problems.found.append(str(fault("key", f"{meeting.key!r} appears twice")))
            elif meeting is not None:
                seen.add(meeting.key)
                programme.meetings.append(meeting)
    problems.raise_any()
    return programme


def read_csv_programme(
    path: Path, default_zone: str, names: FileNames | None = None
) -> ProgrammeFile:
    """The meetings or positions of a CSV file; meeting times are local to each row's
    timezone, `default_zone` where it gives none."""
    warnings: list[str] = []
    text = read_text(path, warnings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text.partition("\n")[0]))
    try:
        programme = _read(reader, default_zone, names or LiteralNames())
    except csv.Error as error:
        raise ProgrammeFileError(f"line {reader.line_num}: not valid CSV: {error}") from None
    programme.warnings = warnings
    return programme
