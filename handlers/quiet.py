"""Quiet hours: /quiet HH:MM-HH:MM | off; in plain words, "don't message me at night"."""

from __future__ import annotations

from datetime import time

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.daytimes import find_times
from bot.core.i18n import N_
from bot.core.messages import Button, Reply, bold
from bot.core.names import normalize
from handlers.digests import OFF, describe_digest
from storage.models import Person

NIGHT = (time(22), time(7))  # what "at night" means when no hours are given


def describe_quiet(ctx: Context, begins: str | None, ends: str | None) -> str:
    if begins is None or ends is None:
        return ctx._("off")
    return ctx._("{start} to {end}, your time").format(start=begins, end=ends)


@command("quiet", usage=N_("/quiet HH:MM-HH:MM | off"), personal=True)
async def quiet_hours(ctx: Context, request: Request) -> Reply:
    """Hold messages that are not urgent during your quiet hours, until they end.

    What plain words ask: "don't message me at night", "no messages from 23:00 to 6:30"."""
    words, times = normalize(request.text), find_times(request.text)
    typed = ctx.incoming.text.lstrip().startswith("/")
    person = await ctx.person_for_update()
    if not words:
        pass
    elif OFF.search(words):
        person.quiet_from = person.quiet_until = None
    elif len(times) == 2 and times[0] != times[1]:
        person.quiet_from, person.quiet_until = (t.strftime("%H:%M") for t in times)
    elif not times and not typed:  # "don't message me at night"
        person.quiet_from, person.quiet_until = (t.strftime("%H:%M") for t in NIGHT)
    else:
        return _bad_hours(ctx, request.text)
    reply = Reply().heading(ctx._("Quiet hours"))
    reply.item(
        ctx._("Quiet hours: "), bold(describe_quiet(ctx, person.quiet_from, person.quiet_until))
    )
    if person.quiet_from is None:
        reply.paragraph(
            ctx._(
                "Set them with /quiet 22:00-07:00: follow notices, digests and announcements "
                "that are not urgent then wait until they end."
            )
        )
        return reply.button_row(Button(ctx._("Quiet from 22:00 to 07:00"), "/quiet 22:00-07:00"))
    zone = ctx.reader_zone or ctx.venue_zone
    reply.paragraph(
        ctx._(
            "Until they end, follow notices, digests and announcements that are not urgent "
            "wait; reminders of meetings starting in them or soon after, changes of meetings "
            "within a day and urgent announcements still come. Time zone: {zone}."
        ).format(zone=zone)
    )
    return reply.button_row(Button(ctx._("No quiet hours"), "/quiet off"))


def _bad_hours(ctx: Context, text: str) -> Reply:
    return Reply().paragraph(
        ctx._(
            "“{text}” are not quiet hours I can use. Give a start and an end, e.g. "
            "/quiet 22:00-07:00, or /quiet off."
        ).format(text=text.strip()[:60]),
        " ",
        ctx._("Nothing was done."),
    )


async def pacing_lines(ctx: Context, reply: Reply) -> Reply:
    """The reader's digest and quiet hours, as /settings and /reminders show them."""
    person = await ctx.session.get(Person, ctx.person.id) if ctx.person and ctx.person.id else None
    digest = (person.digest_at, person.digest_weekday, person.digest_only) if person else None
    reply.item(ctx._("Digest: "), describe_digest(ctx, *(digest or (None, None, False))))
    quiet = (person.quiet_from, person.quiet_until) if person else (None, None)
    reply.item(ctx._("Quiet hours: "), describe_quiet(ctx, *quiet))
    return reply
