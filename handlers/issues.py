"""Key issues: the five of them, and one in detail."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name, names_list
from bot.core.issue_names import issue_description, issue_label, issue_name
from bot.core.messages import Button, Reply, bold
from handlers.choices import pick_issue
from handlers.meetings import summary_line
from storage import meetings, positions


@command("issues")
async def key_issues(ctx: Context, request: Request) -> Reply:
    """The key issues under negotiation."""
    reply = Reply().heading(ctx._("Key issues"))
    for issue in ctx.names.issues.values():
        name = issue_name(ctx, issue)
        reply.item(bold(name), " — ", issue_description(ctx, issue))
        reply.button_row(Button(name, f"/issue {issue.key}"))
    return reply


@command("issue", usage="/issue ISSUE")
async def key_issue(ctx: Context, request: Request) -> Reply:
    """One key issue: what it is about, its next meetings, who has a position on it."""
    issue = pick_issue(ctx, request, "/issue")
    if isinstance(issue, Reply):
        return issue
    reply = Reply().heading(issue_name(ctx, issue)).paragraph(issue_description(ctx, issue))
    upcoming = await meetings.on_issue(ctx.session, issue.id, ctx.now)
    if upcoming:
        reply.paragraph(ctx._("Upcoming meetings on it:"))
        for meeting in upcoming:
            reply.item(*summary_line(ctx, meeting))
    held = await positions.on_issue(ctx.session, issue.id, as_of=ctx.today)
    if held:
        reply.paragraph(
            ctx._("Positions on record: {names}").format(
                names=names_list(ctx, [holder_name(ctx, p.delegation) for p in held])
            )
        )
    return reply.button_row(
        Button(
            ctx._("Positions on {issue}").format(issue=issue_label(ctx, issue)),
            f"/positions {issue.key}",
        )
    )
