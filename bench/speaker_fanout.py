"""Next speaker with 1,000 readers following the list: the Chair's office presses "next", and
every alert it calls for ("takes the floor" to those following the State now speaking, "you
are next" and "N speakers before you" to the members of the delegations coming) goes out
through the real python-telegram-bot and slack-sdk clients to the fake Bot API and Web API
(in a process of their own), Telegram's flood limiter capped at N messages a second.

Each run: a new demo database, a list of 40 turns, the readers (70% Telegram, 30% Slack), one
press. Prints the press's answer time (the alerts planned into the outbox included), the time
to settle every alert, the rates (Telegram's as a share of the cap), lost and duplicates; then
the same number of messages sent by the bare libraries in the same run (python-telegram-bot's
`Bot.send_message` under an aiolimiter limiter at the same cap, slack-sdk's
`chat_postMessage`, as many in flight as Plenary's dispatcher), and the ratio of the times.
Run: `.venv/bin/python -m bench.speaker_fanout [--readers N] [--cap PER_SECOND] [--runs R]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

from aiolimiter import AsyncLimiter
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import insert, select, update
from telegram import Bot

from bench.fake_platforms import SLACK_TOKEN, FakePlatforms, fake_platforms
from bench.fanout import capped_telegram, demo_runtime, print_delivery
from bot.config import SlackConfig
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.process import Runtime
from bot.transports.slack.transport import SlackTransport
from storage import meetings, roles
from storage import speakers as lists
from storage.models import Delegation, DelegationKind, FloorWatch, Person, Role
from storage.speakers import Turn
from testkit.bulk import add_people
from testkit.fakes.slack_api import SIGNING_SECRET

MEETING = "ign70-1"
TURNS = 40
COMING = 3  # delegations told after the press: "you are next", then 2 and 3 before them
TEXT = "Brazil takes the floor at IGN meeting."  # what the bare libraries send


async def set_up(runtime: Runtime, readers: int, slack_share: float) -> dict[str, set]:
    """A list of 40 turns, nobody speaking; the readers: watchers of the first turn's State
    and members of the next three delegations. Returns the recipients on each platform."""
    now = datetime.now(UTC)
    async with runtime.sessions() as session:
        states = list(
            await session.scalars(
                select(Delegation.id)
                .where(Delegation.kind == DelegationKind.MEMBER_STATE)
                .order_by(Delegation.id)
                .limit(TURNS)
            )
        )
        meeting = await meetings.by_key(session, MEETING)
        assert meeting is not None
        speakers_list = await lists.ensure(session, meeting, now)
        await lists.replace_all(session, speakers_list, [Turn(s) for s in states], now)
        on_slack = round(readers * slack_share)
        telegram = await add_people(session, readers - on_slack, now, "telegram")
        slack = await add_people(session, on_slack, now, "slack")
        people = [p for pair in zip(telegram, slack, strict=False) for p in pair]
        people += telegram[len(slack) :] + slack[len(telegram) :]
        watchers, members = people[: readers * 2 // 5], people[readers * 2 // 5 :]
        await session.execute(
            insert(FloorWatch),
            [{"person_id": p, "delegation_id": states[0], "created_at": now} for p in watchers],
        )
        for n in range(COMING):
            group = members[n::COMING]
            await session.execute(
                update(Person).where(Person.id.in_(group)).values(delegation_id=states[1 + n])
            )
        await session.commit()
    return {"telegram": set(telegram), "slack": {str(p) for p in slack}}


async def chair(runtime: Runtime) -> Incoming:
    """The Chair's office at the terminal, registered; the press it makes."""
    async with runtime.sessions() as session:
        code = await roles.invite(session, Role.CHAIR, None, datetime.now(UTC), timedelta(days=1))
        await session.commit()
    await runtime.core.answer(Incoming("console", "chair", f"/register {code}", chat_id="chair"))
    return Incoming("console", "chair", f"/speakers {MEETING} next", chat_id="chair")


async def settle(runtime: Runtime, fakes: FakePlatforms, cap: int) -> float:
    """Dispatch until nothing is due; the seconds it took."""
    telegram = capped_telegram(runtime.core, cap, fakes.telegram_token, fakes.telegram_url)
    await telegram.application.initialize()
    slack_config = SlackConfig(
        bot_token=SLACK_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=fakes.slack_url
    )
    slack = SlackTransport(slack_config, runtime.core)
    dispatcher = Dispatcher(runtime.core, {"telegram": telegram, "slack": slack})
    started = time.perf_counter()
    try:
        await dispatcher.run_until_idle()
        return time.perf_counter() - started
    finally:
        await telegram.application.shutdown()
        await slack.stop()


async def bare(fakes: FakePlatforms, expected: dict[str, set], cap: int) -> float:
    """The same messages sent by the bare libraries; the seconds it took."""
    bot = Bot(fakes.telegram_token, base_url=fakes.telegram_url)
    client = AsyncWebClient(token=SLACK_TOKEN, base_url=fakes.slack_url)
    limiter, slots = AsyncLimiter(cap, 1), asyncio.Semaphore(Dispatcher.concurrency)

    async def to_telegram(chat: int) -> None:
        async with slots, limiter:
            await bot.send_message(chat, TEXT)

    async def to_slack(channel: str) -> None:
        async with slots:
            await client.chat_postMessage(channel=channel, text=TEXT)

    async with bot:
        started = time.perf_counter()
        await asyncio.gather(
            *(to_telegram(chat) for chat in expected["telegram"]),
            *(to_slack(channel) for channel in expected["slack"]),
        )
        seconds = time.perf_counter() - started
    return seconds


async def one_run(fakes: FakePlatforms, readers: int, cap: int, slack_share: float) -> float:
    """Prints one run's figures; returns Plenary's time over the bare libraries'."""
    before = {p: len(sent) for p, sent in (await fakes.recorded()).items()}
    async with demo_runtime("speakers.db") as runtime:
        expected = await set_up(runtime, readers, slack_share)
        press = await chair(runtime)
        started = time.perf_counter()
        answer = await runtime.core.answer(press)
        press_seconds = time.perf_counter() - started
        assert "Now speaking" in answer.text, answer.text
        settle_seconds = await settle(runtime, fakes, cap)
    await asyncio.sleep(1)  # anything sent twice would show by now
    recorded = {p: sent[before[p] :] for p, sent in (await fakes.recorded()).items()}
    bare_seconds = await bare(fakes, expected, cap)
    total = sum(len(sent) for sent in recorded.values())
    print(f"  {'press next (plans the alerts)':<28}{press_seconds:8.3f} s")
    print(f"  {'settle every alert':<28}{settle_seconds:8.3f} s ({total:,} messages)")
    for platform, limit in (("telegram", cap), ("slack", None)):
        recipients = [recipient for recipient, _ in recorded[platform]]
        times = [at for _, at in recorded[platform]]
        print_delivery(expected[platform], recipients, times, limit, platform.capitalize())
    print(f"  {'bare libraries, same sends':<28}{bare_seconds:8.3f} s")
    print(f"  {'ratio Plenary / bare':<28}{settle_seconds / bare_seconds:8.2f}")
    return settle_seconds / bare_seconds


async def main(readers: int, cap: int, slack_share: float, runs: int) -> None:
    print(
        f"Next speaker: {readers:,} readers ({1 - slack_share:.0%} Telegram), a list of "
        f"{TURNS}, Telegram cap {cap:,}/s, SQLite"
    )
    ratios = []
    async with fake_platforms() as fakes:
        for run in range(1, runs + 1):
            print(f"run {run}")
            ratios.append(await one_run(fakes, readers, cap, slack_share))
    print(f"median ratio Plenary / bare over {runs} runs: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--cap", type=int, default=30, help="Telegram's: about 30/s")
    parser.add_argument("--slack-share", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.readers, arguments.cap, arguments.slack_share, arguments.runs))
