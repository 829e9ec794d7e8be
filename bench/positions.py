"""Position search and the positions overview on a dataset 100 times the IGN's.

Builds the dataset of bench/dataset.py, then gives every position one version more, written
in the demo's own words drawn with Zipf-like frequencies (so that some words are in most
positions, others in a few), and prints p50/p99 of `search_positions` (the storage call, a page
of 6: over the latest versions, and over those known on the dataset's day, as the bot's clock
decides) and of the core's uncached answer to `/search ...` and to `/positions veto`. Run:
`make bench` or `.venv/bin/python -m bench.positions [--rounds N] [--backend ...]`.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from datetime import date

from sqlalchemy import insert, select, update

from bench import dataset
from bench.dataset import NOW, VERSIONS, build
from bench.timing import answer_times, p50_p99
from storage.database import create_engine, session_factory
from storage.files.programme_toml import parse_programme
from storage.importer import DEMO_FILE
from storage.models import Position, PositionVersion
from storage.search import search_positions

SEARCHES = {
    "common word": "permanent",
    "two words": "permanent seats",
    "prefix": "perm",
    "phrase": '"permanent seats"',
    "rare word": "review",
    "old versions only": "baba",
    "nowhere": "zanzibar",
}
OVERVIEW = {"overview": "/positions veto"}
WORDS_A_TEXT = 50


async def rewrite_in_demo_words(url: str) -> None:
    """A new latest version of every position, in words of the demo's positions and issues."""
    rng = random.Random(70)
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        demo = parse_programme(DEMO_FILE.read_text())
        texts = [p.text for p in demo.positions] + [i.description for i in demo.key_issues]
        counts = Counter(re.findall(r"[\w'-]+", " ".join(texts)))
        vocabulary = [word for word, _ in counts.most_common()]
        weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
        await session.execute(
            insert(PositionVersion),
            [
                {
                    "position_id": position_id,
                    "number": VERSIONS + 1,
                    "text": " ".join(rng.choices(vocabulary, weights, k=WORDS_A_TEXT)) + ".",
                    "sources": [],
                    "created_at": NOW,
                }
                for position_id in await session.scalars(select(Position.id))
            ],
        )
        await session.execute(update(Position).values(version_count=VERSIONS + 1))
        await session.commit()
    await engine.dispose()


async def search_times(
    url: str, rounds: int, as_of: date | None
) -> dict[str, tuple[float, float, int]]:
    """p50/p99 of one page of search results, with how many positions matched; with `as_of`,
    among the versions known that day (as the bot searches, its clock deciding)."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    results = {}
    for label, query in SEARCHES.items():

        async def search(_n: int, query: str = query) -> int:
            async with sessions() as session:
                return (await search_positions(session, query, limit=6, as_of=as_of)).total

        async with sessions() as session:
            total = (await search_positions(session, query, as_of=as_of)).total
        results[label] = (*await p50_p99(search, rounds), total)
    await engine.dispose()
    return results


async def run(backend: str, url: str, rounds: int) -> None:
    started = time.perf_counter()
    await build(url)
    await rewrite_in_demo_words(url)
    print(f"\n{backend} (dataset built in {time.perf_counter() - started:.1f} s)")
    latest = await search_times(url, rounds, None)
    known = await search_times(url, rounds, NOW.date())
    answers = await answer_times(
        url, {label: f"/search {q}" for label, q in SEARCHES.items()} | OVERVIEW, rounds, False
    )
    print(f"  {'':<40} {'search_positions':>26}   {'as of the day':>26}   {'core answer':>15}")
    figures = f"{'p50 ms':>8} {'p99 ms':>8} {'hits':>8}"
    print(f"  {'query':<40} {figures}   {figures}   {'p50 ms':>7} {'p99 ms':>7}")
    for label, query in SEARCHES.items():
        stored = "   ".join(
            f"{p50:>8.2f} {p99:>8.2f} {n:>8}" for p50, p99, n in (latest[label], known[label])
        )
        answer50, answer99 = answers[label]
        print(f"  {label + f' ({query})':<40} {stored}   {answer50:>7.2f} {answer99:>7.2f}")
    answer50, answer99 = answers["overview"]
    print(f"  {OVERVIEW['overview']:<40} {'':>55}   {answer50:>7.2f} {answer99:>7.2f}")


def main() -> None:
    dataset.main("Position search, uncached", __doc__, run)


if __name__ == "__main__":
    main()
