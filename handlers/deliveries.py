"""Where announcements stand: the delivery report its author gets, /deliveries for the Chair's
office, and the latest announcements for everyone."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.messages import Button, Reply, bold, italic
from bot.core.timefmt import long_date
from handlers.announcement_text import announcement_reply, excerpt
from handlers.roles import CHAIR_ONLY
from storage import announcements
from storage.models import Announcement, AnnouncementStatus, Delivery

VISIBLE_TO_ALL = ("all", "delegates")


async def notice(ctx: Context, delivery: Delivery, announcement: Announcement) -> Reply:
    """What an announcement's delivery carries: the announcement, its correction, or the
    delivery report for its author."""
    if delivery.kind == "report":
        return await delivery_report(ctx, announcement)
    changed = [tuple(pair) for pair in delivery.payload.get("changes", [])]
    return announcement_reply(ctx, announcement, delivery.kind == "correction", changed)


OUTCOMES = ("delivered", "digest", "blocked", "failed", "waiting")


async def delivery_report(ctx: Context, announcement: Announcement) -> Reply:
    labels = {
        "delivered": ctx._("delivered"),
        "digest": ctx._("in their digest only"),
        "blocked": ctx._("blocked (account unreachable)"),
        "failed": ctx._("failed"),
        "waiting": ctx._("still to send"),
    }
    reply = Reply().heading(ctx._("Delivery report: announcement #{id}").format(id=announcement.id))
    reply.paragraph(italic(excerpt(announcement.text)))
    progress = await announcements.progress(ctx.session, announcement.id)
    withdrawn = announcement.status == AnnouncementStatus.CANCELLED
    if withdrawn:
        reply.paragraph(
            bold(ctx._("Withdrawn.")),
            " ",
            ctx._("What was still waiting was not sent.")
            if progress
            else ctx._("It was withdrawn before any message went out."),
        )
    if not progress:
        return reply if withdrawn else reply.paragraph(ctx._("No deliveries."))
    for platform, counts in progress.items():
        shown = ", ".join(
            f"{ctx.tr.number(counts[outcome])} {labels[outcome]}"
            for outcome in OUTCOMES
            if counts[outcome]
        )
        reply.item(bold(platform.capitalize()), ": ", shown)
    return reply


@command("deliveries", usage="/deliveries ID", roles=CHAIR_ONLY, personal=True)
async def deliveries(ctx: Context, request: Request) -> Reply:
    """Where an announcement's deliveries stand, per platform."""
    found = re.match(r"^#?(\d{1,9})$", request.text.strip())
    if found:
        announcement = await ctx.session.get(Announcement, int(found.group(1)))
    else:  # without a number: the latest
        latest_ones = (
            []
            if request.text.strip()
            else await announcements.latest(ctx.session, ctx.now, limit=1)
        )
        announcement = latest_ones[0] if latest_ones else None
    if announcement is None:
        return Reply(not_found=bool(found)).paragraph(
            ctx._("Which announcement? /deliveries ID (see /announcements).")
        )
    return await delivery_report(ctx, announcement)


@command("announcements", usage="/announcements [ID]", personal=True)
async def latest(ctx: Context, request: Request) -> Reply:
    """The latest announcements from the Chair's office."""
    chair = ctx.role in CHAIR_ONLY
    found = re.match(r"^#?(\d{1,9})$", request.text.strip())
    shown = [
        a
        for a in await announcements.latest(ctx.session, ctx.now, limit=10)
        if chair or a.audience["kind"] in VISIBLE_TO_ALL
    ]
    if found:
        wanted = [a for a in shown if a.id == int(found.group(1))]
        if not wanted:
            return Reply(not_found=True).paragraph(
                ctx._("There is no announcement #{id} for you.").format(id=found.group(1))
            )
        return announcement_reply(ctx, wanted[0])
    if not shown:
        return Reply().paragraph(ctx._("No announcements yet."))
    reply = Reply().heading(ctx._("Latest announcements"))
    for item in shown[:5]:
        day = long_date(item.send_at.astimezone(ZoneInfo(ctx.venue_zone)).date(), ctx.tr)
        reply.item(bold(day), f" (#{item.id}) ", excerpt(item.text))
        reply.button_row(
            Button(ctx._("Read #{id}").format(id=item.id), f"/announcements {item.id}")
        )
    return reply
