"""The digest a reader gets: the meetings of the day or week (changes since the last digest
marked), meetings changed, announcements, positions they follow, new documents, and the parts
other capabilities register (bot/core/digest_parts.py). Nothing in it: nothing is sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.context import Context
from bot.core.digest_parts import PARTS, DigestSpan
from bot.core.holder_names import holder_name
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply, bold, italic
from bot.core.timefmt import long_date
from handlers.announcement_text import excerpt
from handlers.meetings import meeting_title, summary_line
from storage import digest_content, meetings
from storage.models import Delivery, Meeting, Person

WEEK = timedelta(days=6)  # a span longer than this is a weekly digest's


def _span(ctx: Context, delivery: Delivery, found: list[Meeting]) -> DigestSpan:
    since, until = datetime.fromisoformat(delivery.payload["since"]), delivery.due_at
    first = until.astimezone(ZoneInfo(ctx.reader_zone or ctx.venue_zone)).date()
    last = first + (timedelta(days=6) if until - since > WEEK else timedelta(0))
    return DigestSpan(since, until, first, last, tuple(found))


def _changed(meeting: Meeting, span: DigestSpan) -> bool:
    return meeting.updated_at is not None and span.since < meeting.updated_at <= span.until


def _heading(ctx: Context, span: DigestSpan) -> str:
    if span.first == span.last:
        return ctx._("Your digest for {date}").format(date=long_date(span.first, ctx.tr))
    return ctx._("Your digest for the week of {date}").format(date=long_date(span.first, ctx.tr))


async def digest_notice(ctx: Context, delivery: Delivery, person: Person) -> Reply:
    """The digest of one reader for the span its delivery covers; empty when nothing is new."""
    provisional = _span(ctx, delivery, [])
    held = await meetings.between(ctx.session, provisional.first, provisional.last)
    span = _span(ctx, delivery, held)
    body = Reply()
    filled = [
        _meetings(ctx, span, body),
        await _changed_later(ctx, span, body),
        await _announcements(ctx, person, span, body),
        await _positions(ctx, person, span, body),
        await _documents(ctx, span, body),
    ]
    for part in PARTS:
        filled.append(await part(ctx, person, span, body))
    if not any(filled):
        return Reply()
    reply = Reply().heading(_heading(ctx, span))
    reply.blocks.extend(body.blocks)
    reply.buttons.extend(body.buttons)
    return reply.button_row(
        Button(ctx._("Upcoming meetings"), "/meetings"),
        Button(ctx._("Digest settings"), "/digest"),
    )


def _meetings(ctx: Context, span: DigestSpan, reply: Reply) -> bool:
    if not span.meetings:
        return False
    reply.paragraph(bold(ctx._("Meetings")))
    for meeting in span.meetings:
        marked = (
            [" ", italic(ctx._("changed since the last digest"))] if _changed(meeting, span) else []
        )
        reply.item(bold(meeting_title(ctx, meeting)), ": ", *summary_line(ctx, meeting), *marked)
    return True


async def _changed_later(ctx: Context, span: DigestSpan, reply: Reply) -> bool:
    """Meetings after the span that changed since the last digest."""
    shown = {m.id for m in span.meetings}
    changed = [
        m
        for m in await digest_content.meetings_changed(
            ctx.session, span.since, span.until, span.until
        )
        if m.id not in shown
    ]
    if not changed:
        return False
    reply.paragraph(bold(ctx._("Changed since the last digest")))
    for meeting in changed:
        reply.item(bold(meeting_title(ctx, meeting)), ": ", *summary_line(ctx, meeting))
    return True


async def _announcements(ctx: Context, person: Person, span: DigestSpan, reply: Reply) -> bool:
    found = await digest_content.announcements_to(ctx.session, person.id, span.since, span.until)
    if not found:
        return False
    reply.paragraph(bold(ctx._("Announcements")))
    for announcement in found:
        reply.item(f"#{announcement.id}: ", excerpt(announcement.text))
    return True


async def _positions(ctx: Context, person: Person, span: DigestSpan, reply: Reply) -> bool:
    found = await digest_content.versions_followed(ctx.session, person.id, span.since, span.until)
    named = [
        (ctx.names.delegations[p.delegation_id], ctx.names.issues[p.key_issue_id])
        for _version, p in found
        if p.delegation_id in ctx.names.delegations and p.key_issue_id in ctx.names.issues
    ]
    if not named:
        return False
    reply.paragraph(bold(ctx._("New positions you follow")))
    for holder, issue in dict.fromkeys(named):
        reply.item(
            ctx._("{holder} on {issue}").format(
                holder=holder_name(ctx, holder), issue=issue_name(ctx, issue)
            ),
            f" (/history {holder.key} {issue.key})",
        )
    return True


async def _documents(ctx: Context, span: DigestSpan, reply: Reply) -> bool:
    zone = ZoneInfo(ctx.venue_zone)
    found = await digest_content.documents_new(
        ctx.session,
        span.since.astimezone(zone).date(),
        span.until.astimezone(zone).date(),
        span.since,
        span.until,
    )
    if not found:
        return False
    reply.paragraph(bold(ctx._("New letters and documents")))
    for document in found:
        reply.item(*([bold(document.symbol), " "] if document.symbol else []), document.title)
    return True
