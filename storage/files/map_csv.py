"""The convergence map as CSV: one row per element and State or group, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

COLUMNS = ("issue", "element", "wording", "status", "paper", "holder", "stance", "date", "source")


def as_csv(rows: Iterable[tuple[str, ...]]) -> bytes:
    """The rows under the header, UTF-8 with a byte-order mark (Excel then reads it right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_inert(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (wording comes from people)."""
    return f"'{cell}" if cell.startswith(("=", "+", "-", "@", "\t", "\r")) else cell
