"""Positions: what a State or group says on a key issue, and everyone's positions on one."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name, names_list
from bot.core.i18n import N_
from bot.core.issue_names import issue_label, issue_name
from bot.core.messages import Button, Reply, bold
from bot.core.timefmt import short_date
from handlers.choices import pick_delegation, pick_issue
from handlers.paging import PAGE_SIZE, turn_pages, window
from handlers.sources import add_sources
from storage import positions
from storage.directory import DelegationName, IssueName
from storage.models import DelegationKind
from storage.positions import CurrentPosition


def stated(ctx: Context, current: CurrentPosition) -> str:
    version = current.version
    parts = []
    if version.stated_on:
        parts.append(ctx._("Stated {date}").format(date=short_date(version.stated_on, ctx.tr)))
    if current.version_count > 1:
        parts.append(ctx._("version {number}").format(number=current.version_count))
    return " · ".join(parts)


@command("positions", usage=N_("/positions ISSUE"))
async def positions_on_issue(ctx: Context, request: Request) -> Reply:
    """Every State's and group's position on one key issue."""
    issue = pick_issue(ctx, request, "/positions")
    if isinstance(issue, Reply):
        return issue
    limit, offset = window(request)
    found = await positions.on_issue(
        ctx.session, issue.id, limit=limit, offset=offset, as_of=ctx.today
    )
    reply = Reply().heading(ctx._("Positions on {issue}").format(issue=issue_name(ctx, issue)))
    if not found:
        return reply.paragraph(ctx._("No position has been submitted on this key issue yet."))
    for current in found[:PAGE_SIZE]:
        reply.item(bold(holder_name(ctx, current.delegation)), ": ", current.version.text)
        reply.note(stated(ctx, current))
    for current in found[:PAGE_SIZE]:
        reply.button_row(
            Button(
                holder_name(ctx, current.delegation),
                f"/position {current.delegation.key} {issue.key}",
            )
        )
    turn_pages(ctx, reply, f"/positions {issue.key}", request, len(found))
    return reply


@command("position", usage=N_("/position STATE-OR-GROUP [ISSUE]"))
async def position_of(ctx: Context, request: Request) -> Reply:
    """What one State or group says, on one key issue or on all of them.

    A State without a position of its own is shown its groups' positions."""
    holder = pick_delegation(ctx, request, "/position")
    if isinstance(holder, Reply):
        return holder
    issue = request.issues[0] if request.issues else None
    found = await positions.of_delegation(
        ctx.session, holder.id, issue.id if issue else None, ctx.today
    )
    name = holder_name(ctx, holder)
    if not found and holder.kind != DelegationKind.GROUP:
        through = await _through_groups(ctx, holder, issue)
        if through is not None:
            return through
    if issue is not None and not found:
        return (
            Reply()
            .paragraph(
                ctx._("{holder}: no position on {issue} on record.").format(
                    holder=name, issue=issue_name(ctx, issue)
                )
            )
            .button_row(
                Button(
                    ctx._("All positions of {holder}").format(holder=name),
                    f"/position {holder.key}",
                ),
                Button(
                    ctx._("Others on {issue}").format(issue=issue_label(ctx, issue)),
                    f"/positions {issue.key}",
                ),
            )
        )
    if not found:
        return Reply().paragraph(ctx._("{holder}: no position on record yet.").format(holder=name))
    reply = Reply()
    await _show(ctx, reply, name, found)
    if issue is not None and holder.kind == DelegationKind.GROUP:
        await _members_positions(ctx, reply, holder, issue)
    if issue is not None:
        reply.button_row(
            Button(
                ctx._("Others on {issue}").format(issue=issue_label(ctx, issue)),
                f"/positions {issue.key}",
            )
        )
    return reply


async def _show(ctx: Context, reply: Reply, name: str, found: list[CurrentPosition]) -> None:
    for current in found:
        reply.heading(
            ctx._("{holder} on {issue}").format(
                holder=name, issue=issue_name(ctx, current.key_issue)
            )
        )
        reply.paragraph(current.version.text)
        reply.note(stated(ctx, current))
        await add_sources(ctx, reply, current.version.sources)


async def _through_groups(
    ctx: Context, state: DelegationName, issue: IssueName | None
) -> Reply | None:
    """A State without a position of its own: its groups' positions, said to be theirs."""
    groups = ctx.names.groups_of(state)
    held = [
        (group, found)
        for group in groups
        if (
            found := await positions.of_delegation(
                ctx.session, group.id, issue.id if issue else None, ctx.today
            )
        )
    ]
    if not held:
        return None
    name = holder_name(ctx, state)
    reply = Reply().paragraph(
        ctx._("{state}: no position of its own on record; its groups' positions:").format(
            state=name
        )
    )
    for group, found in held:
        await _show(ctx, reply, holder_name(ctx, group), found)
        reply.button_row(Button(holder_name(ctx, group), f"/group {group.key}"))
    return reply


async def _members_positions(
    ctx: Context, reply: Reply, group: DelegationName, issue: IssueName
) -> None:
    """A group's members' own positions on the issue, next to the group's."""
    members = ctx.names.members_of(group)
    found = [
        current
        for member in members
        for current in await positions.of_delegation(ctx.session, member.id, issue.id, ctx.today)
    ]
    if found:
        reply.paragraph(bold(ctx._("Members' own positions:")))
    for current in found:
        reply.item(bold(holder_name(ctx, current.delegation)), ": ", current.version.text)
        reply.note(stated(ctx, current))


@command("submitted", usage=N_("/submitted ISSUE"))
async def who_submitted(ctx: Context, request: Request) -> Reply:
    """Who has submitted a position on a key issue, and which groups have not."""
    issue = pick_issue(ctx, request, "/submitted")
    if isinstance(issue, Reply):
        return issue
    held = await positions.holders_on_issue(ctx.session, issue.id, ctx.today)
    everyone = list(ctx.names.delegations.values())
    have = sorted(holder_name(ctx, d) for d in everyone if d.id in held)
    groups_without = sorted(
        holder_name(ctx, d) for d in everyone if d.kind == DelegationKind.GROUP and d.id not in held
    )
    states_without = sum(1 for d in everyone if d.kind != DelegationKind.GROUP and d.id not in held)
    reply = Reply().heading(issue_name(ctx, issue))
    reply.item(ctx._("Submitted: "), names_list(ctx, have) or ctx._("nobody yet"))
    reply.item(ctx._("Groups that have not: "), names_list(ctx, groups_without) or "—")
    reply.item(
        ctx.tr.ngettext(
            "{count} State has no position of its own.",
            "{count} States have no position of their own.",
            states_without,
        ).format(count=ctx.tr.number(states_without))
    )
    return reply.button_row(
        Button(
            ctx._("Positions on {issue}").format(issue=issue_label(ctx, issue)),
            f"/positions {issue.key}",
        )
    )
