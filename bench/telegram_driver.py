"""The other side of the Telegram benchmark, in a process of its own: the fake Bot API and
the simulated users, so that the bot's process does nothing but the bot's work.

Usage: python -m bench.telegram_driver PORT USERS MESSAGES. Prints "ready" once serving, then,
when a bot has started polling, one JSON line of figures; exits at the end of its input.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

from testkit.fakes.telegram_api import Call, FakeTelegram, private_message

QUESTIONS = [
    "when is the next meeting?",
    "/positions veto",
    "what does the G4 say about the veto?",
    "who is in UfC?",
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def drive(fake: FakeTelegram, users: int, messages: int) -> tuple[float, list[float]]:
    """Closed-loop users (each sends its next message once answered); (seconds, latencies)."""
    waiting: dict[int, asyncio.Future[float]] = {}

    def on_send(call: Call) -> None:
        future = waiting.pop(call.params["chat_id"], None)
        if future is not None and not future.done():
            future.set_result(call.at)

    fake.on_send = on_send
    latencies: list[float] = []
    loop = asyncio.get_running_loop()

    async def user(user_id: int) -> None:
        for n in range(messages):
            waiting[user_id] = loop.create_future()
            sent_at = time.monotonic()
            fake.push(private_message(QUESTIONS[n % len(QUESTIONS)], user_id=user_id))
            replied_at = await asyncio.wait_for(waiting[user_id], 60)
            latencies.append((replied_at - sent_at) * 1000)

    started = time.monotonic()
    await asyncio.gather(*(user(10_000 + u) for u in range(users)))
    return time.monotonic() - started, latencies


async def main(port: int, users: int, messages: int) -> None:
    fake = await FakeTelegram().serve(port)
    print("ready", flush=True)
    while not fake.sent("getUpdates"):
        await asyncio.sleep(0.01)
    await drive(fake, min(users, 4), 2)  # warm-up
    elapsed, latencies = await drive(fake, users, messages)
    print(
        json.dumps(
            {
                "rate": len(latencies) / elapsed,
                "p50": statistics.median(latencies),
                "p99": percentile(latencies, 0.99),
            }
        ),
        flush=True,
    )
    await asyncio.to_thread(sys.stdin.read)
    await fake.close()


if __name__ == "__main__":
    asyncio.run(main(*(int(argument) for argument in sys.argv[1:4])))
