"""Greeting and help: what Plenary does and which commands the asker may use."""

from __future__ import annotations

from bot.core.commands import available_to, command
from bot.core.context import Context, Request
from bot.core.messages import Button, Reply, bold
from bot.core.timefmt import venue_and_reader_time
from handlers.consent import resume
from handlers.roles import register
from storage import codes


def greeting(ctx: Context) -> Reply:
    """Hello, what Plenary does in three lines, and where the clock stands on a demo."""
    name = ctx.programme.get("name", "")
    reply = Reply().heading(ctx._("Welcome to Plenary"))
    if name:
        reply.paragraph(ctx._("I follow the {programme}.").format(programme=name))
    reply.item(ctx._("Ask me when the next meeting is, or what is on a given day."))
    reply.item(
        ctx._(
            "Ask what a State or group says on a key issue, e.g. "
            "“what does the G4 say about the veto?”"
        )
    )
    reply.item(ctx._("Type /help to see every command."))
    if ctx.clock.shifted:
        reply.note(
            ctx._("Demo clock: it is now {now}.").format(
                now=venue_and_reader_time(ctx.now, ctx.venue_zone, None, ctx.tr)
            )
        )
    return reply.button_row(
        Button(ctx._("Next meeting"), "/next"),
        Button(ctx._("Key issues"), "/issues"),
        Button(ctx._("Settings"), "/settings"),
    )


@command("start", personal=True)  # an invitation code, or messages resumed: never cached
async def start(ctx: Context, request: Request) -> Reply:
    """Start here: what Plenary does."""
    if codes.SHAPE.match(request.text.strip()):  # t.me/<bot>?start=CODE: an invitation
        return await register(ctx, request)
    reply = greeting(ctx)
    if await resume(ctx):
        reply.blocks.insert(1, Reply().paragraph(ctx._("Messages resume.")).blocks[0])
    return reply


@command("help")
async def help_text(ctx: Context, request: Request) -> Reply:
    """Every command you can use."""
    reply = Reply().heading(ctx._("What I can do"))
    for item in available_to(ctx.role):
        reply.item(bold(ctx._(item.usage)), " — ", ctx._(item.summary))
    reply.paragraph(
        ctx._(
            "You can also ask in plain words: “when is the next meeting?”, "
            "“what's on 22 February?”, “who is in UfC?”."
        )
    )
    return reply
