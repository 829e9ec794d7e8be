"""Confirming and cancelling previews: every preview's buttons come here, whatever it is."""

from __future__ import annotations

import re

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.drafts import KINDS, author
from bot.core.messages import Reply
from bot.core.timefmt import venue_and_reader_time
from storage import drafts
from storage.drafts import Refusal, Taken
from storage.models import Draft

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,32}$")


def refused(ctx: Context, taken: Taken) -> Reply:
    """Why pressing Confirm or Cancel did nothing."""
    draft = taken.draft
    if taken.refusal == Refusal.NOT_YOURS:
        text = ctx._("This preview belongs to someone else: only its author can confirm it.")
    elif taken.refusal == Refusal.NO_RIGHT:
        text = ctx._("You no longer hold the role this needs.")
    elif taken.refusal == Refusal.EXPIRED and draft is not None:
        text = ctx._("This preview expired at {time}: send the command again.").format(
            time=venue_and_reader_time(draft.expires_at, ctx.venue_zone, ctx.reader_zone, ctx.tr)
        )
    elif taken.refusal == Refusal.CLOSED and draft is not None and draft.outcome == "confirmed":
        text = ctx._("This was confirmed already.")
    elif taken.refusal == Refusal.CLOSED and draft is not None and draft.outcome == "replaced":
        text = ctx._("A newer preview replaced this one: use the buttons of the newest.")
    elif taken.refusal == Refusal.CLOSED:
        text = ctx._("This preview was cancelled.")
    else:
        text = ctx._("This preview no longer exists.")
    return Reply(not_found=taken.refusal == Refusal.UNKNOWN).paragraph(
        text, " ", ctx._("Nothing was done.")
    )


async def _take(ctx: Context, request: Request, outcome: str) -> Taken:
    token = request.text.strip()
    if not _TOKEN.match(token):
        return Taken(None, Refusal.UNKNOWN)
    return await take(ctx, token, outcome)


async def take(ctx: Context, token: str, outcome: str) -> Taken:
    """Take the asker's draft for `outcome`; a refusal of someone else's is audited."""

    def may(draft: Draft) -> bool:
        kind = KINDS.get(draft.kind)
        return kind is not None and (outcome == "discarded" or ctx.role in kind.roles)

    taken = await drafts.take(ctx.session, token, author(ctx), ctx.now, outcome, may)
    if taken.refusal in (Refusal.NOT_YOURS, Refusal.NO_RIGHT) and taken.draft is not None:
        await ctx.audit(f"{outcome} draft", taken.draft.kind, allowed=False)
    return taken


async def confirm_taken(ctx: Context, taken: Taken) -> Reply:
    """Apply a draft just taken for confirmation, or say why not."""
    if taken.refusal is not None or taken.draft is None:
        return refused(ctx, taken)
    return await KINDS[taken.draft.kind].apply(ctx, taken.draft)


async def discard_taken(ctx: Context, taken: Taken) -> Reply:
    """Close a draft just taken for cancellation, or say why not."""
    if taken.refusal is not None or taken.draft is None:
        return refused(ctx, taken)
    undo = KINDS[taken.draft.kind].discard
    if undo is not None:
        await undo(ctx, taken.draft)
    return Reply().paragraph(ctx._("Cancelled: nothing was stored or sent."))


@command("confirm", usage="/confirm CODE", listed=False, personal=True)
async def confirm(ctx: Context, request: Request) -> Reply:
    """Confirm a preview (its Confirm button sends this)."""
    return await confirm_taken(ctx, await _take(ctx, request, "confirmed"))


@command("discard", usage="/discard CODE", listed=False, personal=True)
async def discard(ctx: Context, request: Request) -> Reply:
    """Cancel a preview (its Cancel button sends this)."""
    return await discard_taken(ctx, await _take(ctx, request, "discarded"))
