"""Focal points submit their delegation's positions: pick the issue, send the text, see the
preview, confirm. Each submission is a new version; followers are told."""

from __future__ import annotations

import re

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.drafts import draft_kind
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply, italic
from bot.core.timefmt import short_date
from handlers.attachments import AttachmentRefused, attached_document, keep, refusal_text
from handlers.drafts import confirm_taken, discard_taken, take
from storage import follows, positions
from storage.directory import DelegationName, IssueName
from storage.drafts import latest_open
from storage.models import Draft, Position, PositionVersion, Role

FOCAL_POINTS = frozenset({Role.FOCAL_POINT})
MAX_LENGTH = 4000  # one message on every platform, with its heading
# "source: A/69/L.92" at the end, bracketed as /help writes it or not.
_SOURCE = re.compile(r"\s*\[?\s*\bsource:\s*([^\[\]]{1,200}?)\s*\]?\s*$", re.I)
_FOR = re.compile(r"^(?:for|on behalf of)\s+([^:]{1,80}):\s*", re.I)
_CONFIRM = "confirm"
_CANCEL = "cancel"
KIND = "position"


def _split_source(text: str) -> tuple[str, list[str]]:
    """The text without a trailing "[source: A/69/L.92]", and the source (if any)."""
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


async def _not_for_you(ctx: Context, mine: DelegationName, other: DelegationName) -> Reply:
    await ctx.audit("submit", f"for {other.key}", allowed=False)
    return Reply().paragraph(
        ctx._("You act for {mine}: you cannot submit for {other}.").format(
            mine=mine.name, other=other.name
        )
    )


@command(
    "submit",
    usage="/submit ISSUE TEXT [source: SYMBOL] | confirm | cancel",
    roles=FOCAL_POINTS,
    personal=True,
)
async def submit(ctx: Context, request: Request) -> Reply:
    """Submit your delegation's position on a key issue (a new version)."""
    delegation = ctx.names.delegations.get(ctx.person.delegation_id or -1)
    if delegation is None:
        return Reply().paragraph(ctx._("You act for no delegation: ask the Chair's office."))
    text = ctx.raw_arguments
    if not text:
        return _pick_issue(ctx)
    if text.casefold() in (_CONFIRM, _CANCEL):
        return await _typed_answer(ctx, text.casefold())
    issue, rest = _issue_first(ctx, text)
    if issue is None:
        other = ctx.names.mentions(text.partition(" ")[0]).delegations
        if other and other[0][0].id != delegation.id:
            return await _not_for_you(ctx, delegation, other[0][0])
        return (
            Reply(not_found=True)
            .paragraph(ctx._("Start with the key issue: /submit veto TEXT."))
            .button_row(
                *(Button(issue_name(ctx, i), f"/submit {i.key}") for i in ctx.names.issues.values())
            )
        )
    behalf = _FOR.match(rest)
    if behalf:
        named = ctx.names.mentions(behalf.group(1)).delegations
        if not named or named[0][0].id != delegation.id:
            other = named[0][0] if named else None
            if other is None:
                return Reply().paragraph(
                    ctx._("You act for {mine}: a position is always your delegation's.").format(
                        mine=delegation.name
                    )
                )
            return await _not_for_you(ctx, delegation, other)
        rest = rest[behalf.end() :]
    try:  # the text of a document sent with it
        read = None if rest else attached_document(ctx)
    except AttachmentRefused as error:
        return Reply().paragraph(refusal_text(ctx.tr, error))
    body, sources = _split_source(read.text if read else rest)
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
    if read is not None:
        sources.append((await keep(ctx, read)).key)
    payload = {
        "delegation_id": delegation.id,
        "key_issue_id": issue.id,
        "text": body,
        "sources": sources,
    }
    draft = await drafts.propose(ctx, KIND, payload, f"{delegation.id}/{issue.id}")
    return _preview(ctx, delegation.name, issue, body, sources, draft)


async def _typed_answer(ctx: Context, answer: str) -> Reply:
    """ "/submit confirm" or "/submit cancel": the asker's latest preview, as its buttons."""
    draft = await latest_open(ctx.session, KIND, drafts.author(ctx), ctx.now)
    if draft is None:
        return Reply().paragraph(
            ctx._("No preview is waiting: /submit ISSUE TEXT shows one."),
            " ",
            ctx._("Nothing was stored."),
        )
    if answer == _CANCEL:
        return await discard_taken(ctx, await take(ctx, draft.token, "discarded"))
    return await confirm_taken(ctx, await take(ctx, draft.token, "confirmed"))


def _preview(
    ctx: Context,
    holder: str,
    issue: IssueName,
    body: str,
    sources: list[str],
    draft: Draft,
) -> Reply:
    reply = Reply().heading(
        ctx._("Preview: {holder} on {issue}").format(holder=holder, issue=issue_name(ctx, issue))
    )
    for paragraph in body.split("\n\n"):
        reply.paragraph(paragraph)
    if sources:
        reply.note(ctx._("Source: {source}").format(source=sources[0]))
    reply.note(ctx._("Nothing is stored before you confirm (or type /submit confirm)."))
    return reply.button_row(*drafts.buttons(ctx, draft))


@draft_kind(KIND, roles=FOCAL_POINTS)
async def store_submission(ctx: Context, draft: Draft) -> Reply:
    """A confirmed submission: a new version of the delegation's position, followers told."""
    payload = draft.payload
    delegation = ctx.names.delegations.get(payload["delegation_id"])
    issue = ctx.names.issues.get(payload["key_issue_id"])
    if delegation is None or issue is None or ctx.person.delegation_id != delegation.id:
        await ctx.audit("submit", f"draft {draft.id}", allowed=False)
        return Reply().paragraph(
            ctx._("You no longer act for that delegation."), " ", ctx._("Nothing was stored.")
        )
    version = await positions.add_version(
        ctx.session,
        delegation.id,
        issue.id,
        payload["text"],
        ctx.today,
        payload["sources"],
        ctx.person.id,
        ctx.now,
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
