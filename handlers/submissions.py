"""Focal points submit their delegation's positions: pick the issue, send the text, see the
preview, confirm. Each submission is a new version; followers are told."""

from __future__ import annotations

import re

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply, italic
from bot.core.timefmt import short_date
from handlers.announcements import raw_arguments
from handlers.letters import attached_text
from storage import follows, positions
from storage.directory import IssueName
from storage.models import Position, PositionVersion, Role

FOCAL_POINTS = frozenset({Role.FOCAL_POINT})
MAX_LENGTH = 4000  # one message on every platform, with its heading
_SOURCE = re.compile(r"\s*\bsource:\s*(\S{1,200})\s*$", re.I)
_CONFIRM = "confirm"
_CANCEL = "cancel"


def _split_source(text: str) -> tuple[str, list[str]]:
    """The text without a trailing "source: A/69/L.92", and the source (if any)."""
    found = _SOURCE.search(text)
    if not found:
        return text, []
    return text[: found.start()].rstrip(), [found.group(1)]


def _issue_first(ctx: Context, text: str) -> tuple[IssueName | None, str]:
    """The key issue the text starts with (by key or alias word), and the rest."""
    first, _, rest = text.partition(" ")
    issues = ctx.names.mentions(first).issues
    return (issues[0], rest.strip()) if issues else (None, text)


def _pick_issue(ctx: Context) -> Reply:
    reply = Reply().paragraph(ctx._("Which key issue is your position on?"))
    for issue in ctx.names.issues.values():
        reply.button_row(Button(issue_name(ctx, issue), f"/submit {issue.key}"))
    return reply


@command("submit", usage="/submit ISSUE TEXT [source: SYMBOL]", roles=FOCAL_POINTS, personal=True)
async def submit(ctx: Context, request: Request) -> Reply:
    """Submit your delegation's position on a key issue (a new version)."""
    delegation = ctx.names.delegations.get(ctx.person.delegation_id or -1)
    if delegation is None:
        return Reply().paragraph(ctx._("You act for no delegation: ask the Chair's office."))
    text = raw_arguments(ctx)
    if not text:
        return _pick_issue(ctx)
    if text.casefold() == _CANCEL:
        return Reply().paragraph(ctx._("Nothing was stored."))
    issue, rest = _issue_first(ctx, text)
    if issue is None:
        other = ctx.names.mentions(text.partition(" ")[0]).delegations
        if other and other[0][0].id != delegation.id:
            await ctx.audit("submit", f"for {other[0][0].key}", allowed=False)
            return Reply().paragraph(
                ctx._("You act for {mine}: you cannot submit for {other}.").format(
                    mine=delegation.name, other=other[0][0].name
                )
            )
        return (
            Reply(not_found=True)
            .paragraph(ctx._("Start with the key issue: /submit veto TEXT."))
            .button_row(*(Button(i.key, f"/submit {i.key}") for i in ctx.names.issues.values()))
        )
    rest = rest or attached_text(ctx) or ""  # the text of a .txt/.md document sent with it
    confirmed = rest.startswith(_CONFIRM + " ") or rest == _CONFIRM
    body, sources = _split_source(rest.removeprefix(_CONFIRM).strip() if confirmed else rest)
    if not body:
        return Reply().paragraph(
            ctx._(
                "Send the text of your position: /submit {issue} TEXT [source: A/69/L.92]."
            ).format(issue=issue.key)
        )
    if len(body) > MAX_LENGTH:
        return Reply().paragraph(
            ctx._("That position is {length} characters long; the limit is {limit}.").format(
                length=ctx.tr.number(len(body)), limit=ctx.tr.number(MAX_LENGTH)
            )
        )
    if not confirmed:
        return _preview(ctx, delegation.name, issue, body, sources, rest)
    version = await positions.add_version(
        ctx.session, delegation.id, issue.id, body, ctx.today, sources, ctx.person.id, ctx.now
    )
    if version is None:
        return Reply().paragraph(ctx._("That is already your latest version: nothing changed."))
    await ctx.audit("submit", f"{delegation.key}/{issue.key}", after={"version": version.number})
    told = await follows.tell_followers(ctx.session, version, ctx.person.id, ctx.now)
    return (
        Reply()
        .paragraph(
            ctx._("Submitted: version {number} of {holder} on {issue}.").format(
                number=version.number, holder=delegation.name, issue=issue_name(ctx, issue)
            )
        )
        .note(
            ctx.tr.ngettext("{count} follower told.", "{count} followers told.", told).format(
                count=told
            )
        )
    )


def _preview(
    ctx: Context, holder: str, issue: IssueName, body: str, sources: list[str], rest: str
) -> Reply:
    reply = Reply().heading(
        ctx._("Preview: {holder} on {issue}").format(holder=holder, issue=issue_name(ctx, issue))
    )
    for paragraph in body.split("\n\n"):
        reply.paragraph(paragraph)
    if sources:
        reply.note(ctx._("Source: {source}").format(source=sources[0]))
    reply.note(ctx._("Nothing is stored before you confirm."))
    return reply.button_row(
        Button(ctx._("Confirm"), f"/submit {issue.key} {_CONFIRM} {rest}"),
        Button(ctx._("Cancel"), f"/submit {_CANCEL}"),
    )


async def version_notice(ctx: Context, version: PositionVersion) -> Reply:
    """What a follower is told of a new version."""
    position = await ctx.session.get(Position, version.position_id)
    holder = ctx.names.delegations[position.delegation_id]
    issue = ctx.names.issues[position.key_issue_id]
    reply = Reply().heading(
        ctx._("New position: {holder} on {issue}").format(
            holder=holder.name, issue=issue_name(ctx, issue)
        )
    )
    for paragraph in version.text.split("\n\n"):
        reply.paragraph(paragraph)
    stated = short_date(version.stated_on, ctx.tr) if version.stated_on else "—"
    reply.note(
        ctx._("Version {number}, stated {date}").format(number=version.number, date=stated),
        *([" · ", italic(version.sources[0])] if version.sources else []),
    )
    return reply.button_row(
        Button(ctx._("History"), f"/history {holder.key} {issue.key}"),
        Button(ctx._("Unfollow"), f"/unfollow {holder.key}"),
    )
