"""Reminder fan-out: one meeting, 10,000 subscribers on Telegram, through the fake Bot API.

Prints the time to enqueue the fan-out, how late the first send was, the achieved send rate
as a share of the rate cap given to the flood limiter, and lost/duplicate counts.
Run: `.venv/bin/python -m bench.reminder_fanout [--subscribers N] [--cap PER_SECOND]`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta

from bench.fanout import demo_runtime, print_delivery, send_when_due
from bot.core.clock import Clock
from storage import meetings, reminders
from testkit.bulk import add_people
from testkit.fakes.telegram_api import FakeTelegram

LEAD = 60  # minutes
START_BEFORE_DUE = timedelta(seconds=3)


async def add_subscribers(runtime, count: int) -> set[int]:
    """Their chat ids."""
    async with runtime.sessions() as session:
        ids = await add_people(
            session, count, datetime.now(UTC), "telegram", [LEAD], subscribed=True
        )
        await session.commit()
    return set(ids)


async def main(subscribers: int, cap: int) -> None:
    fake = await FakeTelegram().serve()
    async with demo_runtime("fanout.db") as runtime:
        chats = await add_subscribers(runtime, subscribers)
        async with runtime.sessions() as session:
            meeting = await meetings.by_key(session, "ign70-1")
        due = meeting.starts_at - timedelta(minutes=LEAD)
        runtime.core.clock = clock = Clock(due - START_BEFORE_DUE)
        started = time.perf_counter()
        async with runtime.sessions() as session:
            enqueued = await reminders.plan_meeting(session, meeting, clock.now())
            await session.commit()
        enqueue_seconds = time.perf_counter() - started
        sends, due_at = await send_when_due(runtime, fake, cap, due, subscribers, grace=30)
    await fake.close()
    print(f"Reminder fan-out: 1 meeting, {subscribers:,} subscribers, cap {cap:,}/s, SQLite")
    print(f"  enqueue the fan-out         {enqueue_seconds:8.3f} s ({enqueued:,} deliveries)")
    print(f"  first send after due time   {sends[0].at - due_at:8.3f} s")
    print_delivery(chats, [c.params["chat_id"] for c in sends], [c.at for c in sends], cap)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--cap", type=int, default=1000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.subscribers, arguments.cap))
