"""Reading a programme file in whichever format its name says: TOML, CSV or iCalendar."""

from __future__ import annotations

from pathlib import Path

from storage.files.faults import ProgrammeFileError
from storage.files.file_names import FileNames
from storage.files.programme_csv import read_csv_programme
from storage.files.programme_ics import read_ics_programme
from storage.files.programme_spec import ProgrammeFile, valid_zone
from storage.files.programme_toml import read_programme

DEFAULT_ZONE = "America/New_York"  # UN Headquarters, for a database that names no zone yet


def read_any(path: Path, default_zone: str, names: FileNames | None = None) -> ProgrammeFile:
    """The programme in a .toml, .csv or .ics file. `default_zone` is the zone of CSV rows and
    calendar events that give none (a TOML file names its own); `names` resolves the key
    issues, States and groups CSV cells and CATEGORIES name (the command line's resolve them
    as the chat does; without, they must be keys)."""
    valid_zone(
        default_zone,
        lambda field, problem: ProgrammeFileError(f"{field}: {problem}"),
        "the default time zone",
    )
    suffix = path.suffix.casefold()
    if suffix == ".toml":
        return read_programme(path)
    if suffix == ".csv":
        return read_csv_programme(path, default_zone, names)
    if suffix == ".ics":
        return read_ics_programme(path, default_zone, names)
    raise ProgrammeFileError(f"unsupported file type {suffix or '(none)'}: use .toml, .csv or .ics")
