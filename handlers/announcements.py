"""Announcements from the Chair's office: drafted, previewed with their audience, confirmed,
scheduled or withdrawn."""

from __future__ import annotations

import re

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.dates import NoSuchDay
from bot.core.drafts import draft_kind
from bot.core.messages import Button, Reply, bold
from bot.core.timefmt import venue_and_reader_time
from bot.core.when import NoSuchTime, find_instant
from handlers.announcement_text import (
    MAX_LENGTH,
    announcement_reply,
    audience_summary,
    find_audience,
    sending_time,
)
from handlers.drafts import confirm_taken, take
from handlers.roles import CHAIR_ONLY
from storage import announcements
from storage.announcements import Audience
from storage.directory import DelegationName
from storage.drafts import close_open, latest_open
from storage.models import Announcement, AnnouncementStatus, Draft

_ACTION = re.compile(
    r"^#?(\d{1,9})\s+(confirm|cancel|to|at|now|preview|urgent|noturgent)\b\s*(.*)$", re.I | re.S
)
_AUDIENCE_PREFIX = re.compile(r"^to\s*([^:\n]{0,80}):\s*", re.I)
KIND = "announcement"


def _which(ctx: Context, candidates: tuple[DelegationName, ...], command: str) -> Reply:
    """A shared name ("Congo"): the reader chooses; `command` takes the chosen key."""
    reply = Reply().paragraph(ctx._("Which one do you mean?"))
    for candidate in candidates:
        reply.button_row(Button(candidate.name, command.format(key=candidate.key)))
    return reply.note(ctx._("Nothing was stored."))


def _unknown_audience(ctx: Context, text: str) -> Reply:
    return Reply(not_found=True).paragraph(
        ctx._(
            "I know no audience called “{name}”. Say everyone, delegates, a group (G4), "
            "a State, or a key issue (its subscribers)."
        ).format(name=text.strip()[:80])
    )


async def _preview(ctx: Context, announcement: Announcement) -> Reply:
    audience = Audience.from_json(announcement.audience)
    reach = await announcements.reach(ctx.session, audience)
    reply = Reply().heading(ctx._("Preview of announcement #{id}").format(id=announcement.id))
    reply.note(ctx._("Exactly as it will appear:"))
    shown = announcement_reply(ctx, announcement)
    reply.blocks.extend(shown.blocks)
    reply.attachments.extend(shown.attachments)
    reply.paragraph(bold(ctx._("Audience: ")), audience_summary(ctx, audience, reach))
    when = sending_time(ctx, announcement.send_at)
    reply.paragraph(bold(ctx._("Sending: ")), when)
    reply.paragraph(bold(ctx._("Urgency: ")), urgency(ctx, announcement))
    key = announcement.id
    draft = await drafts.propose(ctx, KIND, {"announcement_id": key}, f"announcement:{key}")
    confirm, cancel = drafts.buttons(ctx, draft)
    if not reach.accounts:
        reply.paragraph(ctx._("This audience reaches nobody: there is nothing to send."))
        reply.button_row(cancel)
    else:
        reply.button_row(confirm, cancel)
    reply.button_row(
        Button(ctx._("Everyone"), f"/announce {key} to everyone"),
        Button(ctx._("Delegates only"), f"/announce {key} to delegates"),
    )
    reply.button_row(
        Button(ctx._("Not urgent"), f"/announce {key} noturgent")
        if announcement.urgent
        else Button(ctx._("Urgent"), f"/announce {key} urgent")
    )
    return reply.note(
        ctx._(
            "Nothing is sent before you confirm. To change the audience or the time: "
            "/announce {id} to G4, /announce {id} at 2016-02-01 09:00."
        ).format(id=key)
    )


def urgency(ctx: Context, announcement: Announcement) -> str:
    if announcement.urgent:
        return ctx._("urgent: sent at once, in quiet hours too")
    return ctx._(
        "not urgent: held during readers' quiet hours, and only in the digest of those who "
        "want it so"
    )


@command("announce", usage="/announce [to AUDIENCE:] TEXT", roles=CHAIR_ONLY, personal=True)
async def announce(ctx: Context, request: Request) -> Reply:
    """Send an announcement to every delegation, after a preview."""
    text = ctx.raw_arguments
    action = _ACTION.match(text)
    if action:
        return await _act(ctx, int(action.group(1)), action.group(2).lower(), action.group(3))
    return await _draft(ctx, text)


async def _draft(ctx: Context, text: str) -> Reply:
    audience = Audience("all")
    prefix = _AUDIENCE_PREFIX.match(text)
    if prefix and not prefix.group(1).strip():
        return Reply().paragraph(
            ctx._("To whom? Name the audience before the colon: /announce to G4: TEXT."),
            " ",
            ctx._("Nothing was stored."),
        )
    if prefix:
        found = find_audience(ctx, prefix.group(1))
        if isinstance(found, tuple):
            return _which(ctx, found, f"/announce to {{key}}: {text[prefix.end() :]}")
        if found is None:
            return _unknown_audience(ctx, prefix.group(1))
        audience, text = found, text[prefix.end() :]
    if not text.strip():
        return Reply().paragraph(
            ctx._(
                "What should the announcement say? /announce TEXT sends it to everyone; "
                "/announce to G4: TEXT to a group, a State or a key issue's subscribers."
            )
        )
    if len(text) > MAX_LENGTH:
        return Reply().paragraph(
            ctx._(
                "That announcement is {length} characters long; one message holds {limit}. "
                "Shorten it, or send the full text as a document."
            ).format(length=ctx.tr.number(len(text)), limit=ctx.tr.number(MAX_LENGTH))
        )
    person = await ctx.person_for_update()
    draft = await announcements.draft(
        ctx.session, person.id, ctx.incoming.platform, text, audience, ctx.now
    )
    if ctx.incoming.attachment is not None:
        attached = ctx.incoming.attachment
        draft.attachment_name, draft.attachment_type = attached.filename, attached.media_type
        draft.attachment = attached.content
    return await _preview(ctx, draft)


async def _act(ctx: Context, key: int, action: str, rest: str) -> Reply:
    announcement = await ctx.session.get(Announcement, key)
    if announcement is None:
        return Reply(not_found=True).paragraph(
            ctx._("There is no announcement #{id}.").format(id=key)
        )
    if action == "cancel":
        return await _cancel(ctx, announcement)
    if announcement.status != AnnouncementStatus.DRAFT:
        return _already_done(ctx, announcement)
    if action == "confirm":
        return await typed_confirmation(ctx, KIND, announcement)
    if action == "to":
        found = find_audience(ctx, rest)
        if isinstance(found, tuple):
            return _which(ctx, found, f"/announce {key} to {{key}}")
        if found is None:
            return _unknown_audience(ctx, rest)
        announcement.audience = found.as_json()
    elif action == "at":
        try:
            instant = find_instant(rest, ctx.today, ctx.venue_zone)
        except (NoSuchDay, NoSuchTime) as error:
            instant, rest = None, str(error)
        if instant is None or instant <= ctx.now:
            return Reply().paragraph(
                ctx._(
                    "“{text}” is not a time to come. Give a date and a time at the venue, "
                    "e.g. /announce {id} at 2016-02-01 09:00."
                ).format(text=rest[:60], id=key)
            )
        announcement.send_at = instant
    elif action == "now":
        announcement.send_at = None
    elif action in ("urgent", "noturgent"):
        announcement.urgent = action == "urgent"
    await ctx.session.flush()
    return await _preview(ctx, announcement)


def _already_done(ctx: Context, announcement: Announcement) -> Reply:
    if announcement.status == AnnouncementStatus.CANCELLED:
        return Reply().paragraph(
            ctx._("Announcement #{id} was cancelled.").format(id=announcement.id)
        )
    return Reply().paragraph(
        ctx._(
            "Announcement #{id} has already been confirmed. /deliveries {id} shows where it "
            "stands; /correct {id} TEXT corrects it."
        ).format(id=announcement.id)
    )


async def typed_confirmation(ctx: Context, kind: str, announcement: Announcement) -> Reply:
    """ "/announce ID confirm", "/correct ID confirm": the asker's open preview of it."""
    subject = f"announcement:{announcement.id}"
    draft = await latest_open(ctx.session, kind, drafts.author(ctx), ctx.now, subject)
    if draft is None:
        return Reply().paragraph(
            ctx._("No preview of announcement #{id} is waiting for you.").format(
                id=announcement.id
            ),
            " ",
            ctx._("Nothing was done."),
        )
    return await confirm_taken(ctx, await take(ctx, draft.token, "confirmed"))


async def announcement_of(ctx: Context, draft: Draft) -> Announcement | None:
    return await ctx.session.get(Announcement, draft.payload["announcement_id"])


async def _withdraw_draft(ctx: Context, draft: Draft) -> None:
    announcement = await announcement_of(ctx, draft)
    if announcement is not None and announcement.status == AnnouncementStatus.DRAFT:
        announcement.status = AnnouncementStatus.CANCELLED


@draft_kind(KIND, roles=CHAIR_ONLY, discard=_withdraw_draft)
async def send_announcement(ctx: Context, draft: Draft) -> Reply:
    """A confirmed announcement: its deliveries into the outbox."""
    announcement = await announcement_of(ctx, draft)
    if announcement is None:
        return Reply(not_found=True).paragraph(ctx._("This announcement no longer exists."))
    if announcement.status != AnnouncementStatus.DRAFT:
        return _already_done(ctx, announcement)
    count = await announcements.confirm(ctx.session, announcement, ctx.now)
    if not count:
        return Reply().paragraph(ctx._("This audience reaches nobody: there is nothing to send."))
    await ctx.audit(
        "announce",
        f"announcement {announcement.id}",
        after={"audience": announcement.audience, "deliveries": count},
    )
    if announcement.send_at > ctx.now:
        when = venue_and_reader_time(announcement.send_at, ctx.venue_zone, ctx.reader_zone, ctx.tr)
        return Reply().paragraph(
            ctx.tr.ngettext(
                "Scheduled for {when}: {count} person. /announce {id} cancel withdraws it.",
                "Scheduled for {when}: {count} people. /announce {id} cancel withdraws it.",
                count,
            ).format(when=when, count=ctx.tr.number(count), id=announcement.id)
        )
    return Reply().paragraph(
        ctx.tr.ngettext(
            "Sending to {count} person. You will get a delivery report when it is done.",
            "Sending to {count} people. You will get a delivery report when it is done.",
            count,
        ).format(count=ctx.tr.number(count))
    )


async def _cancel(ctx: Context, announcement: Announcement) -> Reply:
    key = announcement.id
    if announcement.status == AnnouncementStatus.CANCELLED:
        return _already_done(ctx, announcement)
    if announcement.status == AnnouncementStatus.DRAFT:
        announcement.status = AnnouncementStatus.CANCELLED
        await close_open(ctx.session, f"announcement:{key}", ctx.now)
        return Reply().paragraph(ctx._("Discarded: nothing was sent."))
    withheld = await announcements.cancel(ctx.session, announcement, ctx.now)
    await ctx.audit("cancel announcement", f"announcement {key}", after={"withheld": withheld})
    return Reply().paragraph(
        ctx.tr.ngettext(
            "Withdrawn: {count} message was not sent.",
            "Withdrawn: {count} messages were not sent.",
            withheld,
        ).format(count=ctx.tr.number(withheld)),
    )
