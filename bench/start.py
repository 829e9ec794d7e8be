"""Start: `plenary run` on an existing database, from process start to ready, its first answer
and its memory, against a bare python-telegram-bot bot started the same way.

Each run starts the process afresh (Telegram by long polling against a fake Bot API in this
process, the HTTP server on 127.0.0.1): ready is `/healthz` answering 200 with polling begun
(the fake has seen getUpdates); then one question, timed to its answer at the fake; then the
process's resident memory (VmRSS). The bare bot is python-telegram-bot's echo bot, ready at its
first getUpdates. Prints the machine-speed reference first, then min, median and max of the
runs. Run: `.venv/bin/python -m bench.start [--runs N] [--big]` (`--big`: the dataset 100
times the IGN's of bench/dataset.py, 100,000 persons, instead of the demo programme).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import dataset
from bench.timing import reference_line
from testkit.demo import migrated_demo
from testkit.fakes.telegram_api import FakeTelegram, private_message
from testkit.pg import free_port
from testkit.service import ROOT

BARE_BOT = """
import sys
from telegram.ext import ApplicationBuilder, MessageHandler, filters
async def echo(update, context):
    await update.message.reply_text(update.message.text)
app = ApplicationBuilder().token(sys.argv[1]).base_url(sys.argv[2]).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling()
"""


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def one_start(
    command: list[str], fake: FakeTelegram, health: str | None, asker: int
) -> tuple[float, ...]:
    """(seconds to ready, ms to the first answer once ready, MB resident after the answer);
    `asker` is a user new to the fake, so that no answer to an earlier run's question (a
    stopped process may leave one unconfirmed) counts."""
    fake.calls.clear()
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient() as client:
            while True:
                assert process.returncode is None, "the process ended"
                healthy = health is None
                if not healthy:
                    with contextlib.suppress(httpx.TransportError):
                        healthy = (await client.get(health)).status_code == 200
                if healthy and fake.sent("getUpdates"):
                    break
                await asyncio.sleep(0.005)
        ready = time.perf_counter() - started
        asked = time.perf_counter()
        fake.push(private_message("when is the next meeting?", user_id=asker))
        await fake.wait_for(1, chat_id=asker, timeout=30)
        first = (time.perf_counter() - asked) * 1000
        return ready, first, resident_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()


def summary(label: str, values: list[float], unit: str) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"  {label:<34} min {low:>7.2f}  median {mid:>7.2f}  max {high:>7.2f} {unit}"


async def main(runs: int, big: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/plenary.db"
        print(await reference_line(url.replace("sqlite:", "sqlite+aiosqlite:")))
        await (dataset.build(url) if big else migrated_demo(url))
        fake = await FakeTelegram().serve(0)
        port = free_port()
        (Path(folder) / "config.toml").write_text(
            f'[database]\nurl = "{url}"\n[http]\nport = {port}\n'
            f'[telegram]\ntoken = "{fake.token}"\napi_base_url = "{fake.base_url}"\n'
        )
        plenary = [sys.executable, "-m", "bot.cli", "run", "--config", f"{folder}/config.toml"]
        bare = [sys.executable, "-c", BARE_BOT, fake.token, fake.base_url]
        figures: dict[str, list[tuple[float, ...]]] = {"bare": [], "Plenary": []}
        health = f"http://127.0.0.1:{port}/healthz"
        for run in range(runs):
            figures["bare"].append(await one_start(bare, fake, None, 5000 + 2 * run))
            figures["Plenary"].append(await one_start(plenary, fake, health, 5001 + 2 * run))
        await fake.close()
    what = "the dataset 100 times the IGN's" if big else "the demo programme"
    print(f"Start on an existing database ({what}), {runs} runs, SQLite")
    for label, runs_figures in figures.items():
        ready, first, memory = (list(values) for values in zip(*runs_figures, strict=True))
        print(f"{label}:")
        print(summary("ready (healthy, polling)", ready, "s"))
        print(summary("first answer once ready", first, "ms"))
        print(summary("resident memory after it", memory, "MB"))
    ratios = [p[0] / b[0] for p, b in zip(figures["Plenary"], figures["bare"], strict=True)]
    print(summary("ready, Plenary / bare, per run", ratios, "x"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.big))
