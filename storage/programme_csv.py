"""Reading meetings from a CSV file, one row a meeting, naming the line and column of any fault.

The first row names the columns (in any order and case): key and date are required; time, end,
timezone, room, key_issues (separated by ";"), title, status and notes are optional. An empty
time means the time is to be announced. Key issues, documents and delegations are not read
here: the meetings' key issues must already be in the database.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from storage.programme_file import (
    Fault,
    MeetingSpec,
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


def _columns(header: list[str]) -> list[str]:
    names = [name.strip().casefold() for name in header]
    fault = _fault(1)
    for index, name in enumerate(names):
        if name not in COLUMNS:
            raise fault(name or "(empty)", f"unknown column: use {', '.join(COLUMNS)}")
        if name in names[:index]:
            raise fault(name, "appears twice")
    for name in REQUIRED:
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


def _located(reader: Reader, default_zone: str) -> Iterator[tuple[MeetingSpec, Fault]]:
    """Each row's meeting, with the fault that names its line."""
    header = next(reader, None)
    if header is None:
        raise ProgrammeFileError(f"line 1: the header row is missing ({','.join(COLUMNS)})")
    columns = _columns(header)
    end = reader.line_num
    for values in reader:
        line, end = end + 1, reader.line_num  # a quoted field may span several lines
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            raise ProgrammeFileError(
                f"line {line}: {len(values)} fields where the header names {len(columns)}"
            )
        fault = _fault(line)
        row = dict(zip(columns, (value.strip() for value in values), strict=True))
        yield _meeting(row, default_zone, fault), fault


def read_csv_programme(path: Path, default_zone: str) -> ProgrammeFile:
    """The meetings of a CSV file (UTF-8, comma-separated); times are local to each row's
    timezone, `default_zone` where it gives none."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            try:
                return unique_meetings(_located(reader, default_zone), "key")
            except csv.Error as error:
                raise ProgrammeFileError(
                    f"line {reader.line_num}: not valid CSV: {error}"
                ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProgrammeFileError(f"cannot read {path}: {error}") from None
