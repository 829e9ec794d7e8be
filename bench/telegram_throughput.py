"""Telegram throughput: Plenary against bare python-telegram-bot echo bots, same fake server.

N simulated users each send M messages, one after the other (the next once the previous one is
answered), through a fake Bot API on 127.0.0.1 that every bot long-polls. Prints updates per
second and p50/p99 reply latency (update queued -> reply received by the fake server) for:
the bare echo bot (python-telegram-bot's defaults, as in its own echo example); the same bot
answering each question with Plenary's reply to it, rendered once beforehand (what sending
Plenary's longer HTML and its buttons costs, with none of Plenary's work); and Plenary. Then
the ratios. Run: `.venv/bin/python -m bench.telegram_throughput [--users N] [--messages M]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.telegram_driver import QUESTIONS
from bot.config import Config, DatabaseConfig, TelegramConfig
from bot.core.messages import Incoming
from bot.render.telegram import render_messages
from bot.runtime.process import Runtime, start_runtime
from bot.transports.telegram.limits import Limits
from bot.transports.telegram.transport import TelegramTransport
from testkit.fakes.telegram_api import FakeTelegram
from testkit.pg import free_port

NO_CAP = Limits(
    overall_per_second=100_000, chat_burst=100_000, chat_per_second=100_000, answer_burst=100_000
)
TOKEN = FakeTelegram.token
Starter = tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]


def bare_bot(base_url: str, answer: Callable[[Update], Awaitable[object]]) -> Starter:
    """python-telegram-bot with its defaults, answering text messages with `answer`."""

    async def on_text(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await answer(update)

    app = ApplicationBuilder().token(TOKEN).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, on_text))

    async def start() -> None:
        await app.initialize()
        await app.start()
        await app.updater.start_polling()

    async def stop() -> None:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    return start, stop


@asynccontextmanager
async def plenary(
    base_url: str, folder: Path, limits: Limits = NO_CAP
) -> AsyncIterator[tuple[Runtime, TelegramTransport]]:
    config = Config(database=DatabaseConfig(url=f"sqlite:///{folder / 'bench.db'}"))
    runtime = await start_runtime(config, demo=True)
    transport = TelegramTransport(
        TelegramConfig(token=TOKEN, api_base_url=base_url), runtime.core, limits=limits
    )
    try:
        yield runtime, transport
    finally:
        await transport.stop()
        await runtime.close()


async def echo_bot(base_url: str, _folder: Path) -> Starter:
    return bare_bot(base_url, lambda update: update.message.reply_text(update.message.text))


async def replies_bot(base_url: str, folder: Path) -> Starter:
    """The bare bot sending, for each question, the messages Plenary answers it with."""
    prepared = {}
    async with plenary(base_url, folder) as (runtime, transport):
        for question in QUESTIONS:
            reply = await runtime.core.answer(Incoming("telegram", "1", question, chat_id="1"))
            prepared[question] = (render_messages(reply)[-1], await transport.markup(reply))

    def answer(update: Update) -> Awaitable[object]:
        text, markup = prepared[update.message.text]
        return update.message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)

    return bare_bot(base_url, answer)


async def plenary_bot(base_url: str, folder: Path) -> Starter:
    stack = AsyncExitStack()
    _runtime, transport = await stack.enter_async_context(plenary(base_url, folder))
    return transport.start, stack.aclose


async def measure(
    make: Callable[[str, Path], Awaitable[Starter]],
    users: int,
    messages: int,
    scenario: str = "loop",
    seed: int = 24,
) -> tuple[float, float, float]:
    """One run against a fresh driver process (bench/telegram_driver.py's scenario):
    (updates per second, p50 ms, p99 ms)."""
    port = free_port()
    driver = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.telegram_driver",
        str(port),
        str(users),
        str(messages),
        scenario,
        str(seed),
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
    bots = {"bare echo bot": echo_bot, "echo bot, Plenary's replies": replies_bot}
    bots["Plenary"] = plenary_bot
    print(f"  {'bot':<28} {'updates/s':>9} {'p50 ms':>9} {'p99 ms':>9}")
    results: dict[str, list[tuple[float, float, float]]] = {label: [] for label in bots}
    for _ in range(rounds):
        for label, make in bots.items():
            results[label].append(await measure(make, users, messages))
    rates = {}
    for label, runs in results.items():
        rate, p50, p99 = (statistics.median(values) for values in zip(*runs, strict=True))
        rates[label] = rate
        print(f"  {label:<28} {rate:>9.0f} {p50:>9.1f} {p99:>9.1f}")
    for baseline in ("bare echo bot", "echo bot, Plenary's replies"):
        print(f"  ratio Plenary / {baseline}: {rates['Plenary'] / rates[baseline]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.users, arguments.messages, arguments.rounds))
