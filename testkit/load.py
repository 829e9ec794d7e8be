"""Load: simulated users send messages through the Telegram webhook endpoints of several
`plenary run` processes sharing one PostgreSQL; the replies go to a fake Bot API on 127.0.0.1.
The driver that `bench.load` runs at full size and `tests/test_load.py` sized for CI."""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from testkit.fakes.telegram_api import Call, FakeTelegram, private_message
from testkit.service import Running, plenary_run

SECRET = "load-test-secret"
QUESTIONS = ("/next", "when is the next meeting?", "/positions veto", "/position G4", "/issues")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    sent: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    processes: list[dict[str, float]] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies)
        return {
            "messages": self.sent,
            "errors": self.errors,
            "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
            "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 1) if ordered else None,
            "processes": self.processes,
        }


def _usage(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak resident MB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    peak = next(
        int(line.split()[1]) / 1024
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmHWM:")
    )
    return cpu, peak


class Replies:
    """Waits for each user's reply as the fake server receives it."""

    def __init__(self) -> None:
        self.waiting: dict[int, asyncio.Future[Call]] = {}

    def expect(self, chat: int) -> asyncio.Future[Call]:
        self.waiting[chat] = asyncio.get_running_loop().create_future()
        return self.waiting[chat]

    def received(self, call: Call) -> None:
        future = self.waiting.pop(call.params.get("chat_id"), None)
        if future is not None and not future.done():
            future.set_result(call)


async def _user(
    chat: int,
    count: int,
    urls: list[str],
    client: aiohttp.ClientSession,
    replies: Replies,
    result: Result,
) -> None:
    for n in range(count):
        update = private_message(QUESTIONS[(chat + n) % len(QUESTIONS)], user_id=chat)
        update["update_id"] = chat * 1000 + n
        reply = replies.expect(chat)
        started = time.monotonic()
        result.sent += 1
        try:
            async with client.post(
                urls[(chat + n) % len(urls)],
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            ) as response:
                accepted = response.status == 200
            answer = await asyncio.wait_for(reply, 30) if accepted else None
        except (aiohttp.ClientError, TimeoutError):
            answer = None
        text = answer.params.get("text", "") if answer else ""
        if answer is None or "temporarily unavailable" in text or "went wrong" in text:
            result.errors += 1
        else:
            result.latencies.append(time.monotonic() - started)


async def run(users: int, messages: int, processes: int, database: str, folder: Path) -> Result:
    fake = await FakeTelegram().serve()
    replies = Replies()
    fake.on_send = replies.received
    config = (
        f'[telegram]\napi_base_url = "{fake.base_url}"\nmode = "webhook"\n'
        f'webhook_url = "http://127.0.0.1/telegram/webhook"\nwebhook_secret = "{SECRET}"\n'
        "messages_per_second = 100000\n"
    )
    result = Result()
    try:
        async with contextlib.AsyncExitStack() as stack:
            running: list[Running] = [
                await stack.enter_async_context(
                    plenary_run(
                        folder / str(n), config, {"PLENARY_TELEGRAM_TOKEN": fake.token}, database
                    )
                )
                for n in range(processes)
            ]
            urls = [f"{r.url}/telegram/webhook" for r in running]
            before = [_usage(r.process.pid) for r in running]
            # A connection for each user: requests waiting for one of a few would be served
            # out of order (aiohttp lets a new request take a freed connection before those
            # waiting), and the latency would be the driver's. Idle connections are dropped
            # before uvicorn's 5 s keep-alive ends, so none is reused as the server closes it.
            connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=2)
            timeout = aiohttp.ClientTimeout(total=None, sock_read=60)
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
                per_user = max(1, messages // users)
                await asyncio.gather(
                    *(
                        _user(100_000 + u, per_user, urls, client, replies, result)
                        for u in range(users)
                    )
                )
            for r, (cpu_before, _) in zip(running, before, strict=True):
                cpu, peak = _usage(r.process.pid)
                result.processes.append(
                    {"cpu_seconds": round(cpu - cpu_before, 1), "peak_mb": round(peak, 1)}
                )
    finally:
        await fake.close()
    return result
