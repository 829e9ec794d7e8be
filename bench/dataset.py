"""The dataset 100 times the IGN's that benchmarks share, and the databases to build it on.

200 delegations x 5 key issues x 10 position versions, 5,000 meetings, 100,000 persons, on a
temporary SQLite file and on a throwaway PostgreSQL cluster (tests/pg.py).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.runtime.process import prepare
from storage import revisions
from storage.database import create_engine
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
from testkit.bulk import add_people

NOW = datetime.fromisoformat("2016-01-15T12:00:00-05:00")
DELEGATIONS, VERSIONS, MEETINGS, PERSONS = 200, 10, 5_000, 100_000
SIZES = (
    f"{DELEGATIONS} delegations x 5 issues x {VERSIONS} versions, "
    f"{MEETINGS:,} meetings, {PERSONS:,} persons"
)
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


def main(
    title: str, description: str | None, run: Callable[[str, str, int], Awaitable[None]]
) -> None:
    """A benchmark's command line (`--rounds N`, `--backend sqlite|postgresql|both`): prints
    the title and the sizes, then `run(label, url, rounds)` on each database asked for."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(f"{title}: {SIZES}; {args.rounds} rounds each")
    on_backends(args.backend, lambda label, url: run(label, url, args.rounds))


def on_backends(backend: str, run: Callable[[str, str], Awaitable[None]]) -> None:
    """`run(label, url)` on a new SQLite file, on a new PostgreSQL database, or on both."""
    if backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}"))
    if backend in ("postgresql", "both"):
        from testkit import pg

        cluster = pg.Cluster()
        cluster.start()
        try:

            async def on_postgres() -> None:
                await run("PostgreSQL", await cluster.create_database("bench"))

            asyncio.run(on_postgres())
        finally:
            cluster.stop()
