"""Shared by the command line's modules: the configuration it names, its usage errors, who runs
it and on which clock."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.ext.asyncio import async_sessionmaker

from bot import config as configuration
from bot.config import Config
from bot.core.clock import Clock
from storage import meta


class UsageError(Exception):
    """Bad input on the command line: printed without a traceback, exit status 2."""


def operator() -> str:
    """Who runs the command: the login name, for the audit log."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "operator"


def load_config(args: argparse.Namespace) -> Config:
    """`--config` (or the usual places), with `--db` overriding the database URL."""
    config = configuration.load(args.config)
    if args.db:
        config = config.with_database(args.db)
    return config


def confirmed(question: str, yes: bool) -> bool:
    """True with --yes, else when the operator answers y or yes."""
    if yes:
        return True
    print(f"{question} [y/N] ", end="", flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


async def programme_clock(sessions: async_sessionmaker) -> Clock:
    """The clock the service keeps on this database: the demo's own on demo data (so that
    what the command line records and queues is dated as the chat's is), else the wall's."""
    async with sessions() as session:
        return Clock(await meta.demo_clock_start(session))
