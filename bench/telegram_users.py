"""Telegram where users meet it: many new users at once, texts nobody can read, one person
asking quickly; Plenary against the bare python-telegram-bot echo bot, run after run.

Each run starts a fake Bot API and its users in a process of their own (bench/telegram_driver.py),
then each bot in turn, Plenary on a fresh copy of the demo programme, and prints the ratio of
Plenary to the bare bot measured in that run: updates per second for the first two scenarios
(flood caps lifted on both sides), the median latency of the answers after the third for the
last (Plenary with its own flood limits, as in service). Prints the machine-speed reference
first. Run: `.venv/bin/python -m bench.telegram_users [--runs N] [--users N] [--messages M]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

from bench.telegram_throughput import NO_CAP, Starter, echo_bot, measure, plenary
from bench.timing import reference_line
from bot.transports.telegram.limits import Limits

SCENARIOS = {
    "distinct": "many new users, one everyday question each (en, fr, es; commands, plain words)",
    "unreadable": "many new users, one text nobody can read each",
    "quick": "one person asking one question after another",
}


def plenary_bot(limits: Limits) -> Callable[[str, Path], Awaitable[Starter]]:
    async def make(base_url: str, folder: Path) -> Starter:
        stack = AsyncExitStack()
        _runtime, transport = await stack.enter_async_context(plenary(base_url, folder, limits))
        return transport.start, stack.aclose

    return make


async def main(runs: int, users: int, messages: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(await reference_line(f"sqlite+aiosqlite:///{folder}/reference.db"))
    print(f"Telegram: {users} users for the first two scenarios, {messages} questions for the last")
    for scenario, description in SCENARIOS.items():
        quick = scenario == "quick"
        unit = "p50 ms" if quick else "updates/s"
        print(f"\n{scenario}: {description} ({unit})")
        print(f"  {'run':<4} {'bare':>9} {'Plenary':>9} {'ratio':>7}")
        ratios = []
        for run in range(runs):
            figures = []
            for make in (echo_bot, plenary_bot(Limits() if quick else NO_CAP)):
                rate, p50, _p99 = await measure(make, users, messages, scenario, seed=run)
                figures.append(p50 if quick else rate)
            bare, ours = figures
            # Throughput: Plenary's share of the bare bot's; latency: times the bare bot's.
            ratios.append(ours / bare)
            print(f"  {run + 1:<4} {bare:>9.1f} {ours:>9.1f} {ours / bare:>7.2f}")
        what = "latency x bare" if quick else "throughput / bare"
        print(
            f"  {what}: min {min(ratios):.2f}, median {statistics.median(ratios):.2f}, "
            f"max {max(ratios):.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--messages", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.users, arguments.messages))
