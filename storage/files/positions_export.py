"""Positions laid out like the framework document: by key issue, then Member States, observer
States and groups, each with its date and sources. CSV for spreadsheets, Markdown to read."""

from __future__ import annotations

import csv
import io
from itertools import groupby

from storage.models import DelegationKind
from storage.positions import CurrentPosition

KIND_HEADINGS = {
    DelegationKind.MEMBER_STATE: "Member States",
    DelegationKind.OBSERVER_STATE: "Observer States",
    DelegationKind.GROUP: "Groups",
}
CSV_COLUMNS = ("key_issue", "holder", "kind", "version", "stated_on", "sources", "text")


def _ordered(found: list[CurrentPosition]) -> list[CurrentPosition]:
    kinds = list(KIND_HEADINGS)
    return sorted(
        found,
        key=lambda c: (c.key_issue.position, kinds.index(c.delegation.kind), c.delegation.name),
    )


def as_csv(found: list[CurrentPosition]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for current in _ordered(found):
        writer.writerow(
            (
                current.key_issue.key,
                current.delegation.name,
                current.delegation.kind.value,
                current.version_count,
                current.version.stated_on.isoformat() if current.version.stated_on else "",
                "; ".join(current.version.sources),
                current.version.text,
            )
        )
    return out.getvalue()


def _markdown_text(text: str) -> str:
    """Text as Markdown shows it literally: its own markup characters escaped."""
    return "".join(f"\\{char}" if char in "\\`*_[]<>#|" else char for char in text)


def as_markdown(found: list[CurrentPosition], title: str) -> str:
    lines = [f"# {_markdown_text(title)}", ""]
    for _position, by_issue in groupby(_ordered(found), key=lambda c: c.key_issue.position):
        rows = list(by_issue)
        lines += [
            f"## {_markdown_text(rows[0].key_issue.name[:1].upper() + rows[0].key_issue.name[1:])}",
            "",
        ]
        for kind, by_kind in groupby(rows, key=lambda c: c.delegation.kind):
            lines += [f"### {KIND_HEADINGS[kind]}", ""]
            for current in by_kind:
                version = current.version
                cited = f"; sources: {', '.join(version.sources)}" if version.sources else ""
                day = version.stated_on.isoformat() if version.stated_on else "undated"
                about = f"{day}, version {current.version_count}{cited}"
                lines.append(
                    f"- **{_markdown_text(current.delegation.name)}** ({_markdown_text(about)}): "
                    f"{_markdown_text(version.text)}"
                )
            lines.append("")
    return "\n".join(lines)
