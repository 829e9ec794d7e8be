"""Core answer time on a dataset 100 times the IGN's, on SQLite and PostgreSQL.

Builds the dataset of bench/dataset.py, then prints p50/p99 of the core's answer (router,
handler, database; no transport) for each question, beside the machine-speed reference
measured in the same run (bench/timing.py). Run: `make bench` or
`.venv/bin/python -m bench.core_answers [--rounds N]`.
"""

from __future__ import annotations

import time

from bench import dataset
from bench.dataset import build
from bench.timing import answer_times, reference_line

QUESTIONS = {
    "next meeting": "/next",
    "positions by issue": "/positions veto",
    "positions by State": "/position Brazil",
    "fuzzy plain question": "what does the african grup say about the vetto?",
    "Russian day in words": "что запланировано на 22 февраля?",
    "French group members": "qui fait partie du Groupe des quatre ?",
}


async def run(backend: str, url: str, rounds: int) -> None:
    started = time.perf_counter()
    await build(url)
    print(f"\n{backend} (dataset built in {time.perf_counter() - started:.1f} s)")
    print(f"  {await reference_line(url)}")
    uncached = await answer_times(url, QUESTIONS, rounds, cached=False)
    cached = await answer_times(url, QUESTIONS, rounds, cached=True)
    print(f"  {'question':<24} {'p50 ms':>8} {'p99 ms':>8}   {'cached p50':>10} {'p99':>6}")
    for label, (p50, p99) in uncached.items():
        hit50, hit99 = cached[label]
        print(f"  {label:<24} {p50:>8.2f} {p99:>8.2f}   {hit50:>10.2f} {hit99:>6.2f}")


def main() -> None:
    dataset.main("Core answer time", __doc__, run)


if __name__ == "__main__":
    main()
