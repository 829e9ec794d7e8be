"""A position's history with a word-level diff, and two delegations compared on one issue."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name
from bot.core.i18n import N_
from bot.core.issue_names import issue_label, issue_name
from bot.core.messages import Button, Reply, Span, bold, italic
from bot.core.timefmt import short_date
from handlers.choices import pick_delegation, pick_issue
from handlers.positions import stated
from handlers.sources import known_sources
from storage import positions
from storage.directory import DelegationName, IssueName

_NUMBERS = re.compile(r"\b(\d{1,4})\s+(\d{1,4})\s*$")


def word_diff(old: str, new: str) -> list[Span]:
    """The new text with removed words in italics, struck as [−…], and added ones in bold."""
    before, after = old.split(), new.split()
    spans: list[Span] = []
    for tag, a1, a2, b1, b2 in SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            spans.append(Span(" ".join(after[b1:b2]) + " "))
            continue
        if a2 > a1:
            spans.append(italic("[−" + " ".join(before[a1:a2]) + "] "))
        if b2 > b1:
            spans.append(bold("[+" + " ".join(after[b1:b2]) + "] "))
    return spans


async def _latest_change(ctx: Context, holder: DelegationName) -> IssueName | Reply:
    """The key issue on which a holder's position changed last; or, if none has changed, a
    reply saying so."""
    held = await positions.of_delegation(ctx.session, holder.id, as_of=ctx.today)
    changed = [p for p in held if p.version_count > 1]
    if changed:
        latest = max(changed, key=lambda p: p.version.created_at)
        return ctx.names.issues[latest.key_issue.id]
    name = holder_name(ctx, holder)
    if not held:
        return Reply().paragraph(ctx._("{holder}: no position on record yet.").format(holder=name))
    reply = Reply().paragraph(
        ctx._("{holder}: no position has changed since it was first stated.").format(holder=name)
    )
    for current in held:
        reply.button_row(
            Button(
                issue_label(ctx, current.key_issue),
                f"/history {holder.key} {current.key_issue.key}",
            )
        )
    return reply


@command("history", usage=N_("/history STATE-OR-GROUP [ISSUE] [FROM TO]"))
async def history(ctx: Context, request: Request) -> Reply:
    """Every version of a position, and what changed (without a key issue: the latest change)."""
    holder = pick_delegation(ctx, request, "/history")
    if isinstance(holder, Reply):
        return holder
    issue = request.issues[0] if request.issues else await _latest_change(ctx, holder)
    if isinstance(issue, Reply):
        return issue
    found = await positions.versions(ctx.session, holder.id, issue.id, ctx.today)
    name = holder_name(ctx, holder)
    if not found:
        return Reply().paragraph(
            ctx._("{holder}: no position on {issue} on record.").format(
                holder=name, issue=issue_name(ctx, issue)
            )
        )
    reply = Reply().heading(
        ctx._("History: {holder} on {issue}").format(holder=name, issue=issue_name(ctx, issue))
    )
    cited = list(dict.fromkeys(key for version, _ in found for key in version.sources or []))
    known, documents = await known_sources(ctx, cited)
    for version, author in found:
        day = short_date(version.stated_on, ctx.tr) if version.stated_on else "—"
        sources = [
            documents[key].title if key in documents else key
            for key in version.sources or []
            if key in known
        ]
        said = (
            "; ".join(sources)
            if sources
            else ctx._("submitted by {name}").format(name=author)
            if author
            else ""
        )
        reply.item(
            bold(ctx._("Version {number}").format(number=version.number)),
            f" · {day}",
            f" · {said}" if said else "",
        )
    numbers = _NUMBERS.search(request.text)
    first, last = (
        (int(numbers.group(1)), int(numbers.group(2)))
        if numbers
        else (
            len(found) - 1,
            len(found),
        )
    )
    by_number = {version.number: version for version, _ in found}
    if first in by_number and last in by_number and first != last:
        reply.paragraph(bold(ctx._("Changes from version {a} to {b}:").format(a=first, b=last)))
        reply.paragraph(*word_diff(by_number[first].text, by_number[last].text))
    elif len(found) == 1:
        reply.paragraph(found[0][0].text)
    return reply


@command("compare", usage=N_("/compare STATE and STATE on ISSUE"))
async def compare(ctx: Context, request: Request) -> Reply:
    """Two States' or groups' positions on one key issue, side by side."""
    holders = [names[0] for names in request.delegations if len(names) == 1][:2]
    if len(holders) < 2:
        return Reply().paragraph(
            ctx._("Compare whom? E.g. /compare Italy and India on categories of membership.")
        )
    issue = pick_issue(ctx, request, f"/compare {holders[0].key} {holders[1].key}")
    if isinstance(issue, Reply):
        return issue
    names = [holder_name(ctx, holder) for holder in holders]
    reply = Reply().heading(
        ctx._("{a} and {b} on {issue}").format(a=names[0], b=names[1], issue=issue_name(ctx, issue))
    )
    for holder, name in zip(holders, names, strict=True):
        reply.paragraph(bold(name))
        found = await positions.of_delegation(ctx.session, holder.id, issue.id, ctx.today)
        if found:
            reply.paragraph(found[0].version.text)
            reply.note(stated(ctx, found[0]))
        else:
            reply.paragraph(italic(ctx._("No position on record.")))
    return reply.button_row(
        *(
            Button(ctx._("History: {holder}").format(holder=n), f"/history {h.key} {issue.key}")
            for h, n in zip(holders, names, strict=True)
        )
    )
