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
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.config import Config, DatabaseConfig, TelegramConfig
from bot.runtime import start_runtime
from bot.transports.telegram import TelegramTransport
from bot.transports.telegram_limits import Limits
from tests.fakes.telegram_api import FakeTelegram
from tests.pg import free_port

NO_CAP = Limits(overall_per_second=100_000, chat_burst=100_000, chat_per_second=100_000)
TOKEN = FakeTelegram.token


async def echo_bot(base_url: str, _folder: Path) -> tuple[Callable, Callable]:
    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(base_url)
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


async def plenary_bot(base_url: str, folder: Path) -> tuple[Callable, Callable]:
    config = Config(database=DatabaseConfig(f"sqlite:///{folder / 'bench.db'}"))
    runtime = await start_runtime(config, demo=True)
    transport = TelegramTransport(
        TelegramConfig(token=TOKEN, api_base_url=base_url), runtime.core, limits=NO_CAP
    )

    async def stop() -> None:
        await transport.stop()
        await runtime.close()

    return transport.start, stop


async def measure(
    label: str, make: Callable, users: int, messages: int
) -> tuple[float, float, float]:
    """One run against a fresh driver process: (updates per second, p50 ms, p99 ms)."""
    port = free_port()
    driver = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.telegram_driver",
        str(port),
        str(users),
        str(messages),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert (await driver.stdout.readline()).strip() == b"ready"
    with tempfile.TemporaryDirectory() as folder:
        start, stop = await make(f"http://127.0.0.1:{port}/bot", Path(folder))
        await start()
        try:
            figures = json.loads(await driver.stdout.readline())
        finally:
            await stop()
            driver.stdin.close()
            await driver.wait()
    return figures["rate"], figures["p50"], figures["p99"]


async def main(users: int, messages: int, rounds: int) -> None:
    print(
        f"Telegram: {users} users x {messages} messages, closed loop, fake Bot API and users "
        f"in another process on 127.0.0.1, no rate cap; {rounds} alternating rounds, medians"
    )
    print(f"  {'bot':<10} {'updates/s':>9} {'p50 ms':>9} {'p99 ms':>9}")
    results: dict[str, list[tuple[float, float, float]]] = {"echo": [], "Plenary": []}
    for _ in range(rounds):
        results["echo"].append(await measure("echo", echo_bot, users, messages))
        results["Plenary"].append(await measure("Plenary", plenary_bot, users, messages))
    medians = {}
    for label, runs in results.items():
        rate, p50, p99 = (statistics.median(values) for values in zip(*runs, strict=True))
        medians[label] = rate
        print(f"  {label:<10} {rate:>9.0f} {p50:>9.1f} {p99:>9.1f}")
    print(f"  ratio Plenary / echo: {medians['Plenary'] / medians['echo']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.users, arguments.messages, arguments.rounds))
