"""`plenary export positions --format csv|md [--output FILE]`."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.cli.args import load_config
from bot.core.file_names import ChatNames
from bot.core.issue_names import understood_names
from bot.core.names import NameIndex
from bot.runtime.process import migrated
from storage import meta, positions
from storage.files.positions_export import as_csv, as_markdown
from storage.models import Delegation, Document


def add_parsers(commands: Any) -> list[argparse.ArgumentParser]:
    export = commands.add_parser("export", help="export positions (CSV or Markdown)")
    export.add_argument("what", choices=["positions"])
    export.add_argument("--format", choices=["csv", "md"], default="md")
    export.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    return [export]


async def export(args: argparse.Namespace) -> int:
    async with migrated(load_config(args)) as sessions, sessions() as session:
        found = await positions.everything(session)
        name = (await meta.programme_settings(session)).get("name", "Positions")
        titles = dict((await session.execute(select(Document.key, Document.title))).all())
        names = ChatNames(NameIndex(await understood_names(session)))
    if args.format == "csv":
        text = as_csv(found, titles, lambda holder: _written(holder, names))
    else:
        text = as_markdown(found, f"{name}: positions", titles)
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {len(found)} positions to {args.output}.")
    return 0


def _written(holder: Delegation, names: ChatNames) -> str:
    """A holder's name if the import finds that holder by it; else its key."""
    try:
        return holder.name if names.holder(holder.name) == holder.key else holder.key
    except LookupError:
        return holder.key


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {"export": export}
