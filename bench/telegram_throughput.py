"""Telegram throughput: Plenary against a bare python-telegram-bot echo bot, same fake server.

N simulated users each send M messages, one after the other (the next once the previous one is
answered), through a fake Bot API on 127.0.0.1 that both bots long-poll. Prints updates per
second and p50/p99 reply latency (update queued -> reply received by the fake server) for
each bot, and the ratio. Run: `.venv/bin/python -m bench.telegram_throughput [--users N]
[--messages M]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.core_answers import percentile
from bot.config import Config, DatabaseConfig, TelegramConfig
from bot.runtime import start_runtime
from bot.transports.telegram import TelegramTransport
from bot.transports.telegram_limits import Limits
from tests.fakes.telegram_api import Call, FakeTelegram, private_message

QUESTIONS = [
    "when is the next meeting?",
    "/positions veto",
    "what does the G4 say about the veto?",
    "who is in UfC?",
]
NO_CAP = Limits(overall_per_second=100_000, chat_burst=100_000, chat_per_second=100_000)


async def drive(fake: FakeTelegram, users: int, messages: int) -> tuple[float, list[float]]:
    """Closed-loop users; returns (elapsed seconds, latencies in ms)."""
    waiting: dict[int, asyncio.Future[float]] = {}

    def on_send(call: Call) -> None:
        future = waiting.pop(call.params["chat_id"], None)
        if future is not None and not future.done():
            future.set_result(call.at)

    fake.on_send = on_send
    latencies: list[float] = []
    loop = asyncio.get_running_loop()

    async def user(user_id: int) -> None:
        for n in range(messages):
            waiting[user_id] = loop.create_future()
            sent_at = time.monotonic()
            fake.push(private_message(QUESTIONS[n % len(QUESTIONS)], user_id=user_id))
            replied_at = await asyncio.wait_for(waiting[user_id], 30)
            latencies.append((replied_at - sent_at) * 1000)

    started = time.monotonic()
    await asyncio.gather(*(user(10_000 + u) for u in range(users)))
    return time.monotonic() - started, latencies


async def echo_bot(fake: FakeTelegram) -> tuple[Callable, Callable]:
    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .concurrent_updates(32)
        .job_queue(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))

    async def start() -> None:
        await app.initialize()
        await app.start()
        await app.updater.start_polling()

    async def stop() -> None:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    return start, stop


async def plenary_bot(fake: FakeTelegram, folder: Path) -> tuple[Callable, Callable]:
    config = Config(database=DatabaseConfig(f"sqlite:///{folder / 'bench.db'}"))
    runtime = await start_runtime(config, demo=True)
    transport = TelegramTransport(
        TelegramConfig(token=fake.token, api_base_url=fake.base_url), runtime.core, limits=NO_CAP
    )

    async def stop() -> None:
        await transport.stop()
        await runtime.close()

    return transport.start, stop


async def measure(label: str, make: Callable, users: int, messages: int) -> float:
    fake = await FakeTelegram().serve()
    with tempfile.TemporaryDirectory() as folder:
        start, stop = await make(fake, Path(folder)) if label == "Plenary" else await make(fake)
        await start()
        try:
            await drive(fake, min(users, 4), 2)  # warm-up
            elapsed, latencies = await drive(fake, users, messages)
        finally:
            await stop()
            await fake.close()
    rate = len(latencies) / elapsed
    print(
        f"  {label:<10} {rate:>9.0f} {statistics.median(latencies):>9.1f} "
        f"{percentile(latencies, 0.99):>9.1f}"
    )
    return rate


async def main(users: int, messages: int) -> None:
    print(
        f"Telegram: {users} users x {messages} messages, closed loop, fake Bot API on "
        "127.0.0.1, no rate cap"
    )
    print(f"  {'bot':<10} {'updates/s':>9} {'p50 ms':>9} {'p99 ms':>9}")
    echo = await measure("echo", echo_bot, users, messages)
    plenary = await measure("Plenary", plenary_bot, users, messages)
    print(f"  ratio Plenary / echo: {plenary / echo:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.users, arguments.messages))
