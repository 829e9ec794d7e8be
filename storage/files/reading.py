"""Reading a data file's text within limits: its size, the length of each field, and its
encoding (UTF-8, or detected and named in a warning)."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from storage.files.faults import Fault, ProgrammeFileError

MAX_FILE_BYTES = 2 * 1024 * 1024  # a year's programme is a few hundred kilobytes
# Characters a field may hold: a calendar entry, a chat message, a spreadsheet cell.
FIELD_LIMITS = {"title": 300, "room": 200, "notes": 10_000, "text": 20_000}
# The encodings spreadsheets and calendars save in, in the six UN languages, before others the
# detector finds just as likely (it cannot tell Windows-1252 from -1250 in a short French file).
PREFERRED = ("cp1252", "cp1251", "cp1256", "gb18030", "big5", "latin_1")


def read_text(path: Path, warnings: list[str]) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else the encoding detected
    (charset-normalizer), which `warnings` then names."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ProgrammeFileError(
                f"the file has {size / 1e6:.1f} MB; at most {MAX_FILE_BYTES / 1e6:.1f} MB is read"
            )
        data = path.read_bytes()
    except OSError as error:
        raise ProgrammeFileError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    found = list(from_bytes(data))
    if not found:
        raise ProgrammeFileError(
            "the file is not text in an encoding Plenary recognises: save it as UTF-8"
        )
    best = found[0]
    likely = [m for m in found if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    # A match stands for every encoding that decodes the file alike (could_be_from_charset).
    chosen, encoding = next(
        ((m, e) for e in PREFERRED for m in likely if e in m.could_be_from_charset),
        (best, best.encoding),
    )
    name = f"windows-{encoding[2:]}" if encoding.startswith("cp12") else encoding
    warnings.append(
        f"the file is not UTF-8: it was read as {name}; check its accented letters, "
        "or save it as UTF-8"
    )
    return str(chosen)


def limited(value: str | None, field: str, fault: Fault, name: str | None = None) -> str | None:
    """The value, if within the limit of its kind of field (`field`: title, room, notes, text);
    `name` is how the file calls the field."""
    limit = FIELD_LIMITS[field]
    if value is not None and len(value) > limit:
        raise fault(name or field, f"{len(value):,} characters; at most {limit:,}")
    return value
