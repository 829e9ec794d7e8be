"""Quiet hours and urgency: which claimed deliveries wait until their reader's quiet hours end,
and which non-urgent ones a reader on "digest only" gets in the digest alone.

Decided when a row is claimed, not when it is planned: a reader who sets or lifts quiet hours
after a row was planned is served by what holds when it falls due, and planning (reminders,
announcements, follows) stays unaware of it. A held row goes back to pending, due when the
quiet hours end, its attempt not counted; rows held together keep their order (claims take
rows by due time, then by id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import meta
from storage.models import Account, Announcement, Delivery, DeliveryStatus, Meeting, Person

# A reminder of a meeting starting this soon after the quiet hours end goes out in them.
SOON_AFTER = timedelta(hours=1)
# A change or cancellation of a meeting this close goes out in quiet hours.
CHANGE_URGENT_WITHIN = timedelta(hours=24)
DIGESTED = "in the digest only"  # the error of a row its reader gets in the digest alone
ALWAYS_URGENT = frozenset({"reminder"})  # never only in the digest (though quiet hours hold)
NEVER_URGENT = frozenset({"position", "digest", "report"})


def clock_time(text: str) -> time | None:
    """ "08:00", "8:00", "8" as a time of day; None when it is not one."""
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()) or len(minutes) not in (0, 2):
        return None
    hour, minute = int(hours), int(minutes or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def at_local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time (a time the clocks skip is read with the offset
    before the change, i.e. an hour later; one shown twice is its first)."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def quiet_end(now: datetime, zone: str, start: str, end: str) -> datetime | None:
    """When the quiet hours `start`-`end` (local times in `zone`) that `now` falls in end;
    None when `now` is outside them."""
    begins, ends, where = clock_time(start), clock_time(end), ZoneInfo(zone)
    if begins is None or ends is None or begins == ends:
        return None
    local = now.astimezone(where)
    moment, today = local.time(), local.date()
    if begins < ends:  # e.g. 13:00-14:00
        inside, end_day = begins <= moment < ends, today
    else:  # across midnight, e.g. 22:00-07:00
        inside = moment >= begins or moment < ends
        end_day = today + timedelta(days=1) if moment >= begins else today
    return at_local(end_day, ends, where) if inside else None


@dataclass(frozen=True)
class Reader:
    """What deciding a row's fate needs to know of its reader."""

    zone: str
    quiet_from: str | None
    quiet_until: str | None
    digest_only: bool


def urgent(
    delivery: Delivery,
    meeting: Meeting | None,
    announcement: Announcement | None,
    now: datetime,
    until: datetime,
) -> bool:
    """Whether a row goes out now although it would wait until `until` (a reminder of a
    meeting starting before then or soon after, a change or cancellation of a meeting within
    a day, an announcement the Chair's office marked urgent)."""
    if delivery.kind in NEVER_URGENT:
        return False
    if delivery.kind == "reminder":
        return (
            meeting is None
            or meeting.starts_at is None
            or (meeting.starts_at <= until + SOON_AFTER)
        )
    if delivery.kind in ("change", "cancellation", "new_meeting"):  # told at once if near
        return meeting is None or meeting.sort_at <= now + CHANGE_URGENT_WITHIN
    if delivery.kind in ("announcement", "correction"):
        return announcement is None or announcement.urgent
    return True


async def _readers(session: AsyncSession, rows: list[Delivery]) -> dict[int, Reader]:
    """The reader of each row's account, by account id: only those with quiet hours or on
    "digest only" (the others are served as the rows come)."""
    venue = (await meta.programme_settings(session)).get("timezone", "UTC")
    found = await session.execute(
        select(
            Account.id,
            Person.timezone,
            Person.quiet_from,
            Person.quiet_until,
            Person.digest_only & Person.digest_at.is_not(None),
        )
        .join(Person, Person.id == Account.person_id)
        .where(
            Account.id.in_({row.account_id for row in rows}),
            Person.quiet_from.is_not(None) | (Person.digest_only & Person.digest_at.is_not(None)),
        )
    )
    return {
        account: Reader(zone or venue, begins, ends, bool(only))
        for account, zone, begins, ends, only in found
    }


async def _subjects(session: AsyncSession, rows: list[Delivery], model: type, column: str) -> dict:
    ids = {getattr(row, column) for row in rows} - {None}
    return {s.id: s for s in await session.scalars(select(model).where(model.id.in_(ids)))}


@dataclass
class Sorted:
    """Claimed rows: those to send now, those held, those only in the digest."""

    send: list[Delivery]
    held: list[tuple[Delivery, datetime]]  # with when each is due again
    digested: list[Delivery]


async def sort_claimed(session: AsyncSession, rows: list[Delivery], now: datetime) -> Sorted:
    """Which claimed rows go now, which wait for the end of their reader's quiet hours, and
    which their reader gets in the digest alone."""
    readers = await _readers(session, rows) if rows else {}
    mine = [row for row in rows if row.account_id in readers]
    if not mine:
        return Sorted(rows, [], [])
    meetings = await _subjects(session, mine, Meeting, "meeting_id")
    announced = await _subjects(session, mine, Announcement, "announcement_id")
    result = Sorted([], [], [])
    for row in rows:
        reader = readers.get(row.account_id)
        if reader is None:
            result.send.append(row)
            continue
        meeting, announcement = meetings.get(row.meeting_id), announced.get(row.announcement_id)
        by_then = now + CHANGE_URGENT_WITHIN  # "urgent" for the digest: not to be put off
        if (
            reader.digest_only
            and row.kind not in ALWAYS_URGENT
            and row.kind != "digest"
            and not urgent(row, meeting, announcement, now, by_then)
        ):
            result.digested.append(row)
            continue
        until = (
            quiet_end(now, reader.zone, reader.quiet_from, reader.quiet_until)
            if reader.quiet_from and reader.quiet_until
            else None
        )
        if until is not None and not urgent(row, meeting, announcement, now, until):
            result.held.append((row, until))
        else:
            result.send.append(row)
    return result


async def settle_sorted(session: AsyncSession, result: Sorted, now: datetime) -> set[int]:
    """Put held rows back (pending, due when the quiet hours end, the attempt not counted)
    and settle those only in the digest; returns the announcements those belong to."""
    released = {"status": DeliveryStatus.PENDING, "claim_token": None, "claimed_until": None}
    back = [
        {
            "id": row.id,
            "due_at": until,
            "attempts": row.attempts - 1,
            # never tried before this claim: its day of retries starts when it is sent
            "first_tried_at": None if row.attempts <= 1 else row.first_tried_at,
            **released,
        }
        for row, until in result.held
    ]
    digested = [
        {"id": row.id, **released, "status": DeliveryStatus.EXPIRED, "error": DIGESTED}
        for row in result.digested
    ]
    for rows in (back, digested):
        if rows:
            await session.execute(update(Delivery), rows)
    return {row.announcement_id for row in result.digested if row.announcement_id is not None}
