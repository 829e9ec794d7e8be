"""Following positions: /follow Brazil, /follow veto, /unfollow, /following."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply
from storage import follows
from storage.models import Follow


def _target(ctx: Context, request: Request) -> tuple[int | None, int | None, str] | Reply:
    """(delegation id, issue id, name) of what the request names, or a reply asking."""
    if request.delegations:
        candidates = request.delegations[0]
        if len(candidates) > 1:
            reply = Reply().paragraph(ctx._("Which one do you mean?"))
            for candidate in candidates:
                reply.button_row(Button(holder_name(ctx, candidate), f"/follow {candidate.key}"))
            return reply
        return candidates[0].id, None, holder_name(ctx, candidates[0])
    if request.issues:
        return None, request.issues[0].id, issue_name(ctx, request.issues[0])
    return Reply(not_found=bool(request.text.strip())).paragraph(
        ctx._("Follow whom or what? A State, a group or a key issue: /follow Brazil, /follow veto.")
    )


def _name(ctx: Context, follow: Follow) -> str:
    if follow.delegation_id is not None:
        return holder_name(ctx, ctx.names.delegations[follow.delegation_id])
    return issue_name(ctx, ctx.names.issues[follow.key_issue_id])


@command("follow", usage="/follow STATE-GROUP-OR-ISSUE", personal=True)
async def follow(ctx: Context, request: Request) -> Reply:
    """Be told of every new position of a State or group, or on a key issue."""
    target = _target(ctx, request)
    if isinstance(target, Reply):
        return target
    delegation_id, issue_id, name = target
    person = await ctx.person_for_update()
    added = await follows.follow(ctx.session, person.id, delegation_id, issue_id, ctx.now)
    message = (
        ctx._("You now follow {name}: every new position is sent to you.")
        if added
        else ctx._("You already follow {name}.")
    )
    return (
        Reply()
        .paragraph(message.format(name=name))
        .button_row(Button(ctx._("What I follow"), "/following"))
    )


@command("unfollow", usage="/unfollow [STATE-GROUP-OR-ISSUE]", personal=True)
async def unfollow(ctx: Context, request: Request) -> Reply:
    """Stop following one State, group or key issue, or everything."""
    if ctx.person is None:
        return Reply().paragraph(ctx._("You follow nothing."))
    held = await follows.of_person(ctx.session, ctx.person.id)
    if not request.text.strip():
        removed = await follows.unfollow(ctx.session, ctx.person.id, None)
    else:
        target = _target(ctx, request)
        if isinstance(target, Reply):
            return target
        delegation_id, issue_id, _ = target
        chosen = [
            f.id for f in held if (f.delegation_id, f.key_issue_id) == (delegation_id, issue_id)
        ]
        removed = await follows.unfollow(ctx.session, ctx.person.id, chosen) if chosen else 0
    return Reply().paragraph(
        ctx.tr.ngettext("{count} follow removed.", "{count} follows removed.", removed).format(
            count=removed
        )
    )


@command("following", personal=True)
async def following(ctx: Context, request: Request) -> Reply:
    """Whose positions you follow."""
    held = await follows.of_person(ctx.session, ctx.person.id) if ctx.person else []
    if not held:
        return Reply().paragraph(ctx._("You follow nothing yet: /follow Brazil, or /follow veto."))
    reply = Reply().heading(ctx._("You follow"))
    for follow_ in held:
        reply.item(_name(ctx, follow_))
    return reply
