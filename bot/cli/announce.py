"""Announcements on the command line: `plenary announce` previews, asks, confirms and follows
the sending; `plenary deliveries ID` lists where each delivery stands. Only the running service
(`plenary run`) sends: these commands queue and watch."""

from __future__ import annotations

import argparse
import asyncio
import mimetypes
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.args import UsageError, confirmed, load_config, operator, programme_clock
from bot.core.answering import OPERATOR, OPERATOR_PLATFORM, Core
from bot.core.context import Context
from bot.core.messages import Attachment, Incoming
from bot.core.names import NameIndex
from bot.core.text import clean_paragraphs
from bot.core.timefmt import venue_and_reader_time
from bot.render.plain import render_plain
from bot.runtime.process import migrated
from handlers.announcement_text import (
    MAX_LENGTH,
    announcement_reply,
    audience_label,
    audience_summary,
    sending_time,
)
from handlers.deliveries import delivery_report
from storage import announcements, audit
from storage.announcements import Audience, Reach
from storage.models import Announcement, DelegationKind

MAX_ATTACHMENT = 20 * 1024 * 1024  # bytes
POLL_SECONDS = 0.5
NOTHING_SENT = 1
BAR_WIDTH = 30
AUDIENCES = "all, delegates, group:NAME, delegation:NAME or issue:NAME"
DELEGATION_KINDS = {
    "group": {DelegationKind.GROUP},
    "delegation": {DelegationKind.MEMBER_STATE, DelegationKind.OBSERVER_STATE},
}


def add_parsers(commands: Any, instant: Callable[[str], datetime]) -> list[argparse.ArgumentParser]:
    """`announce` and `deliveries`; `instant` parses an ISO-8601 date-time with its offset."""
    announce_parser = commands.add_parser(
        "announce", help="send an announcement from the Chair's office, after a preview"
    )
    announce_parser.add_argument("--audience", required=True, metavar="AUDIENCE", help=AUDIENCES)
    announce_parser.add_argument(
        "--file", required=True, type=Path, help="the text (UTF-8; paragraphs between blank lines)"
    )
    announce_parser.add_argument(
        "--attach", type=Path, metavar="FILE", help="a document to send along (up to 20 MB)"
    )
    announce_parser.add_argument("--at", type=instant, metavar="ISO-8601", help="send later")
    announce_parser.add_argument("--yes", action="store_true", help="send without asking")
    announce_parser.add_argument(
        "--wait",
        type=float,
        default=600,
        metavar="SECONDS",
        help="follow the sending this long at most (default 600)",
    )
    deliveries_parser = commands.add_parser(
        "deliveries", help="an announcement's deliveries, one line each"
    )
    deliveries_parser.add_argument("announcement", type=int, metavar="ANNOUNCEMENT-ID")
    return [announce_parser, deliveries_parser]


# -- what the operator gives ---------------------------------------------------------------
def _unreadable(path: Path, error: OSError) -> UsageError:
    return UsageError(f"{path}: cannot read the file ({error.strerror}); nothing was stored")


def read_text(path: Path) -> str:
    """The announcement's text, tidied as the chat tidies it; UsageError if unusable."""
    try:
        text = clean_paragraphs(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _unreadable(path, error) from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; nothing was stored") from None
    if not text:
        raise UsageError(f"{path} is empty: there is nothing to announce; nothing was stored")
    if len(text) > MAX_LENGTH:
        raise UsageError(
            f"{path}: the announcement is {len(text):,} characters long and one message holds "
            f"{MAX_LENGTH:,}; shorten it, or send the full text with --attach. "
            "Nothing was stored"
        )
    return text


def read_attachment(path: Path) -> Attachment:
    """The document to send along (at most MAX_ATTACHMENT bytes)."""
    try:
        if path.stat().st_size > MAX_ATTACHMENT:
            raise UsageError(f"{path}: larger than 20 MB; nothing was stored")
        content = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(path.name, content, media_type)


def find_audience(names: NameIndex, text: str) -> Audience:
    """`all`, `delegates`, `group:NAME`, `delegation:NAME` or `issue:NAME`, by name."""
    kind, _, name = (part.strip() for part in text.partition(":"))
    kind = kind.lower()
    if kind in ("all", "delegates") and not name:
        return Audience(kind)
    if kind == "issue" and name:
        issues = names.mentions(name).issues
        if issues:
            return Audience(kind, issues[0].id, issues[0].name)
    elif kind in DELEGATION_KINDS and name:
        found = names.mentions(name).delegations
        candidates = [d for d in (found[0] if found else []) if d.kind in DELEGATION_KINDS[kind]]
        if len(candidates) == 1:
            return Audience(kind, candidates[0].id, candidates[0].name)
    else:
        raise UsageError(f"--audience {text!r}: say {AUDIENCES}; nothing was stored")
    raise UsageError(f"--audience: no single {kind} is called {name!r}; nothing was stored")


# -- the database, as the service sees it --------------------------------------------------
@asynccontextmanager
async def operator_core(args: argparse.Namespace) -> AsyncIterator[Core]:
    """The core on the configured database, with the service's clock (the demo's own on demo
    data), so that what is queued falls due when the service expects it."""
    async with migrated(load_config(args)) as sessions:
        yield Core(sessions, await programme_clock(sessions))


async def operator_context(core: Core, session: AsyncSession) -> Context:
    incoming = Incoming(OPERATOR_PLATFORM, "operator", "")
    return await core.context_for(session, incoming, OPERATOR)


def _attach(announcement: Announcement, attachment: Attachment | None) -> None:
    if attachment is not None:
        announcement.attachment_name = attachment.filename
        announcement.attachment_type = attachment.media_type
        announcement.attachment = attachment.content


def preview(ctx: Context, announcement: Announcement, reach: Reach) -> str:
    """What the chat's preview shows: the announcement as readers will see it, whom it
    reaches on which platform, and when it goes."""
    audience = Audience.from_json(announcement.audience)
    lines = [
        "Preview: nothing is stored or sent before you confirm.",
        ctx._("Exactly as it will appear:"),
        "",
        render_plain(announcement_reply(ctx, announcement)),
        "",
    ]
    if announcement.attachment is not None:
        lines.append(
            f"Attachment: {announcement.attachment_name} ({announcement.attachment_type}, "
            f"{len(announcement.attachment):,} bytes)"
        )
    lines.append(ctx._("Audience: ") + audience_summary(ctx, audience, reach))
    lines.append(ctx._("Sending: ") + sending_time(ctx, announcement.send_at))
    return "\n".join(lines)


# -- announce ------------------------------------------------------------------------------
def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


async def announce(args: argparse.Namespace) -> int:
    """Preview, ask, store and queue, then follow the sending (unless it is for later)."""
    text = read_text(args.file)
    attachment = read_attachment(args.attach) if args.attach else None
    async with operator_core(args) as core:
        audience, reached = await _preview(core, args.audience, text, args.at, attachment)
        if not reached:
            print("This audience reaches nobody: there is nothing to send.")
            return NOTHING_SENT
        if not confirmed(f"Send to {_count(reached, 'person', 'people')}?", args.yes):
            print("Nothing was sent.")
            return NOTHING_SENT
        confirmation = await _confirm(core, text, audience, args.at, attachment)
        if confirmation is None:
            print("This audience no longer reaches anybody: nothing was stored or sent.")
            return NOTHING_SENT
        stored, count = confirmation
        print(f"Announcement #{stored.id} confirmed: {_count(count, 'delivery', 'deliveries')}")
        if stored.send_at > core.clock.now():
            async with core.sessions() as session:
                when = sending_time(await operator_context(core, session), stored.send_at)
            print(
                f"Scheduled for {when}; the running service sends it then, and "
                f"`plenary deliveries {stored.id}` follows it."
            )
            return 0
        return await follow(core, stored, args.wait)


async def _preview(
    core: Core, wanted: str, text: str, at: datetime | None, attachment: Attachment | None
) -> tuple[Audience, int]:
    """Print the preview of an announcement not stored yet; (its audience, people reached)."""
    async with core.sessions() as session:
        ctx = await operator_context(core, session)
        audience = find_audience(ctx.names, wanted)
        if at is not None and at <= ctx.now:
            raise UsageError(f"--at {at.isoformat()} is not a time to come; nothing was stored")
        shown = Announcement(text=text, audience=audience.as_json(), send_at=at, corrections=0)
        _attach(shown, attachment)
        reach = await announcements.reach(session, audience)
        print(preview(ctx, shown, reach))
    return audience, len(reach.accounts)


async def _confirm(
    core: Core,
    text: str,
    audience: Audience,
    at: datetime | None,
    attachment: Attachment | None,
) -> tuple[Announcement, int] | None:
    """Store the announcement, queue its deliveries and audit it, in one transaction; None
    (and nothing stored) if the audience reaches nobody any more."""
    now = core.clock.now()
    async with core.sessions() as session:
        stored = await announcements.draft(session, None, OPERATOR_PLATFORM, text, audience, now)
        stored.send_at = at
        _attach(stored, attachment)
        count = await announcements.confirm(session, stored, now)
        if not count:
            return None
        await audit.record(
            session,
            now,
            None,
            OPERATOR_PLATFORM,
            "announce",
            f"announcement {stored.id}",
            after={"audience": stored.audience, "deliveries": count},
            user_id=operator(),
        )
        await session.commit()
    return stored, count


def progress_bar(settled: int, total: int) -> str:
    """`[#########---------] 1,234/2,468 settled (50%)`."""
    share = settled / total if total else 1.0
    filled = round(share * BAR_WIDTH)
    return (
        f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {settled:,}/{total:,} settled ({share:.0%})"
    )


async def follow(core: Core, announcement: Announcement, wait: float) -> int:
    """Show the deliveries settling (the service sends them) until none is waiting or `wait`
    seconds have passed; then the report per platform."""
    print("The running service (plenary run) sends it. Ctrl-C stops watching, not sending.")
    tty = sys.stdout.isatty()
    deadline = time.monotonic() + wait
    shown: int | None = None
    while True:
        async with core.sessions() as session:
            counts = await announcements.progress(session, announcement.id)
        total = sum(sum(c.values()) for c in counts.values())
        waiting = sum(c["waiting"] for c in counts.values())
        if total - waiting != shown:
            shown = total - waiting
            if tty:
                print(f"\r{progress_bar(shown, total)}", end="", flush=True)
            else:
                print(progress_bar(shown, total), flush=True)
        if not waiting or time.monotonic() >= deadline:
            break
        await asyncio.sleep(POLL_SECONDS)
    if tty:
        print()
    if waiting and not shown:
        print(
            f"Nothing was sent in {wait:g} s: no service (plenary run) seems to be sending. "
            f"The {waiting:,} messages wait in the outbox and go out once it runs; "
            f"`plenary deliveries {announcement.id}` follows them."
        )
    elif waiting:
        print(
            f"Still {waiting:,} to send after {wait:g} s: the service keeps sending; "
            f"`plenary deliveries {announcement.id}` follows it."
        )
    async with core.sessions() as session:
        ctx = await operator_context(core, session)
        print(render_plain(await delivery_report(ctx, announcement)))
    return NOTHING_SENT if waiting and not shown else 0


# -- deliveries ----------------------------------------------------------------------------
def _delivery_line(row: Any) -> str:
    sent = f"{row.sent_at:%Y-%m-%d %H:%M:%S} UTC" if row.sent_at else "-"
    error = f"  {row.error}" if row.error else ""
    return (
        f"{row.kind:<12}  {row.platform:<8}  {row.display_name or '-'}  ({row.external_id})  "
        f"{row.status.value}  {sent}{error}"
    )


async def deliveries(args: argparse.Namespace) -> int:
    async with operator_core(args) as core, core.sessions() as session:
        announcement = await session.get(Announcement, args.announcement)
        if announcement is None:
            raise UsageError(f"there is no announcement #{args.announcement}")
        ctx = await operator_context(core, session)
        audience = audience_label(ctx, Audience.from_json(announcement.audience))
        when = (
            venue_and_reader_time(announcement.send_at, ctx.venue_zone, None, ctx.tr)
            if announcement.send_at
            else "not yet"
        )
        print(f"Announcement #{announcement.id}: {announcement.status.value}, to {audience}")
        print(f"Sending: {when}")
        print(render_plain(await delivery_report(ctx, announcement)))
        for row in await announcements.deliveries(session, announcement.id):
            print(_delivery_line(row))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "announce": announce,
    "deliveries": deliveries,
}
