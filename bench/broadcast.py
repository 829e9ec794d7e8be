"""Broadcast: one announcement to 10,000 people, 70% on Telegram and 30% on Slack, through the
real transports to the fake Bot API and Web API on 127.0.0.1 (in a process of their own).

The dispatcher runs with the service's batch and concurrency unless told otherwise.
Prints the time to confirm (enqueue) the broadcast and to send it, the achieved send rate per
platform (Telegram's as a share of the cap given to its flood limiter; Plenary puts no cap on
Slack, whose own 429s pace it), and lost/duplicate counts against the accounts.
Run: `.venv/bin/python -m bench.broadcast [--people N] [--slack-share F] [--cap PER_SECOND]`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime

from bench.fake_platforms import SLACK_TOKEN, FakePlatforms, fake_platforms
from bench.fanout import capped_telegram, demo_runtime, print_delivery
from bot.config import SlackConfig
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.process import Runtime
from bot.transports.slack.transport import SlackTransport
from storage import announcements
from storage.announcements import Audience
from testkit.bulk import add_people
from testkit.fakes.slack_api import SIGNING_SECRET

TEXT = "The IGN meets on 3 February at 10:00 in the Trusteeship Council Chamber."
ROUND = 100  # people added at a time, mixed: the outbox interleaves the platforms


async def add_audience(runtime: Runtime, people: int, slack_share: float) -> dict[str, set]:
    """The recipients to expect on each platform (Telegram chat ids, Slack channels)."""
    now = datetime.now(UTC)
    expected: dict[str, set] = {"telegram": set(), "slack": set()}
    async with runtime.sessions() as session:
        for start in range(0, people, ROUND):
            size = min(ROUND, people - start)
            on_slack = round(size * slack_share)
            telegram = await add_people(session, size - on_slack, now, "telegram")
            slack = await add_people(session, on_slack, now, "slack")
            expected["telegram"].update(telegram)
            expected["slack"].update(str(person) for person in slack)
        await session.commit()
    return expected


async def confirm_for_everyone(runtime: Runtime) -> int:
    now = runtime.clock.now()
    async with runtime.sessions() as session:
        draft = await announcements.draft(session, None, "cli", TEXT, Audience("all"), now)
        enqueued = await announcements.confirm(session, draft, now)
        await session.commit()
    return enqueued


async def send_all(
    runtime: Runtime, fakes: FakePlatforms, cap: int, concurrency: int, limit: float
) -> float:
    """Dispatch until nothing is due; returns the seconds it took."""
    telegram = capped_telegram(runtime.core, cap, fakes.telegram_token, fakes.telegram_url)
    await telegram.application.initialize()
    slack_config = SlackConfig(
        bot_token=SLACK_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=fakes.slack_url
    )
    slack = SlackTransport(slack_config, runtime.core)
    senders = {"telegram": telegram, "slack": slack}
    dispatcher = Dispatcher(runtime.core, senders, concurrency=concurrency)
    started = time.perf_counter()
    try:
        await asyncio.wait_for(dispatcher.run_until_idle(), limit)
        return time.perf_counter() - started
    finally:
        await telegram.application.shutdown()
        await slack.stop()


async def main(people: int, slack_share: float, cap: int, concurrency: int) -> None:
    async with fake_platforms() as fakes, demo_runtime("broadcast.db") as runtime:
        expected = await add_audience(runtime, people, slack_share)
        started = time.perf_counter()
        enqueued = await confirm_for_everyone(runtime)
        enqueue_seconds = time.perf_counter() - started
        send_seconds = await send_all(runtime, fakes, cap, concurrency, people / cap * 3 + 60)
        await asyncio.sleep(1)  # anything sent twice would show by now
        recorded = await fakes.recorded()
    print(
        f"Broadcast: 1 announcement, {people:,} people ({len(expected['telegram']):,} Telegram, "
        f"{len(expected['slack']):,} Slack), Telegram cap {cap:,}/s, {concurrency} sends at "
        "a time, SQLite"
    )
    print(f"  {'confirm (enqueue)':<28}{enqueue_seconds:8.3f} s ({enqueued:,} deliveries)")
    print(f"  {'send them all':<28}{send_seconds:8.3f} s")
    total = sum(len(sent) for sent in recorded.values())
    print(f"  {'overall rate':<28}{total / send_seconds:8.0f} /s")
    for platform, limit in (("telegram", cap), ("slack", None)):
        recipients = [recipient for recipient, _ in recorded[platform]]
        times = [at for _, at in recorded[platform]]
        print_delivery(expected[platform], recipients, times, limit, platform.capitalize())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--slack-share", type=float, default=0.3)
    parser.add_argument("--cap", type=int, default=1000)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=Dispatcher.concurrency,
        help="sends in flight at once (default: the service's)",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.slack_share, arguments.cap, arguments.concurrency))
