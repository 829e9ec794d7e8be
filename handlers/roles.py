"""Roles: registering with an invitation code; the Chair's office invites, lists and audits."""

from __future__ import annotations

from datetime import timedelta

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.drafts import draft_kind
from bot.core.holder_names import holder_name
from bot.core.messages import Reply, bold
from bot.core.timefmt import venue_and_reader_time
from handlers.choices import pick_delegation
from storage import audit, roles
from storage.models import Draft, Role

CHAIR_ONLY = frozenset({Role.CHAIR})
INVITE_LIFETIME = timedelta(days=7)
REFUSALS_COUNTED = timedelta(hours=24)
REPLACING = "replacing role"  # the draft of a code that would replace its holder's role


def role_name(ctx: Context, role: Role) -> str:
    return {
        Role.CHAIR: ctx._("Chair's office"),
        Role.FOCAL_POINT: ctx._("focal point"),
        Role.DELEGATE: ctx._("delegate"),
    }[role]


@command("register", usage="/register CODE", personal=True)
async def register(ctx: Context, request: Request) -> Reply:
    """Take up the role an invitation code gives you."""
    code = request.text.strip()
    if not code:
        return Reply().paragraph(ctx._("Give the code from your invitation: /register CODE."))
    person = await ctx.person_for_update()
    offered = await roles.offer(ctx.session, code, ctx.now)
    if isinstance(offered, str):
        await ctx.audit("register", code[:4] + "…", allowed=False)
        return Reply().paragraph(_refusal(ctx, offered))
    held = (person.role, person.delegation_id)
    if person.role != Role.DELEGATE and held != (offered.role, offered.delegation_id):
        draft = await drafts.propose(ctx, REPLACING, {"code_id": offered.code_id}, "register")
        question = ctx._(
            "You are {current}. This code makes you {new} instead: you would no longer be "
            "{current}."
        ).format(
            current=_role_held(ctx, *held), new=_role_held(ctx, offered.role, offered.delegation_id)
        )
        return (
            Reply()
            .paragraph(question)
            .button_row(*drafts.buttons(ctx, draft, ctx._("Take up the new role")))
        )
    return await _take_up(ctx, offered.code_id)


@draft_kind(REPLACING)
async def replace_role(ctx: Context, draft: Draft) -> Reply:
    """A code confirmed though it replaces the role its holder had."""
    return await _take_up(ctx, draft.payload["code_id"])


async def _take_up(ctx: Context, code_id: int) -> Reply:
    person = await ctx.person_for_update()
    before = [person.role.value, person.delegation_id]
    given = await roles.take_up(ctx.session, code_id, person, ctx.now)
    if isinstance(given, str):
        await ctx.audit("register", f"person {person.id}", allowed=False)
        return Reply().paragraph(_refusal(ctx, given))
    after = [given.role.value, given.delegation_id]
    await ctx.audit("register", f"person {person.id}", before, after)
    reply = Reply().paragraph(
        ctx._("Welcome: you are now {role}.").format(role=role_name(ctx, given.role))
    )
    if given.delegation_id is not None:
        reply.paragraph(
            ctx._("You act for {delegation}.").format(
                delegation=_delegation_name(ctx, given.delegation_id)
            )
        )
    return reply.paragraph(ctx._("Type /help to see what you can do."))


def _refusal(ctx: Context, reason: str) -> str:
    return {
        "unknown": ctx._("That is not an invitation code I know."),
        "expired": ctx._("That invitation has expired; ask the Chair's office for a new one."),
        "used": ctx._("That invitation has already been used."),
    }[reason]


def _delegation_name(ctx: Context, delegation_id: int) -> str:
    delegation = ctx.names.delegations.get(delegation_id)
    return holder_name(ctx, delegation) if delegation else str(delegation_id)


def _role_held(ctx: Context, role: Role, delegation_id: int | None) -> str:
    """A role as its holder reads it: "focal point for Brazil"."""
    if delegation_id is None:
        return role_name(ctx, role)
    return ctx._("{role} for {delegation}").format(
        role=role_name(ctx, role), delegation=_delegation_name(ctx, delegation_id)
    )


@command("invite", usage="/invite chair|focal-point [DELEGATION]", roles=CHAIR_ONLY, personal=True)
async def invite(ctx: Context, request: Request) -> Reply:
    """Invite someone to the Chair's office or as a delegation's focal point."""
    words = request.text.split(maxsplit=1)
    kinds = {"chair": Role.CHAIR, "focal-point": Role.FOCAL_POINT}
    role = kinds.get(words[0].lower()) if words else None
    if role is None:
        return Reply().paragraph(
            ctx._("Invite whom? /invite chair, or /invite focal-point Brazil.")
        )
    delegation_id = None
    if role == Role.FOCAL_POINT:
        rest = Request(text=words[1] if len(words) > 1 else "", delegations=request.delegations)
        chosen = pick_delegation(ctx, rest, "/invite focal-point")
        if isinstance(chosen, Reply):
            return chosen
        delegation_id = chosen.id
    code = await roles.invite(ctx.session, role, delegation_id, ctx.now, INVITE_LIFETIME)
    await ctx.audit("invite", role.value, after={"delegation_id": delegation_id})
    return (
        Reply()
        .paragraph(ctx._("Invitation code: "), bold(code))
        .paragraph(
            ctx._(
                "Valid 7 days, once. On Telegram: /start {code}; on Slack: "
                "/plenary register {code}; in the terminal: /register {code}."
            ).format(code=code)
        )
    )


@command("roles", roles=CHAIR_ONLY, personal=True)
async def who_holds_roles(ctx: Context, request: Request) -> Reply:
    """Who holds which role."""
    reply = Reply().heading(ctx._("Roles"))
    for person, delegation, platforms in await roles.holders(ctx.session):
        reply.item(
            bold(person.display_name or f"#{person.id}"),
            " — ",
            role_name(ctx, person.role),
            f" ({delegation})" if delegation else "",
            " · ",
            ", ".join(platforms),
        )
    return reply


@command("focalpoints", roles=CHAIR_ONLY, personal=True)
async def focal_points(ctx: Context, request: Request) -> Reply:
    """Who is focal point of which delegation, and on which platforms."""
    held = [
        (person, delegation, platforms)
        for person, delegation, platforms in await roles.holders(ctx.session)
        if person.role == Role.FOCAL_POINT
    ]
    if not held:
        return Reply().paragraph(ctx._("No delegation has a focal point yet."))
    reply = Reply().heading(ctx._("Focal points"))
    for person, _delegation, platforms in held:
        found = ctx.names.delegations.get(person.delegation_id or -1)
        reply.item(
            bold(holder_name(ctx, found) if found else "—"),
            " — ",
            person.display_name or f"#{person.id}",
            " · ",
            ", ".join(platforms),
        )
    return reply


AUDIT_VIEWS = {"writes": True, "refusals": False, "all": None}
AUDIT_SHOWN = 20


@command("audit", usage="/audit [writes | refusals | all]", roles=CHAIR_ONLY, personal=True)
async def audit_log(ctx: Context, request: Request) -> Reply:
    """The latest audited writes (or refusals), newest first."""
    view = request.text.strip().lower() or "writes"
    if view not in AUDIT_VIEWS:
        return Reply().paragraph(
            ctx._("Show which entries? /audit writes, /audit refusals or /audit all.")
        )
    reply = Reply().heading(ctx._("Audit log"))
    entries = await audit.recent(ctx.session, AUDIT_SHOWN, AUDIT_VIEWS[view])
    for line in await audit.shown(ctx.session, entries):
        mark = "" if line.allowed else ctx._(" (refused)")
        change = f" ({line.change})" if line.change else ""
        reply.item(
            venue_and_reader_time(line.at, ctx.venue_zone, None, ctx.tr),
            " — ",
            f"{line.who}: {line.what}{change}{mark}",
        )
    if view == "writes":
        refused = await audit.refusals_since(ctx.session, ctx.now - REFUSALS_COUNTED)
        if refused:
            reply.note(
                ctx.tr.ngettext(
                    "{count} refusal in the last 24 hours: /audit refusals",
                    "{count} refusals in the last 24 hours: /audit refusals",
                    refused,
                ).format(count=ctx.tr.number(refused))
            )
    return reply
