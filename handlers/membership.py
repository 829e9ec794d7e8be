"""Belonging to a delegation: a delegate names theirs with /delegation, and a focal point of it
(or the Chair's office) confirms, so that messages to that delegation or its groups reach them."""

from __future__ import annotations

import re

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.messages import Button, Reply, bold, italic
from handlers.choices import pick_delegation
from handlers.roles import role_name
from storage import membership
from storage.directory import DelegationName
from storage.models import DelegationKind, Person, Role

NONE = ("none", "no", "nothing", "aucune", "ninguna", "нет", "لا", "无")
MANAGERS = frozenset({Role.FOCAL_POINT, Role.CHAIR})
_PERSON = re.compile(r"^#?(\d{1,12})$")


def _name(ctx: Context, delegation_id: int | None) -> str:
    delegation = ctx.names.delegations.get(delegation_id or -1)
    return delegation.name if delegation else "—"


@command("delegation", usage="/delegation [STATE | none]", personal=True)
async def delegation(ctx: Context, request: Request) -> Reply:
    """Say which delegation you belong to (a focal point of it confirms)."""
    person = await ctx.person_for_update()
    text = request.text.strip()
    if not text:
        return _where_you_stand(ctx, person)
    if person.role == Role.FOCAL_POINT:
        return Reply().paragraph(
            ctx._("You act for {delegation} as its focal point.").format(
                delegation=_name(ctx, person.delegation_id)
            )
        )
    if text.casefold() in NONE:
        await membership.claim(ctx.session, person, None)
        await ctx.audit("delegation", f"person {person.id}", after=None)
        return Reply().paragraph(ctx._("Done: you belong to no delegation in Plenary."))
    chosen = pick_delegation(ctx, request, "/delegation")
    if isinstance(chosen, Reply):
        return chosen
    if chosen.kind == DelegationKind.GROUP:
        return Reply().paragraph(
            ctx._(
                "{group} is a group of States: name your own State's delegation, e.g. "
                "/delegation Brazil."
            ).format(group=chosen.name)
        )
    if person.delegation_id == chosen.id:
        return _where_you_stand(ctx, person)
    await membership.claim(ctx.session, person, chosen.id)
    await ctx.audit("delegation", f"person {person.id}", after={"claimed": chosen.key})
    if ctx.role == Role.CHAIR:
        membership.confirm(person)
        return _where_you_stand(ctx, person)
    return Reply().paragraph(
        ctx._(
            "Noted: you belong to {delegation} once its focal point (or the Chair's office) "
            "confirms it. Until then, messages for {delegation} do not reach you."
        ).format(delegation=chosen.name)
    )


def _where_you_stand(ctx: Context, person: Person) -> Reply:
    if person.delegation_id is not None:
        text = ctx._("You belong to {delegation}.").format(
            delegation=_name(ctx, person.delegation_id)
        )
    elif person.claimed_delegation_id is not None:
        text = ctx._(
            "You said you belong to {delegation}: waiting for its focal point or the Chair's "
            "office to confirm."
        ).format(delegation=_name(ctx, person.claimed_delegation_id))
    else:
        text = ctx._("You have not said which delegation you belong to: /delegation Brazil.")
    return Reply().paragraph(text)


def _may_manage(ctx: Context, delegation_id: int | None) -> bool:
    """The Chair's office manages every delegation; a focal point only theirs."""
    if ctx.role == Role.CHAIR:
        return True
    return ctx.role == Role.FOCAL_POINT and ctx.person.delegation_id == delegation_id


@command("members", usage="/members [STATE]", roles=MANAGERS, personal=True)
async def members(ctx: Context, request: Request) -> Reply:
    """Who belongs to your delegation, and who waits for your confirmation."""
    chosen: DelegationName | Reply | None
    if request.text.strip() or ctx.role == Role.CHAIR:
        chosen = pick_delegation(ctx, request, "/members")
        if isinstance(chosen, Reply):
            return chosen
        delegation_id = chosen.id
    else:
        delegation_id = ctx.person.delegation_id
    if not _may_manage(ctx, delegation_id):
        await ctx.audit("members", str(delegation_id), allowed=False)
        return Reply().paragraph(ctx._("Only its focal point or the Chair's office can see that."))
    reply = Reply().heading(
        ctx._("Members of {delegation}").format(delegation=_name(ctx, delegation_id))
    )
    found = await membership.of_delegation(ctx.session, delegation_id)
    for person in found:
        name = person.display_name or f"#{person.id}"
        if person.delegation_id == delegation_id:
            reply.item(bold(name), " — ", role_name(ctx, person.role))
        else:
            reply.item(bold(name), " — ", italic(ctx._("waiting for confirmation")))
            reply.button_row(
                Button(ctx._("Confirm {name}").format(name=name[:30]), f"/admit {person.id}"),
                Button(ctx._("Decline"), f"/decline {person.id}"),
            )
    if not found:
        reply.paragraph(ctx._("Nobody yet."))
    return reply


async def _claimant(ctx: Context, request: Request) -> Person | Reply:
    found = _PERSON.match(request.text.strip())
    person = await ctx.session.get(Person, int(found.group(1))) if found else None
    if person is None:
        return Reply(not_found=True).paragraph(ctx._("I know nobody by that number."))
    if person.claimed_delegation_id is None:
        return Reply().paragraph(
            ctx._("{name} waits for no confirmation.").format(name=person.display_name)
        )
    if not _may_manage(ctx, person.claimed_delegation_id):
        await ctx.audit("admit", f"person {person.id}", allowed=False)
        return Reply().paragraph(ctx._("Only its focal point or the Chair's office can see that."))
    return person


@command("admit", usage="/admit PERSON", roles=MANAGERS, listed=False, personal=True)
async def admit(ctx: Context, request: Request) -> Reply:
    """Confirm that someone belongs to your delegation."""
    person = await _claimant(ctx, request)
    if isinstance(person, Reply):
        return person
    delegation_id = membership.confirm(person)
    await ctx.audit("admit", f"person {person.id}", after={"delegation_id": delegation_id})
    return Reply().paragraph(
        ctx._("Confirmed: {name} belongs to {delegation}.").format(
            name=person.display_name, delegation=_name(ctx, delegation_id)
        )
    )


@command("decline", usage="/decline PERSON", roles=MANAGERS, listed=False, personal=True)
async def decline(ctx: Context, request: Request) -> Reply:
    """Decline someone's claim to belong to your delegation."""
    person = await _claimant(ctx, request)
    if isinstance(person, Reply):
        return person
    delegation = _name(ctx, person.claimed_delegation_id)
    membership.decline(person)
    await ctx.audit("decline", f"person {person.id}")
    return Reply().paragraph(
        ctx._("Declined: {name} does not belong to {delegation}.").format(
            name=person.display_name, delegation=delegation
        )
    )
