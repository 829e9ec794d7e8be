"""Many people at once, for tests and benchmarks that need thousands of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Person, Subscription

CHUNK = 10_000


async def add_people(
    session: AsyncSession,
    count: int,
    now: datetime,
    platform: str,
    lead_times: list[int] | None = None,
    subscribed: bool = False,
) -> list[int]:
    """`count` new persons, one account each on `platform` (chat id = account id), subscribed
    to all meetings if asked; returns their ids."""
    before = set(await session.scalars(select(Person.id)))
    for start in range(0, count, CHUNK):
        await session.execute(
            insert(Person),
            [
                {
                    "display_name": f"person {n}",
                    "role": "delegate",
                    "created_at": now,
                    "lead_times": lead_times,
                }
                for n in range(start, min(count, start + CHUNK))
            ],
        )
    ids = sorted(set(await session.scalars(select(Person.id))) - before)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        await session.execute(
            insert(Account),
            [
                {
                    "person_id": p,
                    "platform": platform,
                    "external_id": str(p),
                    "chat_id": str(p),
                    "active": True,
                    "created_at": now,
                }
                for p in chunk
            ],
        )
        if subscribed:
            await session.execute(
                insert(Subscription),
                [{"person_id": p, "key_issue_id": None, "created_at": now} for p in chunk],
            )
    return ids
