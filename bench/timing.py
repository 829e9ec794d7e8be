"""Timing for benchmarks: percentiles, and the core's answer time for a list of questions."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text as sql

from bench.dataset import NOW, PERSONS
from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.messages import Incoming
from bot.core.reply_cache import ReplyCache
from storage.database import create_engine, session_factory

WARM_UP = 20  # rounds left out: caches, prepared statements, the connection pool


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def p50_p99(call: Callable[[int], Awaitable[object]], rounds: int) -> tuple[float, float]:
    """Median and 99th percentile, in milliseconds, of `call(round)` after the warm-up."""
    timings = []
    for n in range(rounds + WARM_UP):
        started = time.perf_counter()
        await call(n)
        if n >= WARM_UP:
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.99)


async def answer_times(
    url: str, questions: dict[str, str], rounds: int, cached: bool
) -> dict[str, tuple[float, float]]:
    """p50/p99 of the core's answer (router, handler, database; no transport) to each
    question, each round asked by a different person."""
    engine = create_engine(url)
    core = Core(session_factory(engine), FixedClock(NOW))
    if not cached:
        core.replies = ReplyCache(size=0)
    results = {}
    for label, text in questions.items():

        async def ask(n: int, text: str = text) -> None:
            reply = await core.answer(Incoming("telegram", str(1 + n % PERSONS), text))
            assert "went wrong" not in reply.text and "unavailable" not in reply.text, reply.text

        results[label] = await p50_p99(ask, rounds)
    await engine.dispose()
    return results


def cpu_reference() -> float:
    """The machine's speed now: milliseconds for a fixed CPU-bound loop (median of 5), to
    compare figures measured on other days and machines."""

    def loop() -> float:
        started = time.perf_counter()
        total = 0
        for n in range(1_000_000):
            total += n * n % 7
        return (time.perf_counter() - started) * 1000

    return statistics.median(loop() for _ in range(5))


async def database_reference(url: str, rounds: int = 300) -> tuple[float, float]:
    """p50/p99 in milliseconds of a bare SQLAlchemy round trip (SELECT 1 in a session of its
    own) on the database at `url`: the floor under any answer that reads it."""
    engine = create_engine(url)
    sessions = session_factory(engine)

    async def select_one(_n: int) -> None:
        async with sessions() as session:
            await session.execute(sql("SELECT 1"))

    try:
        return await p50_p99(select_one, rounds)
    finally:
        await engine.dispose()


async def reference_line(url: str) -> str:
    """The machine-speed reference, printed beside each benchmark's figures."""
    db50, db99 = await database_reference(url)
    return (
        f"machine reference: CPU loop {cpu_reference():.1f} ms; bare SQLAlchemy round trip "
        f"(SELECT 1, {url.split(':', 1)[0]}) p50 {db50:.2f} ms, p99 {db99:.2f} ms"
    )
