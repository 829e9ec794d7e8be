"""Core answer time on a dataset 100 times the IGN's, on SQLite and PostgreSQL.

Builds 200 delegations x 5 key issues x 10 versions, 5,000 meetings and 100,000 persons, then
prints p50/p99 of the core's answer (router, handler, database; no transport) for four
questions. Run: `make bench` or `.venv/bin/python -m bench.core_answers [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.clock import FixedClock
from bot.core import Core
from bot.messages import Incoming
from bot.reply_cache import ReplyCache
from bot.runtime import prepare
from storage import revisions
from storage.database import create_engine, session_factory
from storage.importer import import_demo
from storage.meetings import place_in_time
from storage.models import (
    Delegation,
    KeyIssue,
    Meeting,
    MeetingKeyIssue,
    Position,
    PositionVersion,
)
from tests.bulk import add_people

NOW = datetime.fromisoformat("2016-01-15T12:00:00-05:00")
DELEGATIONS, VERSIONS, MEETINGS, PERSONS = 200, 10, 5_000, 100_000
QUESTIONS = {
    "next meeting": "/next",
    "positions by issue": "/positions veto",
    "positions by State": "/position Brazil",
    "fuzzy plain question": "what does the african grup say about the vetto?",
}
SYLLABLES = ["ba", "ra", "to", "ni", "ka", "ma", "lo", "vi", "sa", "de", "mo", "ru", "ta", "li"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))).title()


async def build(url: str) -> None:
    """Migrate, load the demo, and add synthetic data up to the 100x sizes."""
    rng = random.Random(70)
    engine = create_engine(url)
    async with (await prepare(engine))() as session:  # the demo and every UN State
        await import_demo(session, NOW)
        issues = list(await session.scalars(select(KeyIssue.id)))
        existing = len(list(await session.scalars(select(Delegation.id))))
        names = {_name(rng) for _ in range(DELEGATIONS * 2)} - {""}
        extra = sorted(names)[: max(0, DELEGATIONS - existing)]
        if extra:  # the UN's 195 States and the demo's groups may already be enough
            await session.execute(
                insert(Delegation),
                [
                    {"key": f"x-{i}", "kind": "member_state", "name": name, "aliases": []}
                    for i, name in enumerate(extra)
                ],
            )
        delegations = list(await session.scalars(select(Delegation.id)))
        held = set(await session.execute(select(Position.delegation_id, Position.key_issue_id)))
        await session.execute(
            insert(Position),
            [
                {"delegation_id": d, "key_issue_id": i, "version_count": 0}
                for d in delegations
                for i in issues
                if (d, i) not in held
            ],
        )
        positions = list(await session.execute(select(Position.id, Position.version_count)))
        rows = []
        for position_id, count in positions:
            for number in range(count + 1, VERSIONS + 1):
                rows.append(
                    {
                        "position_id": position_id,
                        "number": number,
                        "text": " ".join(rng.choice(SYLLABLES) * 2 for _ in range(40)),
                        "stated_on": date(2015, 1, 1) + timedelta(days=rng.randint(0, 900)),
                        "sources": [],
                        "created_at": NOW,
                    }
                )
        await session.execute(insert(PositionVersion), rows)
        await session.execute(Position.__table__.update().values(version_count=VERSIONS))
        meeting_rows = []
        for number in range(MEETINGS):
            day = date(2016, 1, 1) + timedelta(days=number // 2)
            start = datetime(day.year, day.month, day.day, 15, tzinfo=UTC) if number % 3 else None
            sort_at, until_at = place_in_time(day, start, "America/New_York")
            meeting_rows.append(
                {
                    "key": f"bench-{number}",
                    "local_date": day,
                    "starts_at": start,
                    "timezone": "America/New_York",
                    "status": "scheduled",
                    "sources": [],
                    "sort_at": sort_at,
                    "until_at": until_at,
                }
            )
        await session.execute(insert(Meeting), meeting_rows)
        meeting_ids = list(
            await session.scalars(select(Meeting.id).where(Meeting.key.like("bench-%")))
        )
        await session.execute(
            insert(MeetingKeyIssue),
            [{"meeting_id": m, "key_issue_id": rng.choice(issues)} for m in meeting_ids],
        )
        await add_people(session, PERSONS, NOW, "telegram")
        await session.run_sync(revisions.bump)  # bulk inserts bypass the ORM's events
        await session.commit()
    if engine.dialect.name == "sqlite":  # fold the bulk load's write-ahead log in, as in use
        async with engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    await engine.dispose()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(url: str, rounds: int, cached: bool) -> dict[str, tuple[float, float]]:
    engine = create_engine(url)
    clock = FixedClock(NOW)
    core = Core(session_factory(engine), clock)
    if not cached:
        core.replies = ReplyCache(size=0)
    results = {}
    for label, text in QUESTIONS.items():
        timings = []
        for n in range(rounds + 20):
            incoming = Incoming("telegram", str(1 + n % PERSONS), text)
            started = time.perf_counter()
            reply = await core.answer(incoming)
            elapsed = (time.perf_counter() - started) * 1000
            if n >= 20:  # warm-up: caches, prepared statements, connection pool
                timings.append(elapsed)
        assert "went wrong" not in reply.text and "unavailable" not in reply.text, reply.text
        results[label] = (statistics.median(timings), percentile(timings, 0.99))
    await engine.dispose()
    return results


async def run(backend: str, url: str, rounds: int) -> None:
    started = time.perf_counter()
    await build(url)
    print(f"\n{backend} (dataset built in {time.perf_counter() - started:.1f} s)")
    uncached = await measure(url, rounds, cached=False)
    cached = await measure(url, rounds, cached=True)
    print(f"  {'question':<24} {'p50 ms':>8} {'p99 ms':>8}   {'cached p50':>10} {'p99':>6}")
    for label, (p50, p99) in uncached.items():
        hit50, hit99 = cached[label]
        print(f"  {label:<24} {p50:>8.2f} {p99:>8.2f}   {hit50:>10.2f} {hit99:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(
        f"Core answer time: {DELEGATIONS} delegations x 5 issues x {VERSIONS} versions, "
        f"{MEETINGS:,} meetings, {PERSONS:,} persons; {args.rounds} rounds each"
    )
    with tempfile.TemporaryDirectory() as folder:
        if args.backend in ("sqlite", "both"):
            asyncio.run(run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args.rounds))
    if args.backend in ("postgresql", "both"):
        from tests import pg

        cluster = pg.Cluster()
        cluster.start()
        try:

            async def on_postgres() -> None:
                await run("PostgreSQL", await cluster.create_database("bench"), args.rounds)

            asyncio.run(on_postgres())
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
