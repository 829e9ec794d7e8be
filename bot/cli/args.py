"""Shared by the command line's modules: the configuration it names, and its usage errors."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot import config as configuration
from bot.config import Config


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
