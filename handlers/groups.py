"""Groups of States: who is in them, what they are, and which groups a State is in."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name, names_list
from bot.core.i18n import N_
from bot.core.messages import Button, Reply
from handlers.choices import pick_delegation
from storage.directory import DelegationName
from storage.models import DelegationKind


def groups_of_state(ctx: Context, state: DelegationName) -> Reply:
    name = holder_name(ctx, state)
    groups = ctx.names.groups_of(state)
    if not groups:
        return Reply().paragraph(ctx._("{state}: in no group on record.").format(state=name))
    reply = Reply().heading(ctx._("Groups {state} belongs to").format(state=name))
    for group in groups:
        reply.item(holder_name(ctx, group))
        reply.button_row(Button(holder_name(ctx, group), f"/group {group.key}"))
    return reply


@command("group", usage=N_("/group GROUP-OR-STATE"))
async def group_members(ctx: Context, request: Request) -> Reply:
    """What a group of States is and who belongs to it (or which groups a State is in)."""
    found = pick_delegation(ctx, request, "/group")
    if isinstance(found, Reply):
        return found
    if found.kind != DelegationKind.GROUP:
        return groups_of_state(ctx, found)
    name = holder_name(ctx, found)
    reply = Reply().heading(name)
    members = sorted(holder_name(ctx, member) for member in ctx.names.members_of(found))
    if members:
        reply.paragraph(
            ctx.tr.ngettext("{count} member:", "{count} members:", len(members)).format(
                count=len(members)
            )
        )
        reply.paragraph(names_list(ctx, members))
    else:
        reply.paragraph(ctx._("No list of members is on record."))
    if found.note:
        reply.note(found.note)
    return reply.button_row(
        Button(ctx._("Positions of {group}").format(group=name), f"/position {found.key}")
    )


@command("groups")
async def all_groups(ctx: Context, request: Request) -> Reply:
    """The groups of States on record."""
    reply = Reply().heading(ctx._("Groups"))
    groups = [d for d in ctx.names.delegations.values() if d.kind == DelegationKind.GROUP]
    for group in groups:
        reply.item(holder_name(ctx, group))
        reply.button_row(Button(holder_name(ctx, group), f"/group {group.key}"))
    return reply
