"""Snooze: "Remind me again in 15 min / 1 h" on every reminder, never past the meeting's start;
a snooze is one more reminder in the outbox, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.i18n import N_
from bot.core.messages import Button, Reply
from bot.core.timefmt import venue_and_reader_time
from storage import meetings, outbox, reminders
from storage.models import Delivery, DeliveryStatus, Meeting, Person
from storage.subscriptions import reaching_accounts

CHOICES = (15, 60)  # minutes


def snooze_buttons(ctx: Context, delivery: Delivery, meeting: Meeting) -> tuple[Button, ...]:
    """The snoozes that still end before the meeting starts, counted from the reminder's due
    time (the buttons of one reminder are the same for every reader)."""
    assert meeting.starts_at is not None
    labels = {15: ctx._("Remind me again in 15 min"), 60: ctx._("Remind me again in 1 h")}
    lead = delivery.payload["lead"]
    return tuple(
        Button(labels[minutes], f"/snooze {meeting.key} {minutes} {lead}")
        for minutes in CHOICES
        if delivery.due_at + timedelta(minutes=minutes) < meeting.starts_at
    )


@command("snooze", usage=N_("/snooze MEETING MINUTES"), personal=True, listed=False)
async def snooze(ctx: Context, request: Request) -> Reply:
    """Be reminded of a meeting again in a while."""
    words = request.text.split()
    numbers = [w for w in words[1:] if w.isdigit()]
    minutes = int(numbers[0]) if numbers else 0
    meeting = await meetings.by_key(ctx.session, words[0].lower()) if words else None
    if meeting is None or minutes not in CHOICES:
        return Reply().paragraph(
            ctx._("Say /snooze MEETING 15 or /snooze MEETING 60."),
            " ",
            ctx._("Nothing was done."),
        )
    due = ctx.now + timedelta(minutes=minutes)
    if not reminders.remindable(meeting, ctx.now) or due >= meeting.starts_at:
        return Reply().paragraph(ctx._("The meeting starts before then: no reminder was added."))
    person = await ctx.person_for_update()
    (account, *_) = await reaching_accounts(
        ctx.session, select(Person.id).where(Person.id == person.id)
    ) or [None]
    if account is None:
        return Reply().paragraph(ctx._("I cannot write to you proactively here."))
    from_lead = int(numbers[1]) if len(numbers) > 1 else 0
    left = int((meeting.starts_at - due).total_seconds() // 60)
    # Under the meeting's reminder keys (replanning the meeting keeps it; a move drops it),
    # once per reminder and choice: pressing twice adds one.
    stamp = int(meeting.starts_at.timestamp())
    key = f"reminder:{meeting.id}:{stamp}:snooze{from_lead}-{minutes}:{account.id}"
    added = await outbox.enqueue(
        ctx.session,
        [
            {
                "key": key,
                "kind": "reminder",
                "account_id": account.id,
                "meeting_id": meeting.id,
                "payload": {"lead": left, "snoozed": minutes},
                "status": DeliveryStatus.PENDING,
                "due_at": due,
                "expires_at": meeting.starts_at,
                "attempts": 0,
                "created_at": ctx.now,
            }
        ],
    )
    when = venue_and_reader_time(due, meeting.timezone, ctx.reader_zone, ctx.tr)
    if not added:
        return Reply().paragraph(ctx._("You already asked: I will remind you once."))
    return Reply().paragraph(ctx._("I will remind you again at {when}.").format(when=when))
