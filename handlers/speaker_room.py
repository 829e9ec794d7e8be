"""The room's page of a list of speakers (a secret link the Chair's office shares and can
revoke, and what the page shows), and the list's history: every change, who made it, when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core.context import Context
from bot.core.messages import Attachment, Reply, link
from bot.core.timefmt import venue_and_reader_time
from handlers.speaker_actions import list_action
from handlers.speaker_words import list_title, turn_name, view
from handlers.speakers import found_list
from storage import speakers as lists
from storage.files.speaker_lines import to_csv
from storage.models import AuditEntry, Meeting, Person, SpeakerList

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


@list_action("link")
async def room_link(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """A secret link to the room's page (a new one each time: the one before stops working);
    `link revoke` ends it."""
    speakers_list = await lists.ensure(ctx.session, meeting, ctx.now)
    if arguments.strip().lower() == "revoke":
        speakers_list.room_token_hash = None
        await ctx.audit("revoke speakers link", f"speakers:{meeting.key}")
        return Reply().paragraph(ctx._("The room's page link no longer works."))
    token = await lists.new_room_token(ctx.session, speakers_list)
    await ctx.audit("new speakers link", f"speakers:{meeting.key}")
    address = f"{ctx.public_url}/speakers/{token}"
    reply = Reply().paragraph(
        ctx._(
            "The room's page (anyone with this link sees the list; an earlier link stops working):"
        )
    )
    reply.paragraph(link(address, address))
    for language in LANGUAGES:
        reply.item(language, ": ", link(f"{address}?lang={language}", f"{address}?lang={language}"))
    return reply.note(
        ctx._("To end it: /speakers {meeting} link revoke").format(meeting=meeting.key)
    )


@list_action("history")
async def history(ctx: Context, meeting: Meeting, arguments: str) -> Reply:
    """Every change of the list: when, who, what (also as CSV)."""
    found = await found_list(ctx, meeting)
    if isinstance(found, Reply):
        return found
    entries = await ctx.session.execute(
        select(AuditEntry, Person.display_name)
        .outerjoin(Person, Person.id == AuditEntry.person_id)
        .where(AuditEntry.target == f"speakers:{meeting.key}", AuditEntry.allowed.is_(True))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    reply = Reply().heading(ctx._("History of the list of speakers"))
    rows = []
    for entry, name in entries:
        who = name or entry.user_id
        when = venue_and_reader_time(entry.at, meeting.timezone, ctx.reader_zone, ctx.tr)
        reply.item(f"{when} · {who} · {entry.action}")
        rows.append(
            {
                "at": entry.at.isoformat(timespec="seconds"),
                "who": who,
                "platform": entry.platform,
                "action": entry.action,
                "after": _short(entry.after),
            }
        )
    await ctx.audit("export speakers history", f"speakers:{meeting.key}")
    reply.attachments.append(
        Attachment(f"speakers-{meeting.key}-history.csv", to_csv(rows), "text/csv")
    )
    return reply


def _short(value: object) -> str:
    if isinstance(value, list):
        return " | ".join(map(str, value))
    return "" if value is None else str(value)


async def room_state(ctx: Context, speakers_list: SpeakerList) -> dict[str, Any]:
    """What the room's page shows, in the reader's language: the one speaking with the time
    used against the limit, the next three, how many remain."""
    meeting = await ctx.session.get(Meeting, speakers_list.meeting_id)
    assert meeting is not None  # a list goes with its meeting
    shown = await view(ctx, speakers_list, meeting)
    speaking = shown.speaking
    current = None
    if speaking is not None and speaking.started_at is not None:
        current = {
            "name": turn_name(ctx, speaking),
            "used": int((ctx.now - speaking.started_at).total_seconds()),
            "limit": speaking.limit_seconds,
        }
    remaining = len(shown.waiting)
    return {
        "revision": speakers_list.revision,
        "title": list_title(ctx, meeting),
        "current": current,
        "next": [
            {"number": shown.numbers[t.id], "name": turn_name(ctx, t)} for t in shown.waiting[:3]
        ],
        "labels": {
            "now": ctx._("Speaking now"),
            "next": ctx._("Next"),
            "nobody": ctx._("Nobody is speaking."),
            "remaining": ctx.tr.ngettext(
                "{count} speaker to come.", "{count} speakers to come.", remaining
            ).format(count=remaining),
        },
    }
