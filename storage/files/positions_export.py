"""Positions laid out like the framework document: by key issue, then Member States, observer
States and groups, each with its date and sources. CSV for spreadsheets, in the columns the
import reads (a round trip changes nothing); Markdown to read."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from itertools import groupby

from storage.files.programme_csv import LIST_SEPARATOR
from storage.models import Delegation, DelegationKind
from storage.positions import CurrentPosition

KIND_HEADINGS = {
    DelegationKind.MEMBER_STATE: "Member States",
    DelegationKind.OBSERVER_STATE: "Observer States",
    DelegationKind.GROUP: "Groups",
}
CSV_COLUMNS = ("issue", "holder", "date", "source", "text")  # those the import reads


def _ordered(found: list[CurrentPosition]) -> list[CurrentPosition]:
    kinds = list(KIND_HEADINGS)
    return sorted(
        found,
        key=lambda c: (c.key_issue.position, kinds.index(c.delegation.kind), c.delegation.name),
    )


def as_csv(
    found: list[CurrentPosition],
    titles: dict[str, str],
    holder_name: Callable[[Delegation], str] = lambda delegation: delegation.name,
) -> str:
    """The positions as the import reads them: documents by their titles (`titles`: key to
    title), other sources as cited; `holder_name` writes a State or group as the import will
    find it again (its key where its name is shared: the Republic of the Congo's "Congo")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for current in _ordered(found):
        version = current.version
        sources = (titles.get(source, source) for source in version.sources)
        writer.writerow(
            (
                current.key_issue.key,
                holder_name(current.delegation),
                version.stated_on.isoformat() if version.stated_on else "",
                f"{LIST_SEPARATOR} ".join(sources),
                version.text,
            )
        )
    return out.getvalue()


def _markdown_text(text: str) -> str:
    """Text as Markdown shows it literally: its own markup characters escaped."""
    return "".join(f"\\{char}" if char in "\\`*_[]<>#|" else char for char in text)


def as_markdown(found: list[CurrentPosition], title: str, titles: dict[str, str]) -> str:
    """The positions to read; documents by their titles (`titles`: key to title)."""
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
                named = [titles.get(source, source) for source in version.sources]
                cited = f"; sources: {'; '.join(named)}" if named else ""
                day = version.stated_on.isoformat() if version.stated_on else "undated"
                about = f"{day}, version {current.version_count}{cited}"
                lines.append(
                    f"- **{_markdown_text(current.delegation.name)}** ({_markdown_text(about)}): "
                    f"{_markdown_text(version.text)}"
                )
            lines.append("")
    return "\n".join(lines)
