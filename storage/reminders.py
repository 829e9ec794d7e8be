"""Planning reminders and change notices into the outbox, from the database alone.

A reminder's key names the meeting, its start, the lead time and the account: planning again
adds nothing, a moved meeting gets new keys (and its old pending ones are cancelled), and a
reminder already sent is never sent again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import meta, outbox, people, subscriptions
from storage.models import Delivery, DeliveryStatus, Meeting, MeetingStatus

DEFAULT_LEADS = [24 * 60, 60]  # minutes, until the running configuration says otherwise
LEADS_KEY = "reminder_lead_times"
HORIZON = timedelta(days=31)  # the longest lead time allowed, and a day
NEW = "new_meeting"  # the kind of a delivery telling of a meeting just added


async def default_leads(session: AsyncSession) -> list[int]:
    stored = await meta.get(session, LEADS_KEY)
    return json.loads(stored) if stored else DEFAULT_LEADS


async def set_default_leads(session: AsyncSession, minutes: list[int]) -> None:
    """Kept in the database so that every process, and the importer, plans alike."""
    value = json.dumps(sorted(set(minutes), reverse=True))
    if await meta.get(session, LEADS_KEY) != value:
        await meta.put(session, LEADS_KEY, value)


def _start_stamp(meeting: Meeting) -> int:
    assert meeting.starts_at is not None
    return int(meeting.starts_at.timestamp())


def reminder_key(meeting: Meeting, lead: int, account_id: int) -> str:
    return f"reminder:{meeting.id}:{_start_stamp(meeting)}:{lead}:{account_id}"


def remindable(meeting: Meeting, now: datetime) -> bool:
    """Scheduled, with a confirmed time, not started yet."""
    return (
        meeting.status == MeetingStatus.SCHEDULED
        and meeting.starts_at is not None
        and meeting.starts_at > now
    )


async def plan_meeting(
    session: AsyncSession, meeting: Meeting, now: datetime, person_id: int | None = None
) -> int:
    """Enqueue the reminders a meeting owes its subscribers (or one subscriber), and drop
    pending ones planned for another start. Lead times already past are not planned: a new
    subscriber is not told late what they could not have been told on time."""
    if not remindable(meeting, now):
        await outbox.drop_pending(
            session, Delivery.meeting_id == meeting.id, Delivery.kind == "reminder"
        )
        return 0
    await outbox.drop_pending(
        session,
        Delivery.meeting_id == meeting.id,
        Delivery.kind == "reminder",
        Delivery.key.not_like(f"reminder:{meeting.id}:{_start_stamp(meeting)}:%"),
    )
    defaults = await default_leads(session)
    rows = []
    for recipient in await subscriptions.recipients(session, meeting, person_id):
        for lead in recipient.lead_times or defaults:
            due = meeting.starts_at - timedelta(minutes=lead)
            if due > now:
                rows.append(
                    _row(
                        reminder_key(meeting, lead, recipient.account_id),
                        "reminder",
                        recipient.account_id,
                        meeting,
                        {"lead": lead},
                        due,
                        now,
                    )
                )
    return await outbox.enqueue(session, rows)


def _row(
    key: str,
    kind: str,
    account_id: int,
    meeting: Meeting,
    payload: dict[str, Any],
    due: datetime,
    now: datetime,
) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "account_id": account_id,
        "meeting_id": meeting.id,
        "payload": payload,
        "status": DeliveryStatus.PENDING,
        "due_at": due,
        "expires_at": meeting.starts_at if kind == "reminder" else None,
        "attempts": 0,
        "created_at": now,
    }


async def upcoming_meetings(session: AsyncSession, now: datetime) -> list[Meeting]:
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > now,
        Meeting.starts_at <= now + HORIZON,
    )
    return list(await session.scalars(query))


async def plan_all(session: AsyncSession, now: datetime, person_id: int | None = None) -> int:
    """Plan every meeting within the horizon (for everyone, or one person)."""
    total = 0
    for meeting in await upcoming_meetings(session, now):
        total += await plan_meeting(session, meeting, now, person_id)
    return total


async def replan_person(session: AsyncSession, person_id: int, now: datetime) -> int:
    """After someone's subscriptions or lead times change: drop their pending reminders and
    plan afresh (a key already sent stays sent, so nothing is repeated)."""
    account_ids = [a.id for a in await people.accounts_of(session, person_id)]
    await outbox.drop_pending(
        session, Delivery.kind == "reminder", Delivery.account_id.in_(account_ids)
    )
    return await plan_all(session, now, person_id)


async def _told(
    session: AsyncSession, meeting: Meeting, now: datetime, also_on: list[int] | None = None
) -> list[int]:
    """The accounts a notice about this meeting goes to: its subscribers, while the meeting
    is still to come (or under way)."""
    if meeting.until_at <= now:
        return []
    found = await subscriptions.recipients(session, meeting, also_on=also_on)
    return [recipient.account_id for recipient in found]


async def meeting_added(session: AsyncSession, meeting: Meeting, now: datetime) -> int:
    """A new meeting: its subscribers are told, and its reminders planned."""
    rows = [
        _row(f"new_meeting:{meeting.id}:{account_id}", NEW, account_id, meeting, {}, now, now)
        for account_id in await _told(session, meeting, now)
    ]
    added = await outbox.enqueue(session, rows)
    await plan_meeting(session, meeting, now)
    return added


async def meeting_changed(
    session: AsyncSession,
    meeting: Meeting,
    changes: dict[str, list[str]],
    now: datetime,
    issues_before: list[int] | None = None,
) -> int:
    """A meeting's date, time, room, key issues or status changed: every subscriber is told
    (those of the key issues it had before, too), then its reminders are planned afresh."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    targets = await _told(session, meeting, now, issues_before)
    kind = "cancellation" if cancelled else "change"
    # The same change repeated at once is noticed once; two changes in a second, twice.
    digest = hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()[:12]
    stamp = f"{int(now.timestamp())}:{digest}"
    rows = [
        _row(
            f"{kind}:{meeting.id}:{stamp}:{account_id}",
            kind,
            account_id,
            meeting,
            {"changes": changes},
            now,
            now,
        )
        for account_id in targets
    ]
    added = await outbox.enqueue(session, rows)
    await plan_meeting(session, meeting, now)
    return added


async def scheduled_for(session: AsyncSession, account_ids: list[int]) -> list[Delivery]:
    """The pending reminders of these accounts, soonest first."""
    query = select(Delivery).where(
        Delivery.account_id.in_(account_ids),
        Delivery.kind == "reminder",
        Delivery.status == DeliveryStatus.PENDING,
    )
    return list(await session.scalars(query.order_by(Delivery.due_at)))
