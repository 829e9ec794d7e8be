"""Announcements as readers see them: the text, its audience in words, an excerpt, and the
message each delivery of an announcement carries."""

from __future__ import annotations

from datetime import datetime

from bot.core.context import Context
from bot.core.issue_names import issue_name
from bot.core.messages import Attachment, Reply, bold, italic
from bot.core.timefmt import venue_and_reader_time
from storage import announcements
from storage.announcements import Audience, Reach
from storage.directory import DelegationName
from storage.models import Announcement, DelegationKind

MAX_LENGTH = 3500  # one message on every platform, with room for the heading


def audience_label(ctx: Context, audience: Audience) -> str:
    if audience.kind == "all":
        return ctx._("everyone")
    if audience.kind == "delegates":
        return ctx._("delegates (not the Chair's office)")
    if audience.kind == "issue":
        return ctx._("subscribers of {issue}").format(issue=issue_name(ctx, audience.label))
    return audience.label


def find_audience(ctx: Context, text: str) -> Audience | tuple[DelegationName, ...] | None:
    """ "everyone", "delegates", a group, a State or a key issue (its subscribers); the
    candidates when a name is shared ("Congo"); None when nothing is named."""
    word = text.strip().casefold()
    if word in ("all", "everyone", "everybody"):
        return Audience("all")
    if word in ("delegates", "delegates only"):
        return Audience("delegates")
    mentions = ctx.names.mentions(text)
    if mentions.delegations and len(mentions.delegations[0]) > 1:
        return mentions.delegations[0]
    if mentions.delegations:
        found = mentions.delegations[0][0]
        kind = "group" if found.kind == DelegationKind.GROUP else "delegation"
        return Audience(kind, found.id, found.name)
    if mentions.issues:
        return Audience("issue", mentions.issues[0].id, mentions.issues[0].name)
    return None


def announcement_reply(
    ctx: Context,
    announcement: Announcement,
    correction: bool = False,
    changed: list[tuple[str, str]] | None = None,
) -> Reply:
    """The announcement as its readers see it (as a correction: what changed, when known,
    and the corrected text, without the attachment they already have)."""
    reply = compose(ctx, announcement.text, announcement.corrections > 0, correction, changed)
    if not correction and announcement.attachment_name and announcement.attachment is not None:
        reply.attachments.append(
            Attachment(
                announcement.attachment_name,
                announcement.attachment,
                announcement.attachment_type or "application/octet-stream",
            )
        )
    return reply


def compose(
    ctx: Context,
    text: str,
    corrected: bool,
    correction: bool,
    changed: list[tuple[str, str]] | None = None,
) -> Reply:
    heading = (
        ctx._("Correction: announcement from the Chair's office")
        if correction
        else ctx._("Announcement from the Chair's office")
    )
    reply = Reply().heading(heading)
    if changed:
        reply.paragraph(bold(ctx._("What changed:")))
        for old, new in changed:
            reply.item(old or italic(ctx._("(added)")), " → ", new or italic(ctx._("(removed)")))
    reply.paragraph(text)  # one block: its blank lines kept; renderers cut long ones
    if corrected:
        reply.note(ctx._("This announcement has been corrected."))
    return reply


def excerpt(text: str, length: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1] + "…"


def audience_summary(ctx: Context, audience: Audience, reach: Reach) -> str:
    """ "everyone: 3 people (Slack 1, Telegram 2); 1 stopped messages; 2 cannot be reached
    (blocked Plenary or left)"."""
    reached = reach.accounts
    counts = ", ".join(
        f"{p.capitalize()} {ctx.tr.number(n)}"
        for p, n in announcements.per_platform(reached).items()
    )
    whom = ctx.tr.ngettext("{label}: {count} person", "{label}: {count} people", len(reached))
    label = whom.format(label=audience_label(ctx, audience), count=ctx.tr.number(len(reached)))
    parts = [f"{label} ({counts})" if counts else label]
    if reach.stopped:
        parts.append(
            ctx.tr.ngettext(
                "{count} stopped messages", "{count} stopped messages", reach.stopped
            ).format(count=ctx.tr.number(reach.stopped))
        )
    if reach.unreachable:
        parts.append(
            ctx.tr.ngettext(
                "{count} cannot be reached (blocked Plenary or left)",
                "{count} cannot be reached (blocked Plenary or left)",
                reach.unreachable,
            ).format(count=ctx.tr.number(reach.unreachable))
        )
    return "; ".join(parts)


def sending_time(ctx: Context, send_at: datetime | None) -> str:
    if send_at is not None and send_at > ctx.now:
        return venue_and_reader_time(send_at, ctx.venue_zone, ctx.reader_zone, ctx.tr)
    return ctx._("now, on confirmation")
