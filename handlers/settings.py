"""Personal settings: time zone and language."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.i18n import LANGUAGES
from bot.core.messages import Reply, bold
from bot.core.names import normalize
from bot.core.timefmt import zone_time
from handlers.quiet import pacing_lines
from handlers.roles import role_name

# Cities delegates name that are no IANA zone's city: UN duty stations and capitals.
CITY_ZONES = {
    "geneva": "Europe/Zurich",
    "bern": "Europe/Zurich",
    "the hague": "Europe/Amsterdam",
    "bonn": "Europe/Berlin",
    "strasbourg": "Europe/Paris",
    "washington": "America/New_York",
    "ottawa": "America/Toronto",
    "montreal": "America/Toronto",
    "brasilia": "America/Sao_Paulo",
    "quito": "America/Guayaquil",
    "beijing": "Asia/Shanghai",
    "new delhi": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "islamabad": "Asia/Karachi",
    "ankara": "Europe/Istanbul",
    "abuja": "Africa/Lagos",
    "pretoria": "Africa/Johannesburg",
    "rabat": "Africa/Casablanca",
    "canberra": "Australia/Sydney",
    "wellington": "Pacific/Auckland",
}


@cache
def _zones() -> tuple[dict[str, str], dict[str, str]]:
    """Area/City zones by name ("europe/paris") and by city ("addis ababa"), and UTC.
    Not offered: aliases and oddities such as "localtime", "Factory" or "Etc/GMT+5" (whose
    sign reads backwards)."""
    names, cities = {"utc": "UTC"}, dict(CITY_ZONES)
    for zone in sorted(available_timezones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            names[zone.casefold()] = zone
            cities.setdefault(normalize(zone.rsplit("/", 1)[1].replace("_", " ")), zone)
    return names, cities


def find_zone(text: str) -> str | None:
    """An IANA zone from its name ("Europe/Paris") or its city ("paris", "Addis Ababa")."""
    names, cities = _zones()
    text = text.strip()
    return names.get(text.casefold()) or cities.get(normalize(text)) if text else None


@command("settings", personal=True)
async def settings(ctx: Context, request: Request) -> Reply:
    """Your time zone, language, digest and quiet hours."""
    zone = ctx.reader_zone
    reply = Reply().heading(ctx._("Your settings"))
    reply.item(ctx._("Time zone: "), bold(zone) if zone else ctx._("not set (venue time only)"))
    reply.item(ctx._("Language: "), bold(LANGUAGES[ctx.tr.language]))
    reply.item(ctx._("Role: "), role_name(ctx, ctx.role))
    await pacing_lines(ctx, reply)
    return reply.paragraph(
        ctx._(
            "Change your time zone with /timezone, e.g. /timezone Europe/Paris or /timezone Geneva."
        )
    ).paragraph(
        ctx._("Change your language with /language, e.g. /language fr."),
        " ",
        ctx._("A digest: /digest daily 08:00; quiet hours: /quiet 22:00-07:00."),
    )


@command("timezone", usage="/timezone ZONE", personal=True)
async def set_timezone(ctx: Context, request: Request) -> Reply:
    """Show every time in your own time zone as well."""
    zone = find_zone(request.text) or request.zone
    if zone is None:
        problem = (
            ctx._("“{zone}” is not a time zone I know.").format(zone=request.text.strip())
            if request.text.strip()
            else ctx._("Which time zone?")
        )
        return (
            Reply()
            .paragraph(problem)
            .paragraph(
                ctx._(
                    "Give an IANA name such as Europe/Paris or America/New_York, or a city such as "
                    "Nairobi."
                )
            )
        )
    person = await ctx.person_for_update()
    person.timezone = zone
    return (
        Reply()
        .paragraph(
            ctx._("Your time zone is now {zone}; it is {time}.").format(
                zone=zone, time=zone_time(ctx.now, zone, ctx.tr)
            )
        )
        .note(ctx._("Meeting times will show venue time and yours."))
    )
