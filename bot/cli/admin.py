"""The Chair's office on the command line: invitations, roles, revocation, the audit log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.cli.args import UsageError, load_config, operator, programme_clock
from bot.config import TelegramConfig, parse_duration
from bot.core.names import NameIndex
from bot.core.text import printable
from bot.runtime.process import migrated
from storage import audit, roles
from storage.directory import load_names
from storage.models import DelegationKind, Person, Role

ROLES = {"chair": Role.CHAIR, "focal-point": Role.FOCAL_POINT}
SHORTEST_INVITATION, LONGEST_INVITATION = timedelta(minutes=1), timedelta(days=365)


def add_parsers(commands: Any) -> list[argparse.ArgumentParser]:
    invite_parser = commands.add_parser("invite", help="a single-use invitation code")
    invite_parser.add_argument("--role", choices=list(ROLES), required=True)
    whom = invite_parser.add_mutually_exclusive_group()
    whom.add_argument("--delegation", metavar="NAME", help="the State a focal point acts for")
    whom.add_argument("--group", metavar="NAME", help="the group a focal point acts for")
    invite_parser.add_argument(
        "--expires",
        default="7d",
        metavar="DURATION",
        help="how long the code works, e.g. 7d or 12h (default 7d)",
    )
    roles_parser = commands.add_parser("roles", help="who holds which role")
    revoke_parser = commands.add_parser("revoke", help="take a person's role away")
    revoke_parser.add_argument("person", type=int, metavar="PERSON-ID", help="as `roles` shows")
    audit_parser = commands.add_parser("audit", help="the latest audited writes and refusals")
    audit_parser.add_argument("--limit", type=int, default=50)
    shown = audit_parser.add_mutually_exclusive_group()
    shown.add_argument("--writes", action="store_true", help="only what was done")
    shown.add_argument("--refusals", action="store_true", help="only what was refused")
    return [invite_parser, roles_parser, revoke_parser, audit_parser]


async def invite(args: argparse.Namespace) -> int:
    role = ROLES[args.role]
    try:
        lifetime = parse_duration(args.expires)
    except ValueError as error:
        raise UsageError(f"--expires: {error}; give a lifetime from 1m to 365d") from None
    if not SHORTEST_INVITATION <= lifetime <= LONGEST_INVITATION:
        raise UsageError("--expires: give a lifetime from 1m to 365d; nothing was created")
    name = args.delegation or args.group
    if role == Role.FOCAL_POINT and not name:
        raise UsageError("a focal point acts for a delegation: give --delegation or --group")
    config = load_config(args)
    async with migrated(config) as sessions, sessions() as session:
        delegation_id = None
        if name:
            delegation_id = await _delegation(session, name, group=bool(args.group))
        now = (await programme_clock(sessions)).now()
        code = await roles.invite(session, role, delegation_id, now, lifetime)
        await audit.record(
            session,
            now,
            None,
            "cli",
            "invite",
            role.value,
            after={"delegation_id": delegation_id},
            user_id=operator(),
        )
        await session.commit()
    whom = "the Chair's office" if role == Role.CHAIR else f"focal point of {name}"
    print(f"Invitation to {whom}, valid once until {(now + lifetime):%Y-%m-%d %H:%M} UTC:")
    print(f"  code      {code}")
    print(f"  Telegram  https://t.me/{await telegram_username(config.telegram)}?start={code}")
    print(f"  Slack     /plenary register {code}")
    print(f"  Terminal  /register {code}")
    return 0


async def telegram_username(config: TelegramConfig) -> str:
    """The bot's username, asked of Telegram when a token is configured; a placeholder
    otherwise (or when Telegram cannot be reached)."""
    if not config.token:
        return "<your bot>"
    base = config.api_base_url.rstrip("/") or "https://api.telegram.org/bot"
    try:
        async with Bot(config.token.get_secret_value(), base_url=base) as bot:
            return bot.username
    except TelegramError as error:
        print(f"(Telegram did not say the bot's name: {type(error).__name__})", file=sys.stderr)
        return "<your bot>"


async def _delegation(session: Any, name: str, group: bool) -> int:
    found = NameIndex(await load_names(session)).mentions(name).delegations
    kinds = (
        {DelegationKind.GROUP}
        if group
        else {DelegationKind.MEMBER_STATE, DelegationKind.OBSERVER_STATE}
    )
    candidates = [d for d in (found[0] if found else []) if d.kind in kinds]
    if len(candidates) != 1:
        what = "group" if group else "State"
        raise UsageError(f"no single {what} is called {name!r}; nothing was created")
    return candidates[0].id


async def list_roles(args: argparse.Namespace) -> int:
    async with migrated(load_config(args)) as sessions, sessions() as session:
        holders = await roles.holders(session)
    if not holders:
        print(
            "Nobody holds a role yet: invite the Chair's office with `plenary invite --role chair`."
        )
    for person, delegation, platforms in holders:
        acting = f" for {delegation}" if delegation else ""
        print(
            printable(
                f"#{person.id}  {person.display_name or '-'}  {person.role.value}{acting}  "
                f"({', '.join(platforms)})"
            )
        )
    return 0


async def revoke(args: argparse.Namespace) -> int:
    async with migrated(load_config(args)) as sessions, sessions() as session:
        person = await session.get(Person, args.person)
        if person is None or person.role == Role.DELEGATE:
            raise UsageError(f"person #{args.person} holds no role; nothing was changed")
        before = [person.role.value, person.delegation_id]
        person.role, person.delegation_id = Role.DELEGATE, None
        await audit.record(
            session,
            (await programme_clock(sessions)).now(),
            None,
            "cli",
            "revoke",
            f"person {person.id}",
            before=before,
            after=["delegate", None],
            user_id=operator(),
        )
        await session.commit()
    print(f"Person #{args.person} is a delegate again (was {before[0]}).")
    return 0


async def show_audit(args: argparse.Namespace) -> int:
    async with migrated(load_config(args)) as sessions, sessions() as session:
        allowed = True if args.writes else False if args.refusals else None
        lines = await audit.shown(session, await audit.recent(session, args.limit, allowed))
    for line in lines:
        refused = "  REFUSED" if not line.allowed else ""
        change = f"  ({line.change})" if line.change else ""
        print(
            printable(f"{line.at:%Y-%m-%d %H:%M:%S} UTC  {line.who}: {line.what}{change}{refused}")
        )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "invite": invite,
    "roles": list_roles,
    "revoke": revoke,
    "audit": show_audit,
}
