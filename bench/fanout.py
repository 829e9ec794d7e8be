"""Shared by the fan-out benchmarks: a demo runtime on a throwaway SQLite file, Telegram's
transport capped at a rate, the service's scheduler run until all is sent, and the figures each
fan-out prints (rate, lost, duplicates)."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.config import Config, DatabaseConfig, TelegramConfig
from bot.core.answering import Core
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.process import Runtime, start_runtime
from bot.runtime.scheduler import Scheduler
from bot.transports.telegram.limits import Limits
from bot.transports.telegram.transport import TelegramTransport
from testkit.fakes.telegram_api import FakeTelegram


@asynccontextmanager
async def demo_runtime(name: str) -> AsyncIterator[Runtime]:
    """The demo programme on a new SQLite file, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        config = Config(database=DatabaseConfig(url=f"sqlite:///{Path(folder) / name}"))
        runtime = await start_runtime(config, demo=True)
        try:
            yield runtime
        finally:
            await runtime.close()


def capped_telegram(core: Core, cap: float, token: str, base_url: str) -> TelegramTransport:
    """The real Telegram transport talking to a fake Bot API, its flood limiter capped at
    `cap` messages a second."""
    limits = Limits(overall_per_second=cap, chat_burst=10, chat_per_second=1)
    config = TelegramConfig(token=token, api_base_url=base_url)
    return TelegramTransport(config, core, limits)


def rate(times: list[float]) -> float:
    """Messages a second between the first send and the last."""
    return (len(times) - 1) / (max(times) - min(times)) if len(times) > 1 else 0.0


def print_delivery(
    expected: set[Hashable],
    received: list[Hashable],
    times: list[float],
    cap: float | None,
    label: str = "",
) -> None:
    """The achieved rate (as a share of `cap` when there is one), and how many of the
    recipients `expected` got nothing or got it twice."""
    achieved = rate(times)
    share = f"({achieved / cap:.0%} of the cap)" if cap else "(no cap)"
    counts = Counter(received)
    name = f"{label} " if label else ""
    print(f"  {name + 'achieved rate':<28}{achieved:8.0f} /s {share}")
    print(f"  {name + 'lost':<28}{len(expected - set(counts)):8d}")
    print(f"  {name + 'duplicates':<28}{sum(counts.values()) - len(counts):8d}")


async def send_when_due(
    runtime: Runtime, fake: FakeTelegram, cap: float, due: datetime, expected: int, grace: float
) -> tuple[list, float]:
    """Run the service's scheduler over Telegram (capped at `cap` a second) until `expected`
    messages reached the fake Bot API, or the time they should take three times over plus
    `grace` seconds; returns what was sent and when, on the monotonic clock, `due` fell."""
    transport = capped_telegram(runtime.core, cap, fake.token, fake.base_url)
    await transport.application.initialize()
    scheduler = Scheduler(
        Dispatcher(runtime.core, {"telegram": transport}, batch=500, concurrency=200)
    )
    due_at = time.monotonic() + (due - runtime.core.clock.now()).total_seconds()
    await scheduler.start()
    deadline = due_at + expected / cap * 3 + grace
    while len(fake.sent()) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)  # anything sent twice would show by now
    await scheduler.stop()
    await transport.application.shutdown()
    return fake.sent(), due_at
