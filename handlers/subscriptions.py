"""Subscriptions: being reminded before meetings, of all of them or those on some key issues."""

from __future__ import annotations

from datetime import timedelta

from babel.units import format_unit

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.durations import find_durations
from bot.core.i18n import N_
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply, bold
from bot.core.timefmt import venue_and_reader_time
from handlers.quiet import pacing_lines
from handlers.roles import CHAIR_ONLY
from storage import people, reminders, subscriptions
from storage.directory import IssueName
from storage.models import Delivery, Meeting

SHORTEST, LONGEST = timedelta(minutes=5), timedelta(days=30)
# "/remind default" in the six languages, as the help writes it in each.
DEFAULT_WORDS = frozenset(
    {
        "default",
        "défaut",
        "defaut",
        "predeterminado",
        "predeterminados",
        "по-умолчанию",
        "умолчанию",
        "默认",
        "افتراضي",
    }
)


def lead_label(ctx: Context, minutes: int) -> str:
    """ "24 hours", "15 minutes", "7 days": in the unit the reader chose."""
    if minutes % (24 * 60) == 0 and minutes > 24 * 60:
        value, unit = minutes // (24 * 60), "duration-day"
    elif minutes % 60 == 0:
        value, unit = minutes // 60, "duration-hour"
    else:
        value, unit = minutes, "duration-minute"
    return format_unit(value, unit, length="long", locale=ctx.tr.language)


def _issues_named(ctx: Context, text: str) -> list[IssueName] | Reply:
    """Each comma-separated part must name a key issue; otherwise say which part does not."""
    found: list[IssueName] = []
    for part in (p.strip() for p in text.split(",")):
        issues = ctx.names.mentions(part).issues if part else []
        if part and not issues:
            keys = ", ".join(issue.key for issue in ctx.names.issues.values())
            return Reply(not_found=True).paragraph(
                ctx._("“{name}” is not a key issue. Choose among: {keys}.").format(
                    name=part[:60], keys=keys
                )
            )
        found.extend(issue for issue in issues if issue not in found)
    return found


def _followed(ctx: Context, issue_ids: list[int | None]) -> str:
    if None in issue_ids:
        return ctx._("all meetings")
    names = [issue_name(ctx, ctx.names.issues[i]) for i in issue_ids if i in ctx.names.issues]
    return ctx._("meetings on {issues}").format(issues="; ".join(names))


def only_admins(ctx: Context) -> Reply:
    return Reply().paragraph(
        ctx._(
            "Only an admin of this group can change its reminders; ask one, or write to me "
            "directly to be reminded yourself."
        )
    )


async def _change_of(ctx: Context, request: Request) -> list[IssueName] | Reply:
    """The key issues a change of subscriptions names, if the asker may make it."""
    named = _issues_named(ctx, request.text)
    if not isinstance(named, Reply) and not await ctx.may_change_group():
        return only_admins(ctx)
    return named


@command("subscribe", usage=N_("/subscribe [ISSUE, ISSUE...]"), personal=True)
async def subscribe(ctx: Context, request: Request) -> Reply:
    """Be reminded before meetings: all of them, or those on some key issues."""
    named = await _change_of(ctx, request)
    if isinstance(named, Reply):
        return named
    person = await ctx.subscriber(for_update=True)
    assert person is not None
    wanted: list[int | None] = [issue.id for issue in named] or [None]
    await subscriptions.subscribe(ctx.session, person.id, wanted, ctx.now)
    await reminders.replan_person(ctx.session, person.id, ctx.now)
    return await your_reminders(ctx, request)


@command("unsubscribe", usage=N_("/unsubscribe [ISSUE, ISSUE...]"), personal=True)
async def unsubscribe(ctx: Context, request: Request) -> Reply:
    """Stop reminders: all of them, or those for some key issues."""
    named = await _change_of(ctx, request)
    if isinstance(named, Reply):
        return named
    person = await ctx.subscriber(for_update=False)
    if person is None:
        return Reply().paragraph(ctx._("You follow no meetings."))
    removed = await subscriptions.unsubscribe(
        ctx.session, person.id, [issue.id for issue in named] or None
    )
    await reminders.replan_person(ctx.session, person.id, ctx.now)
    if not removed:
        return Reply().paragraph(ctx._("You did not follow those meetings."))
    return await your_reminders(ctx, request)


@command("remind", usage=N_("/remind [7d 1d 1h 15m | default]"), personal=True)
async def set_lead_times(ctx: Context, request: Request) -> Reply:
    """Choose how long before each meeting you are reminded."""
    words = request.text.replace(",", " ").split()
    if not words:
        return await your_reminders(ctx, request)
    if not await ctx.may_change_group():
        return only_admins(ctx)
    person = await ctx.subscriber(for_update=True)
    assert person is not None
    if words[0].casefold() in DEFAULT_WORDS:
        person.lead_times = None
    else:
        leads = []
        for word in words:
            found = find_durations(word)
            lead = timedelta(minutes=found[0]) if len(found) == 1 else None
            if lead is None or not SHORTEST <= lead <= LONGEST:
                return Reply().paragraph(
                    ctx._(
                        "“{value}” is not a lead time I can use: give durations from 5m to 30d, "
                        "such as /remind 7d 1d 1h 15m (m: minutes, h: hours, d: days)."
                    ).format(value=word[:20])
                )
            leads.append(int(lead.total_seconds() // 60))
        person.lead_times = sorted(set(leads), reverse=True)
    await reminders.replan_person(ctx.session, person.id, ctx.now)
    return await your_reminders(ctx, request)


@command("remindme", usage=N_("/remindme [DURATION] [ISSUE]"), personal=True)
async def remind_me(ctx: Context, request: Request) -> Reply:
    """Be reminded this long before meetings (all of them, or those on some key issues).

    What plain words ask: "remind me an hour before meetings on the veto"."""
    if not await ctx.may_change_group():
        return only_admins(ctx)
    leads = sorted(
        {lead for lead in request.leads if SHORTEST <= timedelta(minutes=lead) <= LONGEST}
    )
    if request.leads and not leads:
        return Reply().paragraph(
            ctx._("Reminders can come from 5 minutes to 30 days before a meeting.")
        )
    person = await ctx.subscriber(for_update=True)
    assert person is not None
    followed = await subscriptions.of_person(ctx.session, person.id)
    wanted: list[int | None] = [issue.id for issue in request.issues]
    if wanted or not followed:
        await subscriptions.subscribe(ctx.session, person.id, wanted or [None], ctx.now)
    if leads:
        person.lead_times = sorted(leads, reverse=True)
    await reminders.replan_person(ctx.session, person.id, ctx.now)
    return await your_reminders(ctx, request)


@command("subscribers", roles=CHAIR_ONLY)
async def subscriber_counts(ctx: Context, request: Request) -> Reply:
    """How many people are reminded of meetings, in all and per key issue."""
    people_count, per_issue = await subscriptions.counts(ctx.session)
    reply = Reply().heading(ctx._("Subscribers"))
    reply.paragraph(
        ctx.tr.ngettext(
            "{count} person follows meetings.", "{count} people follow meetings.", people_count
        ).format(count=ctx.tr.number(people_count))
    )
    for issue_id, count in sorted(per_issue.items(), key=lambda item: -item[1]):
        label = (
            ctx._("all meetings")
            if issue_id is None
            else issue_name(ctx, ctx.names.issues[issue_id])
            if issue_id in ctx.names.issues
            else None
        )
        if label:
            reply.item(f"{label}: ", bold(ctx.tr.number(count)))
    return reply


@command("reminders", personal=True)
async def your_reminders(ctx: Context, request: Request) -> Reply:
    """What you follow, and when you will be reminded."""
    person = await ctx.subscriber(for_update=False)
    followed = await subscriptions.of_person(ctx.session, person.id) if person else []
    if not followed:
        return (
            Reply()
            .paragraph(
                ctx._(
                    "You follow no meetings. /subscribe for all of them, or e.g. /subscribe veto."
                )
            )
            .button_row(Button(ctx._("Subscribe to all meetings"), "/subscribe"))
        )
    assert person is not None
    leads = person.lead_times or await reminders.default_leads(ctx.session)
    reply = Reply().heading(ctx._("Your reminders"))
    reply.item(ctx._("You follow: "), bold(_followed(ctx, [s.key_issue_id for s in followed])))
    reply.item(
        ctx._("Reminded: "),
        ctx._("{leads} before each meeting").format(
            leads=", ".join(lead_label(ctx, lead) for lead in leads)
        ),
    )
    await pacing_lines(ctx, reply)
    accounts = [a.id for a in await people.accounts_of(ctx.session, person.id)]
    planned = await reminders.scheduled_for(ctx.session, accounts)
    if planned:
        reply.paragraph(ctx._("Next reminders:"))
        for delivery in planned[:5]:
            reply.item(await _planned_line(ctx, delivery))
    else:
        reply.paragraph(ctx._("No reminder is due yet: no meeting you follow has a time."))
    return reply.button_row(
        Button(ctx._("Unsubscribe"), "/unsubscribe"), Button(ctx._("Next meeting"), "/next")
    )


async def _planned_line(ctx: Context, delivery: Delivery) -> str:
    meeting = await ctx.session.get(Meeting, delivery.meeting_id)
    assert meeting is not None and meeting.starts_at is not None
    return ctx._("{when}: {lead} before the meeting of {meeting}").format(
        when=venue_and_reader_time(delivery.due_at, meeting.timezone, ctx.reader_zone, ctx.tr),
        lead=lead_label(ctx, delivery.payload["lead"]),
        meeting=venue_and_reader_time(meeting.starts_at, meeting.timezone, None, ctx.tr),
    )
