"""Announcements: the Chair's office drafts, previews, confirms, schedules and corrects them;
everyone reads the latest."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.dates import NoSuchDay
from bot.core.issue_names import issue_name
from bot.core.messages import Attachment, Button, Reply, bold, italic
from bot.core.text import clean_paragraphs
from bot.core.timefmt import long_date, venue_and_reader_time
from bot.core.when import find_instant
from handlers.roles import CHAIR_ONLY
from storage import announcements
from storage.announcements import Audience
from storage.models import Announcement, AnnouncementStatus, DelegationKind, Delivery

MAX_LENGTH = 3500  # one message on every platform, with room for the heading
_COMMAND_WORD = re.compile(r"^\s*/\w+(?:@\w+)?\s*")
_ACTION = re.compile(r"^#?(\d{1,9})\s+(confirm|cancel|to|at|now|preview)\b\s*(.*)$", re.I | re.S)
_AUDIENCE_PREFIX = re.compile(r"^to\s+([^:\n]{1,80}):\s*", re.I)
VISIBLE_TO_ALL = ("all", "delegates")


def raw_arguments(ctx: Context) -> str:
    """What follows the command word, with its line breaks (the router's text has none)."""
    return clean_paragraphs(_COMMAND_WORD.sub("", ctx.incoming.text, count=1))


def audience_label(ctx: Context, audience: Audience) -> str:
    if audience.kind == "all":
        return ctx._("everyone")
    if audience.kind == "delegates":
        return ctx._("delegates (not the Chair's office)")
    if audience.kind == "issue":
        return ctx._("subscribers of {issue}").format(issue=issue_name(ctx, audience.label))
    return audience.label


def find_audience(ctx: Context, text: str) -> Audience | None:
    """ "everyone", "delegates", a group, a State or a key issue (its subscribers)."""
    word = text.strip().casefold()
    if word in ("all", "everyone", "everybody"):
        return Audience("all")
    if word in ("delegates", "delegates only"):
        return Audience("delegates")
    mentions = ctx.names.mentions(text)
    if mentions.delegations and len(mentions.delegations[0]) == 1:
        found = mentions.delegations[0][0]
        kind = "group" if found.kind == DelegationKind.GROUP else "delegation"
        return Audience(kind, found.id, found.name)
    if mentions.issues:
        return Audience("issue", mentions.issues[0].id, mentions.issues[0].name)
    return None


def _unknown_audience(ctx: Context, text: str) -> Reply:
    return Reply(not_found=True).paragraph(
        ctx._(
            "I know no audience called “{name}”. Say everyone, delegates, a group (G4), "
            "a State, or a key issue (its subscribers)."
        ).format(name=text.strip()[:80])
    )


def announcement_reply(ctx: Context, announcement: Announcement, correction: bool = False) -> Reply:
    """The announcement as its readers see it (as a correction: the corrected text, without
    the attachment they already have)."""
    reply = _compose(ctx, announcement.text, announcement.corrections > 0, correction)
    if not correction and announcement.attachment_name and announcement.attachment is not None:
        reply.attachments.append(
            Attachment(
                announcement.attachment_name,
                announcement.attachment,
                announcement.attachment_type or "application/octet-stream",
            )
        )
    return reply


def _compose(ctx: Context, text: str, corrected: bool, correction: bool) -> Reply:
    heading = (
        ctx._("Correction: announcement from the Chair's office")
        if correction
        else ctx._("Announcement from the Chair's office")
    )
    reply = Reply().heading(heading)
    for paragraph in text.split("\n\n"):
        reply.paragraph(paragraph)
    if corrected:
        reply.note(ctx._("This announcement has been corrected."))
    return reply


async def notice(ctx: Context, delivery: Delivery, announcement: Announcement) -> Reply:
    """What an announcement's delivery carries: the announcement, its correction, or the
    delivery report for its author."""
    if delivery.kind == "report":
        return await delivery_report(ctx, announcement)
    return announcement_reply(ctx, announcement, correction=delivery.kind == "correction")


OUTCOMES = ("delivered", "blocked", "failed", "waiting")


async def delivery_report(ctx: Context, announcement: Announcement) -> Reply:
    labels = {
        "delivered": ctx._("delivered"),
        "blocked": ctx._("blocked (account unreachable)"),
        "failed": ctx._("failed"),
        "waiting": ctx._("still to send"),
    }
    reply = Reply().heading(ctx._("Delivery report: announcement #{id}").format(id=announcement.id))
    reply.paragraph(italic(_excerpt(announcement.text)))
    progress = await announcements.progress(ctx.session, announcement.id)
    if not progress:
        return reply.paragraph(ctx._("No deliveries."))
    for platform, counts in progress.items():
        shown = ", ".join(
            f"{ctx.tr.number(counts[outcome])} {labels[outcome]}"
            for outcome in OUTCOMES
            if counts[outcome]
        )
        reply.item(bold(platform.capitalize()), ": ", shown)
    return reply


def _excerpt(text: str, length: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1] + "…"


def audience_summary(ctx: Context, audience: Audience, reached: list[Any]) -> str:
    """ "everyone: 3 people (Slack 1, Telegram 2)"."""
    counts = ", ".join(
        f"{p.capitalize()} {ctx.tr.number(n)}"
        for p, n in announcements.per_platform(reached).items()
    )
    whom = ctx.tr.ngettext("{label}: {count} person", "{label}: {count} people", len(reached))
    label = whom.format(label=audience_label(ctx, audience), count=ctx.tr.number(len(reached)))
    return f"{label} ({counts})" if counts else label


def sending_time(ctx: Context, send_at: datetime | None) -> str:
    if send_at is not None and send_at > ctx.now:
        return venue_and_reader_time(send_at, ctx.venue_zone, ctx.reader_zone, ctx.tr)
    return ctx._("now, on confirmation")


async def _preview(ctx: Context, announcement: Announcement) -> Reply:
    audience = Audience.from_json(announcement.audience)
    reached = await announcements.reached(ctx.session, audience)
    reply = Reply().heading(ctx._("Preview of announcement #{id}").format(id=announcement.id))
    reply.note(ctx._("Exactly as it will appear:"))
    shown = announcement_reply(ctx, announcement)
    reply.blocks.extend(shown.blocks)
    reply.attachments.extend(shown.attachments)
    reply.paragraph(bold(ctx._("Audience: ")), audience_summary(ctx, audience, reached))
    when = sending_time(ctx, announcement.send_at)
    reply.paragraph(bold(ctx._("Sending: ")), when)
    key = announcement.id
    if not reached:
        reply.paragraph(ctx._("This audience reaches nobody: there is nothing to send."))
        reply.button_row(Button(ctx._("Cancel"), f"/announce {key} cancel"))
    else:
        reply.button_row(
            Button(ctx._("Confirm"), f"/announce {key} confirm"),
            Button(ctx._("Cancel"), f"/announce {key} cancel"),
        )
    reply.button_row(
        Button(ctx._("Everyone"), f"/announce {key} to everyone"),
        Button(ctx._("Delegates only"), f"/announce {key} to delegates"),
    )
    return reply.note(
        ctx._(
            "Nothing is sent before you confirm. To change the audience or the time: "
            "/announce {id} to G4, /announce {id} at 2016-02-01 09:00."
        ).format(id=key)
    )


@command("announce", usage="/announce [to AUDIENCE:] TEXT", roles=CHAIR_ONLY, personal=True)
async def announce(ctx: Context, request: Request) -> Reply:
    """Send an announcement to every delegation, after a preview."""
    text = raw_arguments(ctx)
    action = _ACTION.match(text)
    if action:
        return await _act(ctx, int(action.group(1)), action.group(2).lower(), action.group(3))
    return await _draft(ctx, text)


async def _draft(ctx: Context, text: str) -> Reply:
    audience = Audience("all")
    prefix = _AUDIENCE_PREFIX.match(text)
    if prefix:
        found = find_audience(ctx, prefix.group(1))
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
        return await _confirm(ctx, announcement)
    if action == "to":
        found = find_audience(ctx, rest)
        if found is None:
            return _unknown_audience(ctx, rest)
        announcement.audience = found.as_json()
    elif action == "at":
        try:
            instant = find_instant(rest, ctx.today, ctx.venue_zone)
        except NoSuchDay as error:
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


async def _confirm(ctx: Context, announcement: Announcement) -> Reply:
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
        await ctx.session.flush()
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


@command("correct", usage="/correct ID TEXT", roles=CHAIR_ONLY, personal=True)
async def correct(ctx: Context, request: Request) -> Reply:
    """Correct an announcement: sent messages are edited where the platform allows."""
    text = raw_arguments(ctx)
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
        return await _confirm_correction(ctx, announcement)
    if not new_text or len(new_text) > MAX_LENGTH:
        return Reply().paragraph(
            ctx._("Give the corrected text, up to {limit} characters: /correct {id} TEXT.").format(
                limit=ctx.tr.number(MAX_LENGTH), id=announcement.id
            )
        )
    announcement.proposed_correction = new_text
    await ctx.session.flush()
    reply = Reply().heading(ctx._("Preview of the correction"))
    reply.blocks.extend(_compose(ctx, new_text, corrected=True, correction=True).blocks)
    return reply.paragraph(
        ctx._(
            "Messages already sent are edited where the platform allows; otherwise the "
            "correction is sent as a new message."
        )
    ).button_row(
        Button(ctx._("Confirm correction"), f"/correct {announcement.id} confirm"),
    )


async def _confirm_correction(ctx: Context, announcement: Announcement) -> Reply:
    if not announcement.proposed_correction:
        return Reply().paragraph(
            ctx._("No correction is waiting: /correct {id} TEXT proposes one.").format(
                id=announcement.id
            )
        )
    before = announcement.text
    count = await announcements.correct(
        ctx.session, announcement, announcement.proposed_correction, ctx.now
    )
    announcement.proposed_correction = None
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


@command("deliveries", usage="/deliveries ID", roles=CHAIR_ONLY, personal=True)
async def deliveries(ctx: Context, request: Request) -> Reply:
    """Where an announcement's deliveries stand, per platform."""
    found = re.match(r"^#?(\d{1,9})$", request.text.strip())
    if found:
        announcement = await ctx.session.get(Announcement, int(found.group(1)))
    else:  # without a number: the latest
        latest_ones = (
            []
            if request.text.strip()
            else await announcements.latest(ctx.session, ctx.now, limit=1)
        )
        announcement = latest_ones[0] if latest_ones else None
    if announcement is None:
        return Reply(not_found=bool(found)).paragraph(
            ctx._("Which announcement? /deliveries ID (see /announcements).")
        )
    return await delivery_report(ctx, announcement)


@command("announcements", usage="/announcements [ID]", personal=True)
async def latest(ctx: Context, request: Request) -> Reply:
    """The latest announcements from the Chair's office."""
    chair = ctx.role in CHAIR_ONLY
    found = re.match(r"^#?(\d{1,9})$", request.text.strip())
    shown = [
        a
        for a in await announcements.latest(ctx.session, ctx.now, limit=10)
        if chair or a.audience["kind"] in VISIBLE_TO_ALL
    ]
    if found:
        wanted = [a for a in shown if a.id == int(found.group(1))]
        if not wanted:
            return Reply(not_found=True).paragraph(
                ctx._("There is no announcement #{id} for you.").format(id=found.group(1))
            )
        return announcement_reply(ctx, wanted[0])
    if not shown:
        return Reply().paragraph(ctx._("No announcements yet."))
    reply = Reply().heading(ctx._("Latest announcements"))
    for item in shown[:5]:
        day = long_date(item.send_at.astimezone(ZoneInfo(ctx.venue_zone)).date(), ctx.tr)
        reply.item(bold(day), f" (#{item.id}) ", _excerpt(item.text))
        reply.button_row(
            Button(ctx._("Read #{id}").format(id=item.id), f"/announcements {item.id}")
        )
    return reply
