"""Whether Plenary may write to you: /stop ends every message it would send unasked, /start
resumes them, /forget erases everything it holds about you."""

from __future__ import annotations

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.drafts import draft_kind
from bot.core.messages import Button, Reply
from storage import people
from storage.models import Draft

FORGET = "forget"


@command("stop", personal=True)
async def stop(ctx: Context, request: Request) -> Reply:
    """Stop every message Plenary sends unasked (reminders, notices, announcements)."""
    person = await ctx.person_for_update()
    if person.stopped_at is None:
        person.stopped_at = ctx.now
        await ctx.audit("stop", f"person {person.id}")
    return (
        Reply()
        .paragraph(
            ctx._(
                "Done: Plenary sends you nothing more unless you ask. Your subscriptions "
                "and settings are kept; /start resumes the messages."
            )
        )
        .paragraph(ctx._("/forget erases everything Plenary holds about you."))
        .button_row(Button(ctx._("Resume messages"), "/start"))
    )


async def resume(ctx: Context) -> bool:
    """Messages resume for someone who had stopped them; True if they had."""
    person = await ctx.person_for_update()
    if person.stopped_at is None:
        return False
    person.stopped_at = None
    await ctx.audit("resume", f"person {person.id}")
    return True


@command("forget", personal=True)
async def forget(ctx: Context, request: Request) -> Reply:
    """Erase everything Plenary holds about you, after a confirmation."""
    person = await ctx.person_for_update()
    draft = await drafts.propose(ctx, FORGET, {"person_id": person.id}, f"person:{person.id}")
    return (
        Reply()
        .heading(ctx._("Erase everything Plenary holds about you?"))
        .paragraph(
            ctx._(
                "Your accounts, settings, subscriptions, follows and any role you hold are "
                "erased; positions you submitted stay, without your name. Plenary will not "
                "write to you again unless you write first."
            )
        )
        .button_row(*drafts.buttons(ctx, draft, ctx._("Erase")))
    )


@draft_kind(FORGET)
async def erase(ctx: Context, draft: Draft) -> Reply:
    """A confirmed /forget: the person is erased (audited without what they held)."""
    person_id = draft.payload["person_id"]
    await ctx.audit("forget", f"person {person_id}")
    await people.forget(ctx.session, person_id)
    ctx.person = None
    return Reply().paragraph(
        ctx._("Erased. Plenary holds nothing more about you. Goodbye, and welcome back anytime.")
    )
