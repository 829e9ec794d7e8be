"""The `plenary` command: run, chat, db upgrade, import."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import admin, announce, export, programme, programme_setup
from bot.cli.args import UsageError, load_config, programme_clock
from bot.config import Config, ConfigError
from bot.core.dates import FIRST_DAY, LAST_DAY
from bot.core.file_names import ChatNames
from bot.core.issue_names import understood_names
from bot.core.names import NameIndex
from bot.runtime import logs
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.process import migrated, prepare, start_runtime
from bot.runtime.scheduler import Scheduler
from bot.runtime.service import Service, serves
from bot.transports.console import PLATFORM, ConsoleTransport
from storage import meta
from storage.database import create_engine, is_current, session_factory
from storage.files.faults import ProgrammeFileError
from storage.files.formats import DEFAULT_ZONE, read_any
from storage.importer import import_programme
from storage.member_states import ensure_member_states

EXIT_USAGE = 2


def as_of(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 date-time such as 2016-01-15T12:00-05:00"
        ) from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} needs a UTC offset, e.g. 2016-01-15T12:00-05:00"
        )
    try:
        day = instant.astimezone(UTC).date()
    except OverflowError:
        day = date.max
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{text!r} is outside the calendar Plenary keeps (the years 1 to 9999)"
        )
    return instant


def _common(parser: argparse.ArgumentParser, clock: bool = True) -> None:
    parser.add_argument("--config", metavar="FILE", help="configuration file (TOML)")
    parser.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    if clock:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="load the demo data (IGN, 70th session) into an empty database",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="after the end of piped input, stay this long to show reminders",
        )
        parser.add_argument(
            "--as-of",
            type=as_of,
            metavar="ISO-8601",
            help="start the clock at this instant and let it run from there",
        )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="plenary", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    _common(
        commands.add_parser(
            "run",
            help="run every configured transport (default: the "
            "terminal chat on the embedded demo database)",
        )
    )
    _common(commands.add_parser("chat", help="chat in the terminal"))
    db = commands.add_parser("db", help="database administration")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    _common(
        db_commands.add_parser("upgrade", help="migrate the schema to the newest version"),
        clock=False,
    )
    imported = commands.add_parser("import", help="import a programme file (.toml, .csv or .ics)")
    imported.add_argument("file", type=Path)
    imported.add_argument("--dry-run", action="store_true", help="show the changes, store none")
    _common(imported, clock=False)
    for sub in [
        *admin.add_parsers(commands),
        *programme.add_parsers(commands),
        *programme_setup.add_parsers(commands),
        *export.add_parsers(commands),
        *announce.add_parsers(commands, as_of),
    ]:
        _common(sub, clock=False)
    return main


async def chat(args: argparse.Namespace) -> int:
    """The terminal chat; `run` too when no transport is configured."""
    config = load_config(args)
    serving = args.command == "run" and serves(config)
    logs.configure(config, logging.INFO if serving else logging.WARNING)
    runtime = await start_runtime(config, demo=args.demo, as_of=args.as_of)
    try:
        for notice in runtime.notices:
            print(notice, file=sys.stderr)
        if serving:
            await Service(config, runtime).run_until_signal()
            return 0
        transport = ConsoleTransport(runtime.core)
        scheduler = Scheduler(
            Dispatcher(runtime.core, {PLATFORM: transport}), retention=config.retention.policy()
        )
        await scheduler.start()
        try:
            greeting = await runtime.core.answer(transport.incoming("/start"))
            await transport.serve(greeting, wait=args.wait)
        finally:
            await scheduler.stop()
        if transport.reader_gone:
            quiet_stdout()
    finally:
        await runtime.close()
    return 0


def quiet_stdout() -> None:
    """Standard output's reader went away (`plenary ... | head`): whatever Python would
    still flush there at exit goes nowhere (it would end in a BrokenPipeError)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


async def db_upgrade(args: argparse.Namespace) -> int:
    engine = create_engine(load_config(args).database.url)
    try:
        await prepare(engine)
    finally:
        await engine.dispose()
    print("The database schema is up to date.")
    return 0


@contextlib.asynccontextmanager
async def as_it_is(config: Config) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the configured database left as it is (for a dry run, which changes
    nothing): refused when its schema needs `plenary db upgrade` first."""
    engine = create_engine(config.database.url)
    try:
        if not await is_current(engine):
            raise UsageError(
                "the database needs `plenary db upgrade` before a dry run, which changes "
                "nothing; nothing was imported"
            )
        yield session_factory(engine)
    finally:
        await engine.dispose()


def _refusal(path: Path, error: ProgrammeFileError) -> str:
    """Why a file was refused: its one problem on a line, or each of them on its own."""
    if len(error.problems) == 1:
        return f"{path}: {error}; nothing was imported"
    listed = "\n".join(f"  {problem}" for problem in error.problems)
    return f"{path}: {len(error.problems)} problems; nothing was imported:\n{listed}"


async def import_file(args: argparse.Namespace) -> int:
    """Import a .toml, .csv or .ics file; CSV rows and events without a zone are in the
    programme's zone, and the names in CSV cells and event CATEGORIES are understood as the
    chat understands them."""
    config = load_config(args)
    database = as_it_is(config) if args.dry_run else migrated(config)
    async with database as sessions, sessions() as session:
        try:
            if args.dry_run:  # the States that starting Plenary adds, as an import finds them
                await ensure_member_states(session)
            zone = (await meta.programme_settings(session)).get("timezone")
            if zone is None and args.file.suffix.lower() != ".toml":
                raise UsageError(
                    f"{args.file}: this database has no venue time zone yet, and the file's "
                    "times would be read in a zone guessed for them: run plenary programme init "
                    "--timezone ZONE first (a .toml programme file sets its own); nothing was "
                    "imported"
                )
            names = ChatNames(NameIndex(await understood_names(session)))
            programme = read_any(args.file, zone or DEFAULT_ZONE, names)
            now = (await programme_clock(sessions)).now()
            changes = await import_programme(session, programme, now)
        except ProgrammeFileError as error:
            await session.rollback()
            raise UsageError(_refusal(args.file, error)) from None
        for warning in programme.warnings:
            print(f"warning: {args.file}: {warning}", file=sys.stderr)
        for change in changes:
            print(change)
        if args.dry_run:
            await session.rollback()
            print(f"Dry run: {len(changes)} change(s) would be made; nothing was stored.")
        else:
            await session.commit()
            print(
                f"Imported {args.file}: {len(changes)} change(s)."
                if changes
                else "Nothing to change: the database already matches."
            )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "run": chat,
    "chat": chat,
    "db": db_upgrade,
    "import": import_file,
    **admin.COMMANDS,
    **programme.COMMANDS,
    **programme_setup.COMMANDS,
    **export.COMMANDS,
    **announce.COMMANDS,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(COMMANDS[args.command](args))
    except (ConfigError, UsageError) as error:
        print(f"plenary: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of the output went away: nothing left to say
        quiet_stdout()
        return 0


if __name__ == "__main__":
    sys.exit(main())
