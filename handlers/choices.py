"""Turning what was asked into one key issue or one delegation, or asking the reader to choose."""

from __future__ import annotations

from bot.core.context import Context, Request
from bot.core.holder_names import holder_name
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply
from storage.directory import DelegationName, IssueName


def pick_issue(ctx: Context, request: Request, then: str) -> IssueName | Reply:
    """The key issue named in the request, or a reply offering all five (`then` + key)."""
    if request.issues:
        return request.issues[0]
    text = request.text.strip()
    if text:
        message = ctx._("I know no key issue called “{name}”. The key issues are:").format(
            name=text
        )
    else:
        message = ctx._("Which key issue?")
    reply = Reply(not_found=bool(text)).paragraph(message)
    for issue in ctx.names.issues.values():
        name = issue_name(ctx, issue)
        reply.item(name)
        reply.button_row(Button(name, f"{then} {issue.key}"))
    return reply


def pick_delegation(ctx: Context, request: Request, then: str) -> DelegationName | Reply:
    """The State or group named in the request, or a reply asking which one."""
    if request.delegations:
        candidates = request.delegations[0]
        if len(candidates) == 1:
            return candidates[0]
        reply = Reply().paragraph(ctx._("Which one do you mean?"))
        return _offer(ctx, reply, candidates, then)
    text = request.text.strip()
    if not text:
        return Reply().paragraph(
            ctx._("Which State or group? For example: {example}").format(example=f"{then} G4")
        )
    similar = [
        named
        for named, _score in ctx.names.similar(text, ctx.tr.language)
        if isinstance(named, DelegationName)
    ]
    reply = Reply(not_found=True).paragraph(
        ctx._("I know no State or group called “{name}”.").format(name=text)
    )
    if similar:
        reply.paragraph(ctx._("Did you mean:"))
    return _offer(ctx, reply, similar, then)


def _offer(
    ctx: Context,
    reply: Reply,
    candidates: list[DelegationName] | tuple[DelegationName, ...],
    then: str,
) -> Reply:
    for candidate in candidates:
        reply.item(holder_name(ctx, candidate))
        reply.button_row(Button(holder_name(ctx, candidate), f"{then} {candidate.key}"))
    return reply
