"""A programme's settings and its meetings at the command line: `plenary programme init`
(set once on a fresh database: the venue's time zone above all) and `plenary meetings` (every
meeting with the reference the other commands take)."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import func, select

from bot.cli.args import UsageError, load_config, operator, programme_clock
from bot.core.answering import OPERATOR_PLATFORM
from bot.runtime.process import migrated
from storage import audit, meta
from storage.importer import import_ign_key_issues
from storage.models import Meeting, MeetingStatus


def add_parsers(commands: Any) -> list[argparse.ArgumentParser]:
    programme = commands.add_parser("programme", help="the programme's own settings")
    actions = programme.add_subparsers(dest="programme_action", required=True)
    init = actions.add_parser(
        "init", help="name the programme and set its venue's time zone (once)"
    )
    init.add_argument("--timezone", required=True, help="the venue's, e.g. America/New_York")
    init.add_argument("--key", help="the prefix of meeting references, e.g. ign81")
    init.add_argument("--name", help="e.g. Intergovernmental Negotiations, 81st session")
    init.add_argument("--short-name", help="e.g. IGN")
    init.add_argument(
        "--ign-key-issues",
        action="store_true",
        help="add the IGN's five key issues (General Assembly decision 62/557)",
    )
    listed = commands.add_parser("meetings", help="list the meetings with their references")
    listed.add_argument("--all", action="store_true", help="past meetings too")
    return [init, listed]


async def programme_init(args: argparse.Namespace) -> int:
    if args.timezone not in available_timezones():
        raise UsageError(
            f"--timezone {args.timezone!r}: not a time zone (e.g. America/New_York, "
            "Europe/Zurich); nothing was stored"
        )
    wanted = {
        "programme_timezone": args.timezone,
        "programme_key": args.key,
        "programme_name": args.name,
        "programme_short_name": args.short_name,
    }
    async with migrated(load_config(args)) as sessions, sessions() as session:
        zone = await meta.get(session, "programme_timezone")
        meetings = await session.scalar(select(func.count()).select_from(Meeting))
        if zone and zone != args.timezone and meetings:
            raise UsageError(
                f"the venue's time zone is already {zone} and {meetings} meeting(s) use it; "
                "nothing was changed"
            )
        before = {key: await meta.get(session, key) for key in wanted}
        after = {key: value for key, value in wanted.items() if value and value != before[key]}
        now = (await programme_clock(sessions)).now()
        added = await import_ign_key_issues(session, now) if args.ign_key_issues else []
        if not after and not added:
            print("Nothing to change: the programme is already so.")
            return 1
        for key, value in after.items():
            await meta.put(session, key, value)
        old = {key: before[key] for key in after}
        if after:
            await audit.record(
                session, now, None, OPERATOR_PLATFORM, "programme settings", operator(), old, after
            )
        await session.commit()
    for key, value in after.items():
        print(f"{key.removeprefix('programme_')}: {before[key] or '(none)'} → {value}")
    for change in added:
        print(change)
    return 0


def _line(meeting: Meeting) -> str:
    zone = ZoneInfo(meeting.timezone)
    when = (
        meeting.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        if meeting.starts_at
        else f"{meeting.local_date.isoformat()} (time tba)"
    )
    status = "" if meeting.status == MeetingStatus.SCHEDULED else f"  [{meeting.status.value}]"
    return f"{meeting.key:<16} {when:<22} {meeting.room or '(room tba)'}{status}"


async def list_meetings(args: argparse.Namespace) -> int:
    async with migrated(load_config(args)) as sessions, sessions() as session:
        now = (await programme_clock(sessions)).now()
        query = select(Meeting).order_by(Meeting.sort_at)
        if not args.all:
            query = query.where(Meeting.until_at >= now)
        found = list(await session.scalars(query))
    if not found:
        print("No meetings to come." if not args.all else "No meetings.")
        return 0
    print(f"{'reference':<16} {'date and venue time':<22} room")
    for meeting in found:
        print(_line(meeting))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "programme": programme_init,
    "meetings": list_meetings,
}
