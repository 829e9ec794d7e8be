"""Digests: each reader's daily or weekly summary, an outbox row due at their local time.

Only the next digest of each reader is planned (at their setting, and by the scheduler's
housekeeping every few minutes), due at the local wall time in their zone, so a change of
daylight saving time moves its UTC instant and never its local time. Its key names the
person and the local day: planning again adds nothing, and a digest sent is not sent again
the same day, whatever its reader changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import meta, outbox, people
from storage.models import Account, Delivery, DeliveryStatus, Person
from storage.quiet_hours import at_local, clock_time
from storage.subscriptions import reaching_accounts

KIND = "digest"
STALE_AFTER = timedelta(hours=12)  # a digest that could not go out by then gives way


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def next_due(now: datetime, zone: str, at: str, weekday: int | None) -> datetime:
    """The next instant after `now` when it is `at` in `zone` (on `weekday`, 0 Monday, if
    given)."""
    where, moment = _zone(zone), clock_time(at) or time(8)
    today = now.astimezone(where).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        due = at_local(day, moment, where)
        if due > now:
            return due
    raise AssertionError("a week always holds the weekday")  # pragma: no cover


def local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(_zone(zone)).date()


def span(due: datetime, zone: str, weekday: int | None) -> tuple[datetime, datetime]:
    """What a digest due at `due` looks back on: since the digest before it (a day or a week
    earlier, at the same local time)."""
    where = _zone(zone)
    local = due.astimezone(where)
    back = timedelta(days=1 if weekday is None else 7)
    return at_local(local.date() - back, local.timetz().replace(tzinfo=None), where), due


def key(person_id: int, due: datetime, zone: str) -> str:
    return f"{KIND}:{person_id}:{local_day(due, zone).isoformat()}"


async def plan(session: AsyncSession, now: datetime, person_id: int | None = None) -> int:
    """Enqueue the next digest of every reader who asked for one (or of one person)."""
    readers = select(Person.id).where(Person.digest_at.is_not(None))
    if person_id is not None:
        readers = readers.where(Person.id == person_id)
    settings = {
        row.id: row
        for row in await session.execute(
            select(Person.id, Person.timezone, Person.digest_at, Person.digest_weekday).where(
                Person.id.in_(readers)
            )
        )
    }
    if not settings:
        return 0
    venue = (await meta.programme_settings(session)).get("timezone", "UTC")
    rows: list[dict[str, Any]] = []
    for account in await reaching_accounts(session, readers):
        reader = settings[account.person_id]
        zone = reader.timezone or venue
        due = next_due(now, zone, reader.digest_at, reader.digest_weekday)
        since, _ = span(due, zone, reader.digest_weekday)
        rows.append(
            {
                "key": key(reader.id, due, zone),
                "kind": KIND,
                "account_id": account.id,
                "payload": {"since": since.isoformat()},
                "status": DeliveryStatus.PENDING,
                "due_at": due,
                "expires_at": due + STALE_AFTER,
                "attempts": 0,
                "created_at": now,
            }
        )
    return await outbox.enqueue(session, rows)


async def replan_person(session: AsyncSession, person_id: int, now: datetime) -> int:
    """After someone changes their digest: their pending one goes, the next one is planned."""
    accounts = [a.id for a in await people.accounts_of(session, person_id)]
    await outbox.drop_pending(session, Delivery.kind == KIND, Delivery.account_id.in_(accounts))
    return await plan(session, now, person_id)


async def planned_for(session: AsyncSession, person_id: int) -> Delivery | None:
    """The person's next digest, if one is planned."""
    accounts = select(Account.id).where(Account.person_id == person_id)
    return await session.scalar(
        select(Delivery)
        .where(
            Delivery.kind == KIND,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.account_id.in_(accounts),
        )
        .order_by(Delivery.due_at)
        .limit(1)
    )
