"""Daily digest fan-out: 10,000 readers on Telegram, their digests due at 08:00 on the day of
a meeting, built for each reader and sent through the fake Bot API.

Prints the time to plan (enqueue) the digests, how late the first send was, the achieved send
rate as a share of the rate cap given to the flood limiter, and lost/duplicate counts.
Run: `.venv/bin/python -m bench.digest_fanout [--readers N] [--cap PER_SECOND]`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bench.fanout import demo_runtime, print_delivery, send_when_due
from bot.core.clock import Clock
from storage import digests
from storage.models import Person
from testkit.bulk import add_people
from testkit.fakes.telegram_api import FakeTelegram

DUE = datetime.fromisoformat("2016-02-03T08:00:00-05:00")  # the day of the demo's meeting
START_BEFORE_DUE = timedelta(seconds=3)


async def add_readers(runtime, count: int) -> set[int]:
    """Readers on a daily digest at 08:00 (venue time); their chat ids."""
    async with runtime.sessions() as session:
        ids = await add_people(session, count, datetime.now(UTC), "telegram")
        await session.execute(update(Person).where(Person.id.in_(ids)).values(digest_at="08:00"))
        await session.commit()
    return set(ids)


async def main(readers: int, cap: int) -> None:
    fake = await FakeTelegram().serve()
    async with demo_runtime("digests.db") as runtime:
        chats = await add_readers(runtime, readers)
        runtime.core.clock = clock = Clock(DUE - START_BEFORE_DUE)
        started = time.perf_counter()
        async with runtime.sessions() as session:
            enqueued = await digests.plan(session, clock.now())
            await session.commit()
        enqueue_seconds = time.perf_counter() - started
        sends, due_at = await send_when_due(runtime, fake, cap, DUE, readers, grace=60)
    await fake.close()
    print(f"Daily digest fan-out: {readers:,} readers, cap {cap:,}/s, SQLite")
    print(f"  plan (enqueue) the digests  {enqueue_seconds:8.3f} s ({enqueued:,} deliveries)")
    print(f"  first send after due time   {sends[0].at - due_at:8.3f} s")
    print(f"  last send after due time    {sends[-1].at - due_at:8.3f} s")
    print_delivery(chats, [c.params["chat_id"] for c in sends], [c.at for c in sends], cap)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--cap", type=int, default=1000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.readers, arguments.cap))
