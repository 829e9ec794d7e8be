"""Groups of States: who is in them."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.messages import Button, Reply
from handlers.choices import pick_delegation
from storage.models import DelegationKind


@command("group", usage="/group NAME")
async def group_members(ctx: Context, request: Request) -> Reply:
    """Who belongs to a group of States (or which groups a State belongs to)."""
    found = pick_delegation(ctx, request, "/group")
    if isinstance(found, Reply):
        return found
    if found.kind != DelegationKind.GROUP:
        groups = ctx.names.groups_of(found)
        if not groups:
            return Reply().paragraph(
                ctx._("{state} belongs to no group on record.").format(state=found.name)
            )
        reply = Reply().heading(ctx._("Groups {state} belongs to").format(state=found.name))
        for group in groups:
            reply.item(group.name)
            reply.button_row(Button(group.name, f"/group {group.key}"))
        return reply
    reply = Reply().heading(found.name)
    members = ctx.names.members_of(found)
    if members:
        reply.paragraph(
            ctx.tr.ngettext("{count} member:", "{count} members:", len(members)).format(
                count=len(members)
            )
        )
        reply.paragraph(", ".join(member.name for member in members))
    else:
        reply.paragraph(ctx._("No list of members is on record."))
    if found.note:
        reply.note(found.note)
    return reply.button_row(
        Button(ctx._("Positions of {group}").format(group=found.key), f"/position {found.key}")
    )


@command("groups")
async def all_groups(ctx: Context, request: Request) -> Reply:
    """The groups of States on record."""
    reply = Reply().heading(ctx._("Groups"))
    groups = [d for d in ctx.names.delegations.values() if d.kind == DelegationKind.GROUP]
    for group in groups:
        reply.item(group.name)
        reply.button_row(Button(group.name, f"/group {group.key}"))
    return reply
