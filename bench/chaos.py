"""Chaos: two `plenary run` processes on one PostgreSQL deliver about 10,000 messages (reminders
of 3 meetings, an announcement to everyone, corrected midway, and its delivery report) to
Telegram and Slack, while the fake platforms answer a share of calls with 429 (retry_after up
to 45 s, beyond the 30 s lease), 5xx, timeouts and slow answers, and a random process is
killed with SIGKILL every few seconds and started again.

Prints, per run: lost (must be 0), duplicates next to what was in flight at the kills (sent
by the platform, not yet recorded: the most a kill may send again), the corrections that
reached every message sent with the old text, the delivery reports, the time to drain, and
the faults dealt. Each process gets fake servers of its own (sharing the faults), so that
what a process had in flight is known.
Run: `.venv/bin/python -m bench.chaos [--runs N] [--people N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.chaos_report import Analysis, Kill, Slot, analyse
from bot.runtime.process import prepare
from storage import announcements, reminders
from storage.announcements import Audience
from storage.database import create_engine
from storage.files.programme_toml import parse_programme
from storage.importer import import_programme
from storage.models import Announcement, Delivery, DeliveryStatus, Person, Role
from testkit import pg
from testkit.bulk import add_people
from testkit.fakes.chaos import Chaos
from testkit.fakes.slack_api import SIGNING_SECRET, FakeSlack
from testkit.fakes.telegram_api import FakeTelegram
from testkit.service import PLENARY, ROOT

MEETINGS = 3
OLD, NEW = "The IGN meets at 10:00 (chaos).", "The IGN meets at 11:00 (chaos, corrected)."
SLACK_TOKEN = "xoxb-chaos"
UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


def programme(now: datetime) -> str:
    """Meetings an hour and a minute away (real time): their 1-hour reminders fall due a
    minute in, and expire only when they start."""
    meetings = "".join(
        f'[[meetings]]\nkey = "chaos-{n}"\ntitle = "Chaos meeting {n}"\n'
        f"start = {(now + timedelta(minutes=61, seconds=n)).isoformat()}\n"
        'room = "Conference Room 4"\nkey_issues = ["veto"]\n\n'
        for n in range(1, MEETINGS + 1)
    )
    return (
        '[programme]\nkey = "chaos"\nname = "Chaos rehearsal"\ntimezone = "America/New_York"\n\n'
        '[[key_issues]]\nkey = "veto"\nname = "the question of the veto"\n\n' + meetings
    )


async def populate(sessions: async_sessionmaker[AsyncSession], people: int) -> int:
    """The programme, `people` subscribers (half on Telegram, half on Slack), the Chair's
    office on Telegram, the reminders planned, the announcement confirmed; returns how many
    deliveries are due."""
    now = datetime.now(UTC)
    async with sessions() as session:
        await import_programme(session, parse_programme(programme(now)), now)
        half = people // 2
        await add_people(session, half, now, "telegram", lead_times=[60], subscribed=True)
        await add_people(session, people - half, now, "slack", lead_times=[60], subscribed=True)
        (chair,) = await add_people(session, 1, now, "telegram")
        await session.execute(update(Person).where(Person.id == chair).values(role=Role.CHAIR))
        await reminders.plan_all(session, now)
        draft = await announcements.draft(session, chair, "cli", OLD, Audience("all"), now)
        await announcements.confirm(session, draft, now)
        await session.commit()
        return await session.scalar(select(func.count()).select_from(Delivery))


@dataclass
class Process:
    """A `plenary run` in one slot, with fake platforms of its own."""

    slot: Slot
    folder: Path
    database: str
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    starts: int = 0

    async def start(self) -> None:
        self.starts += 1
        config = self.folder / "config.toml"
        config.write_text(
            f'[database]\nurl = "{self.database}"\n'
            f"[http]\nport = {pg.free_port()}\n"
            f'[telegram]\napi_base_url = "{self.slot.telegram.base_url}"\n'
            "messages_per_second = 500\n"
            f'[slack]\napi_base_url = "{self.slot.slack.base_url}"\n'
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PLENARY_TELEGRAM_TOKEN": self.slot.telegram.token,
            "PLENARY_SLACK_BOT_TOKEN": SLACK_TOKEN,
            "PLENARY_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        }
        log = (self.folder / f"stderr-{self.starts}.log").open("wb")
        self.process = await asyncio.create_subprocess_exec(
            *PLENARY, "run", "--config", str(config), env=env, stderr=log, cwd=self.folder
        )
        self.started_at = time.monotonic()

    @property
    def owner(self) -> str:
        """How its claims are named (bot.runtime.dispatcher.process_name)."""
        assert self.process is not None
        return f"{socket.gethostname()}:{self.process.pid}"

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 60)

    def tracebacks(self) -> list[str]:
        """Each traceback its starts wrote, with the log line before it."""
        found = []
        for log in sorted(self.folder.glob("stderr-*")):
            lines = log.read_text().splitlines()
            for at, line in enumerate(lines):
                if line.startswith("Traceback"):
                    found.append("\n".join(lines[max(at - 1, 0) : at + 40]))
        return found


async def in_flight_rows(sessions: async_sessionmaker[AsyncSession], owner: str) -> list[int]:
    """The rows a dead process held: claimed, not settled."""
    async with sessions() as session:
        return list(
            await session.scalars(
                select(Delivery.id).where(
                    Delivery.status == DeliveryStatus.SENDING,
                    Delivery.claim_token.like(f"{owner}/%"),
                )
            )
        )


async def progress(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    """(announcement rows sent, rows not settled, reports queued)."""
    async with sessions() as session:
        sent = await session.scalar(
            select(func.count()).where(
                Delivery.kind == "announcement", Delivery.status == DeliveryStatus.SENT
            )
        )
        unsettled = await session.scalar(select(func.count()).where(Delivery.status.in_(UNSETTLED)))
        reports = await session.scalar(select(func.count()).where(Delivery.kind == "report"))
    return sent, unsettled, reports


async def correct_midway(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        announcement = await session.scalar(select(Announcement))
        await announcements.correct(session, announcement, NEW, datetime.now(UTC))
        await session.commit()


async def run_once(cluster: pg.Cluster, run: int, people: int, rng: random.Random) -> Analysis:
    url = await cluster.create_database(f"chaos_{run}")
    engine = create_engine(url)
    sessions = await prepare(engine)
    due = await populate(sessions, people)
    telegram_chaos = Chaos(0.001, (1, 45), 0.01, 0.002, 6.0, 0.03, rng=rng)
    slack_chaos = Chaos(0.002, (1, 45), 0.01, 0.001, 31.0, 0.03, rng=rng)
    kills: list[Kill] = []
    with TemporaryDirectory() as folder:
        slots = []
        for name in ("a", "b"):
            telegram = await FakeTelegram(chaos=telegram_chaos).serve()
            slack = await FakeSlack(token=SLACK_TOKEN, chaos=slack_chaos).serve()
            (Path(folder) / name).mkdir()
            slots.append(Process(Slot(name, telegram, slack), Path(folder) / name, url))
        started = time.monotonic()
        for process in slots:
            await process.start()
        corrected, next_kill = False, started + rng.uniform(3, 8)
        try:
            while True:
                await asyncio.sleep(0.5)
                sent, unsettled, reports = await progress(sessions)
                if not corrected and sent >= people // 2:
                    await correct_midway(sessions)
                    corrected = True
                if corrected and reports and not unsettled:
                    break
                if time.monotonic() < next_kill:
                    continue
                victim = rng.choice(slots)
                owner, lived_from = victim.owner, victim.started_at
                await victim.kill()
                killed_at = time.monotonic()
                held = await in_flight_rows(sessions, owner)
                kills.append(Kill(victim.slot.name, lived_from, killed_at, held))
                await victim.start()
                next_kill = time.monotonic() + rng.uniform(3, 8)
            drained = time.monotonic() - started
        finally:
            for process in slots:
                await process.stop()
        tracebacks = [trace for process in slots for trace in process.tracebacks()]
        analysis = await analyse(sessions, [p.slot for p in slots], kills, OLD, NEW)
        for process in slots:
            await process.slot.telegram.close()
            await process.slot.slack.close()
    await engine.dispose()
    analysis.due, analysis.drained, analysis.tracebacks = due, drained, len(tracebacks)
    for trace in tracebacks:
        print(f"A process logged:\n{trace}\n", file=sys.stderr)
    analysis.faults = Counter(telegram_chaos.met) + Counter(slack_chaos.met)
    return analysis


async def main(runs: int, people: int, seed: int) -> None:
    if not pg.available():
        sys.exit("the chaos benchmark needs PostgreSQL (initdb, pg_ctl, postgres) on PATH")
    cluster = pg.Cluster()
    await asyncio.to_thread(cluster.start)
    results: list[Analysis] = []
    try:
        for run in range(1, runs + 1):
            result = await run_once(cluster, run, people, random.Random(seed + run))
            result.print(f"Run {run} (seed {seed + run})")
            results.append(result)
    finally:
        await asyncio.to_thread(cluster.stop)
    Analysis.print_table(results)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--people", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=17)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.people, arguments.seed))
