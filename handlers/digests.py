"""Digests: /digest daily HH:MM | weekly DAY HH:MM | off, and "digest only" for what is not
urgent; in plain words, "send me a daily summary at 8"."""

from __future__ import annotations

import re
from datetime import time

from babel.dates import get_day_names

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.daytimes import find_times, find_weekday
from bot.core.i18n import N_
from bot.core.messages import Button, Reply, bold
from bot.core.names import normalize
from bot.core.timefmt import venue_and_reader_time
from storage import digests

DEFAULT_TIME = time(8)
# Words as `normalize` leaves them, in the six languages.
OFF = re.compile(
    r"\b(?:off|stop|none|desactive\w*|arrete\w*|aucun|apaga\w*|desactiva\w*|"
    r"ninguno|выкл\w*|отключ\w*|останов\w*|не нужно|ايقاف|الغاء|اوقف)\b|关闭|取消|停止"
)
ONLY = re.compile(r"\b(?:only|seulement|uniquement|solo|solamente|только|فقط)\b|仅|只")
EVERYTHING = re.compile(
    r"\b(?:all|everything|as they come|tout|todo|все|всё|الكل|كل شيء)\b|全部|所有"
)
DAILY = re.compile(
    r"\b(?:daily|every day|each day|quotidien\w*|chaque jour|tous les jours|diari\w*|"
    r"cada dia|todos los dias|ежедневн\w*|каждый день|يومي\w*|كل يوم)\b|每天|每日"
)
WEEKLY = re.compile(
    r"\b(?:weekly|week|hebdomadaire|semaine|semanal\w*|semana|еженедельн\w*|недел\w*|"
    r"اسبوعي\w*|اسبوع)\b|每周|每星期|每礼拜"
)


def weekday_name(ctx: Context, weekday: int) -> str:
    return get_day_names("wide", locale=ctx.tr.language)[weekday]


def describe_digest(ctx: Context, at: str | None, weekday: int | None, only: bool) -> str:
    """ "daily at 08:00", "weekly, Monday at 08:00" or "off"; "(non-urgent messages only in
    it)" for "digest only"."""
    if at is None:
        return ctx._("off")
    shown = (
        ctx._("daily at {time}").format(time=at)
        if weekday is None
        else ctx._("weekly, {day} at {time}").format(day=weekday_name(ctx, weekday), time=at)
    )
    if only:
        shown += " " + ctx._("(non-urgent messages only in it)")
    return shown


@command("digest", usage=N_("/digest daily HH:MM | weekly DAY HH:MM | off"), personal=True)
async def digest(ctx: Context, request: Request) -> Reply:
    """A daily or weekly summary at your local time.

    It holds the meetings of the day or week, documents, announcements and positions.

    What plain words ask: "send me a daily summary at 8"."""
    words = normalize(request.text)
    if not words:
        return await _your_digest(ctx)
    person = await ctx.person_for_update()
    if OFF.search(words):
        person.digest_at, person.digest_weekday, person.digest_only = None, None, False
    elif ONLY.search(words) or EVERYTHING.search(words):
        if person.digest_at is None:
            person.digest_at = DEFAULT_TIME.strftime("%H:%M")
        person.digest_only = bool(ONLY.search(words))
    else:
        times = find_times(request.text)
        weekday = find_weekday(request.text)
        weekly = weekday is not None or bool(WEEKLY.search(words))
        typed = ctx.incoming.text.lstrip().startswith("/")
        understood = times or weekly or DAILY.search(words)
        if (
            len(times) > 1
            or (not times and re.search(r"\d", request.text))
            or (not understood and typed)
        ):
            return _bad_digest(ctx, request.text)
        person.digest_at = (times[0] if times else DEFAULT_TIME).strftime("%H:%M")
        person.digest_weekday = (0 if weekday is None else weekday) if weekly else None
    await digests.replan_person(ctx.session, person.id, ctx.now)
    return await _your_digest(ctx)


def _bad_digest(ctx: Context, text: str) -> Reply:
    return Reply().paragraph(
        ctx._(
            "“{text}” is not a digest I can send. Say /digest daily 08:00, /digest weekly "
            "monday 08:00 or /digest off."
        ).format(text=text.strip()[:60]),
        " ",
        ctx._("Nothing was done."),
    )


async def _your_digest(ctx: Context) -> Reply:
    person = await ctx.person_for_update()
    reply = Reply().heading(ctx._("Your digest"))
    reply.item(
        ctx._("Digest: "),
        bold(describe_digest(ctx, person.digest_at, person.digest_weekday, person.digest_only)),
    )
    if person.digest_at is None:
        reply.paragraph(
            ctx._(
                "A digest sums up the meetings of the day or week, new documents, announcements "
                "and positions you follow. /digest daily 08:00 or /digest weekly monday 08:00."
            )
        )
        return reply.button_row(
            Button(ctx._("Daily at 08:00"), "/digest daily 08:00"),
            Button(ctx._("Weekly, Monday 08:00"), "/digest weekly monday 08:00"),
        )
    planned = await digests.planned_for(ctx.session, person.id)
    if planned is not None:
        reply.item(
            ctx._("Next: "),
            venue_and_reader_time(planned.due_at, ctx.venue_zone, ctx.reader_zone, ctx.tr),
        )
    reply.paragraph(
        ctx._("Reminders and urgent messages still come as they happen.")
        if person.digest_only
        else ctx._("Reminders, notices and announcements still come as they happen as well.")
    )
    toggle = (
        Button(ctx._("Everything as it comes too"), "/digest all")
        if person.digest_only
        else Button(ctx._("Non-urgent only in the digest"), "/digest only")
    )
    return reply.button_row(toggle, Button(ctx._("No digest"), "/digest off"))
