"""Corrections of sent announcements: previewed, then confirmed; sent messages are edited where
the platform allows, and those not yet sent carry the new text."""

from __future__ import annotations

import re

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.drafts import draft_kind
from bot.core.messages import Reply
from handlers.announcement_text import MAX_LENGTH, compose
from handlers.announcements import announcement_of, typed_confirmation
from handlers.roles import CHAIR_ONLY
from storage import announcements, wording
from storage.models import Announcement, AnnouncementStatus, Draft

KIND = "correction"


@command("correct", usage="/correct ID TEXT", roles=CHAIR_ONLY, personal=True)
async def correct(ctx: Context, request: Request) -> Reply:
    """Correct an announcement: sent messages are edited where the platform allows."""
    text = ctx.raw_arguments
    found = re.match(r"^#?(\d{1,9})(?:\s+(.*))?$", text, re.S)
    if not found:
        return Reply().paragraph(ctx._("Which announcement? /correct ID TEXT."))
    announcement = await ctx.session.get(Announcement, int(found.group(1)))
    if announcement is None or announcement.status != AnnouncementStatus.CONFIRMED:
        return Reply(not_found=True).paragraph(
            ctx._("There is no sent announcement #{id}.").format(id=found.group(1))
        )
    new_text = (found.group(2) or "").strip()
    if new_text.lower() == "confirm":
        return await typed_confirmation(ctx, KIND, announcement)
    if not new_text or len(new_text) > MAX_LENGTH:
        return Reply().paragraph(
            ctx._("Give the corrected text, up to {limit} characters: /correct {id} TEXT.").format(
                limit=ctx.tr.number(MAX_LENGTH), id=announcement.id
            )
        )
    draft = await drafts.propose(
        ctx,
        KIND,
        {"announcement_id": announcement.id, "text": new_text},
        f"announcement:{announcement.id}",
    )
    reply = Reply().heading(ctx._("Preview of the correction"))
    changed = wording.changes(announcement.text, new_text)
    reply.blocks.extend(compose(ctx, new_text, True, True, changed).blocks)
    return reply.paragraph(
        ctx._(
            "Messages already sent are edited where the platform allows; otherwise the "
            "correction is sent as a new message."
        )
    ).button_row(*drafts.buttons(ctx, draft, ctx._("Confirm correction")))


@draft_kind(KIND, roles=CHAIR_ONLY)
async def send_correction(ctx: Context, draft: Draft) -> Reply:
    """A confirmed correction: sent messages edited, those not yet sent carry the new text."""
    announcement = await announcement_of(ctx, draft)
    if announcement is None or announcement.status != AnnouncementStatus.CONFIRMED:
        return Reply(not_found=True).paragraph(
            ctx._("There is no sent announcement #{id}.").format(
                id=draft.payload["announcement_id"]
            )
        )
    before = announcement.text
    count = await announcements.correct(ctx.session, announcement, draft.payload["text"], ctx.now)
    await ctx.audit(
        "correct announcement", f"announcement {announcement.id}", before, announcement.text
    )
    return Reply().paragraph(
        ctx.tr.ngettext(
            "Corrected. {count} message already sent is being corrected.",
            "Corrected. {count} messages already sent are being corrected.",
            count,
        ).format(count=ctx.tr.number(count))
    )
