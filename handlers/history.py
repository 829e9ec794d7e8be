"""A position's history with a word-level diff, and two delegations compared on one issue."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply, Span, bold, italic
from bot.core.timefmt import short_date
from handlers.choices import pick_delegation, pick_issue
from handlers.positions import stated
from storage import positions

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


@command("history", usage="/history STATE-OR-GROUP ISSUE [FROM TO]")
async def history(ctx: Context, request: Request) -> Reply:
    """Every version of a position, and what changed between two of them."""
    holder = pick_delegation(ctx, request, "/history")
    if isinstance(holder, Reply):
        return holder
    issue = pick_issue(ctx, request, f"/history {holder.key}")
    if isinstance(issue, Reply):
        return issue
    found = await positions.versions(ctx.session, holder.id, issue.id)
    if not found:
        return Reply().paragraph(
            ctx._("{holder} has no position on {issue} on record.").format(
                holder=holder.name, issue=issue_name(ctx, issue)
            )
        )
    reply = Reply().heading(
        ctx._("History: {holder} on {issue}").format(
            holder=holder.name, issue=issue_name(ctx, issue)
        )
    )
    for version, author in found:
        day = short_date(version.stated_on, ctx.tr) if version.stated_on else "—"
        reply.item(
            bold(ctx._("Version {number}").format(number=version.number)),
            f" · {day}",
            f" · {author}" if author else "",
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


@command("compare", usage="/compare STATE and STATE on ISSUE")
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
    reply = Reply().heading(
        ctx._("{a} and {b} on {issue}").format(
            a=holders[0].name, b=holders[1].name, issue=issue_name(ctx, issue)
        )
    )
    for holder in holders:
        reply.paragraph(bold(holder.name))
        found = await positions.of_delegation(ctx.session, holder.id, issue.id)
        if found:
            reply.paragraph(found[0].version.text)
            reply.note(stated(ctx, found[0]))
        else:
            reply.paragraph(italic(ctx._("No position on record.")))
    return reply.button_row(
        *(
            Button(
                ctx._("History: {holder}").format(holder=h.name), f"/history {h.key} {issue.key}"
            )
            for h in holders
        )
    )
