"""Reading meetings, or positions, from a CSV file, one row each, naming the line and column of
any fault.

The first row names the columns (in any order and case). Meetings: key and date are required;
time, end, timezone, room, key_issues (separated by ";"), title, status and notes are optional.
An empty time means the time is to be announced. Positions (a header with a text column):
holder (a State or group), issue (a key issue's key) and text are required; date (YYYY-MM-DD)
and source (a document symbol or an address) are optional. Key issues, documents and
delegations are not read here: what the rows name must already be in the database.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from storage.files.programme_toml import (
    Fault,
    MeetingSpec,
    PositionSpec,
    ProgrammeFile,
    ProgrammeFileError,
    check_end,
    local_instant,
    unique_meetings,
    valid_key,
    valid_status,
    valid_zone,
)

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
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


def _fault(line: int) -> Fault:
    return lambda column, problem: ProgrammeFileError(f"line {line}, column {column}: {problem}")


def _columns(names: list[str], allowed: tuple[str, ...], required: tuple[str, ...]) -> list[str]:
    fault = _fault(1)
    for index, name in enumerate(names):
        if name not in allowed:
            raise fault(name or "(empty)", f"unknown column: use {', '.join(allowed)}")
        if name in names[:index]:
            raise fault(name, "appears twice")
    for name in required:
        if name not in names:
            raise ProgrammeFileError(f"line 1: column {name} is missing")
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


def _meeting(row: dict[str, str], default_zone: str, fault: Fault) -> MeetingSpec:
    key = valid_key(row["key"], fault)
    day = _date(row["date"], fault)
    zone = valid_zone(row.get("timezone") or default_zone, fault, "timezone")
    at, until = _clock(row.get("time", ""), fault, "time"), _clock(row.get("end", ""), fault, "end")
    start = local_instant(day, at, zone, fault, "time") if at else None
    end = local_instant(day, until, zone, fault, "end") if until else None
    issues = (issue.strip() for issue in row.get("key_issues", "").split(";"))
    return MeetingSpec(
        key=key,
        local_date=day,
        start=start,
        end=check_end(start, end, fault, "end"),
        timezone=zone,
        key_issues=tuple(dict.fromkeys(issue for issue in issues if issue)),
        title=row.get("title") or None,
        room=row.get("room") or None,
        status=valid_status(row.get("status", "").casefold() or None, fault, "status"),
        notes=row.get("notes") or None,
    )


def _position(row: dict[str, str], fault: Fault) -> PositionSpec:
    for column in POSITION_REQUIRED:
        if not row[column]:
            raise fault(column, "is empty")
    return PositionSpec(
        holder=row["holder"],
        key_issue=row["issue"],
        text=row["text"],
        stated_on=_date(row["date"], fault) if row.get("date") else None,
        cited=(row["source"],) if row.get("source") else (),
    )


def _rows(
    reader: Reader, names: list[str], allowed: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[dict[str, str], Fault]]:
    """Each row as {column: value}, with the fault that names its line."""
    columns = _columns(names, allowed, required)
    end = reader.line_num
    for values in reader:
        line, end = end + 1, reader.line_num  # a quoted field may span several lines
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            raise ProgrammeFileError(
                f"line {line}: {len(values)} fields where the header names {len(columns)}"
            )
        yield dict(zip(columns, (value.strip() for value in values), strict=True)), _fault(line)


def _read(reader: Reader, default_zone: str) -> ProgrammeFile:
    header = next(reader, None)
    if header is None:
        raise ProgrammeFileError(f"line 1: the header row is missing ({','.join(COLUMNS)})")
    names = [name.strip().casefold() for name in header]
    if "text" in names:
        rows = _rows(reader, names, POSITION_COLUMNS, POSITION_REQUIRED)
        return ProgrammeFile(positions=[_position(row, fault) for row, fault in rows])
    rows = _rows(reader, names, COLUMNS, REQUIRED)
    return unique_meetings(((_meeting(r, default_zone, f), f) for r, f in rows), "key")


def read_csv_programme(path: Path, default_zone: str) -> ProgrammeFile:
    """The meetings or positions of a CSV file (UTF-8, comma-separated); meeting times are
    local to each row's timezone, `default_zone` where it gives none."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            try:
                return _read(reader, default_zone)
            except csv.Error as error:
                raise ProgrammeFileError(
                    f"line {reader.line_num}: not valid CSV: {error}"
                ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProgrammeFileError(f"cannot read {path}: {error}") from None
