"""`plenary export positions --format csv|md [--output FILE]`."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.cli.args import load_config
from bot.runtime.process import migrated
from storage import meta, positions
from storage.files.positions_export import as_csv, as_markdown


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
    text = as_csv(found) if args.format == "csv" else as_markdown(found, f"{name}: positions")
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {len(found)} positions to {args.output}.")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {"export": export}
