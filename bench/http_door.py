"""/healthz while unauthenticated requests arrive: does refusing them cost the service anything?

Runs `plenary run` (a real process: Telegram by webhook and Slack over HTTP, against the fake
platforms) and times `GET /healthz` (p50/p99 over sequential requests) alone, then while
attackers keep sending, each on its own connection, one request after the other:
  oversized  61 MB declared (Content-Length) to /slack/events, unsigned (413 before reading);
  chunked    512 KB with no length, in chunks, to /telegram/webhook (413 past 256 KB);
  unsigned   200 KB of JSON to /slack/events with a wrong signature (401, never parsed);
  no secret  200 KB to /telegram/webhook without the secret token (403).
and, for comparison, while three clients ask /healthz itself as fast as they can. Prints each
phase's /healthz figures, its ratio to /healthz alone in the same run, and how many requests
the others made per second (and what they got).
Run: `.venv/bin/python -m bench.http_door [--runs N] [--probes N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from bench.timing import percentile
from testkit.fakes.slack_api import SIGNING_SECRET, FakeSlack
from testkit.fakes.telegram_api import FakeTelegram
from testkit.service import plenary_run

SECRET = "bench-secret_1"
DECLARED = 61 * 1024 * 1024
UNSIGNED = b'{"type": "event_callback", "event": {"text": "' + b"x" * 200_000 + b'"}}'
Attack = Callable[[int, Counter], Awaitable[None]]


async def _exchange(port: int, head: str, body: bytes) -> bytes:
    """Send a request (or as much of it as the server reads) and return its status line."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + body)
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), 10)
    except (ConnectionError, TimeoutError):
        return b"reset"
    finally:
        writer.close()


def _head(path: str, headers: dict[str, str]) -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: bench", *(f"{k}: {v}" for k, v in headers.items())]
    return "\r\n".join(lines) + "\r\n\r\n"


async def healthz(port: int, seen: Counter) -> None:
    """Not an attack: the cheapest request, at the same pace, for comparison."""
    seen[await _exchange(port, "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n", b"")] += 1


async def oversized(port: int, seen: Counter) -> None:
    head = _head(
        "/slack/events",
        {
            "Content-Type": "application/json",
            "Content-Length": str(DECLARED),
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    )
    seen[await _exchange(port, head, b"[" * 65536)] += 1


async def chunked(port: int, seen: Counter) -> None:
    head = _head(
        "/telegram/webhook",
        {"Transfer-Encoding": "chunked", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    chunks = b"10000\r\n" + b"[" * 0x10000 + b"\r\n"  # 64 KB each, never a last one
    seen[await _exchange(port, head, chunks * 8)] += 1


async def unsigned(port: int, seen: Counter) -> None:
    head = _head(
        "/slack/events",
        {
            "Content-Type": "application/json",
            "Content-Length": str(len(UNSIGNED)),
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    )
    seen[await _exchange(port, head, UNSIGNED)] += 1


async def no_secret(port: int, seen: Counter) -> None:
    head = _head("/telegram/webhook", {"Content-Length": str(len(UNSIGNED))})
    seen[await _exchange(port, head, UNSIGNED)] += 1


ATTACKS: dict[str, list[Attack]] = {
    "alone": [],
    "healthz x3": [healthz] * 3,
    "oversized x3": [oversized] * 3,
    "chunked x3": [chunked] * 3,
    "unsigned x3": [unsigned] * 3,
    "no secret x3": [no_secret] * 3,
    "all four x2": [oversized, chunked, unsigned, no_secret] * 2,
}


async def healthz_under(
    port: int, attacks: list[Attack], probes: int
) -> tuple[list[float], Counter, float]:
    """/healthz timings (ms) while `attacks` run, what the attacks got, and their rate."""
    seen: Counter = Counter()
    stop = asyncio.Event()

    async def attacker(attack: Attack) -> None:
        while not stop.is_set():
            await attack(port, seen)

    tasks = [asyncio.create_task(attacker(a)) for a in attacks]
    await asyncio.sleep(0.5 if attacks else 0)  # under way before the first probe
    timings = []
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(probes):
            sent = time.perf_counter()
            response = await client.get("/healthz")
            timings.append((time.perf_counter() - sent) * 1000)
            assert response.status_code == 200, response.text
    elapsed = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*tasks)
    return timings, seen, sum(seen.values()) / elapsed


async def one_run(probes: int) -> dict[str, tuple[float, float, float, Counter]]:
    telegram, slack = await FakeTelegram().serve(), await FakeSlack().serve()
    config = (
        f'[telegram]\nmode = "webhook"\napi_base_url = "{telegram.base_url}"\n'
        f'webhook_url = "https://bench.example/telegram/webhook"\n'
        f'[slack]\napi_base_url = "{slack.base_url}"\n'
    )
    env = {
        "PLENARY_TELEGRAM_TOKEN": telegram.token,
        "PLENARY_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PLENARY_SLACK_BOT_TOKEN": "xoxb-bench",
        "PLENARY_SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    results = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with plenary_run(Path(folder), config, env) as running:
                for phase, attacks in ATTACKS.items():
                    timings, seen, rate = await healthz_under(running.port, attacks, probes)
                    p50, p99 = statistics.median(timings), percentile(timings, 0.99)
                    results[phase] = (p50, p99, rate, seen)
            assert "Traceback" not in running.stderr, running.stderr[-2000:]
    finally:
        await telegram.close()
        await slack.close()
    return results


async def main(runs: int, probes: int) -> None:
    print(f"/healthz, {probes} sequential requests a phase; {runs} runs of plenary run")
    p50s: dict[str, list[float]] = {phase: [] for phase in ATTACKS}
    for run in range(1, runs + 1):
        results = await one_run(probes)
        alone = results["alone"][0]
        print(f"\nrun {run}")
        print(
            f"  {'phase':<14} {'p50 ms':>7} {'p99 ms':>7} {'x alone':>8} {'attacks/s':>10}  answers"
        )
        for phase, (p50, p99, rate, seen) in results.items():
            p50s[phase].append(p50 / alone)
            answers = ", ".join(
                f"{status.decode().strip()[9:] or status.decode()}: {count}"
                for status, count in seen.most_common()
            )
            figures = f"{p50:>7.2f} {p99:>7.2f} {p50 / alone:>8.2f} {rate:>10.0f}"
            print(f"  {phase:<14} {figures}  {answers}")
    print("\nmedian p50 ratio to /healthz alone, over the runs:")
    for phase, ratios in p50s.items():
        print(
            f"  {phase:<14} {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--probes", type=int, default=300)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.probes))
