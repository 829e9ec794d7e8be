"""The other side of the Telegram benchmark, in a process of its own: the fake Bot API and
the simulated users, so that the bot's process does nothing but the bot's work.

Usage: python -m bench.telegram_driver PORT USERS MESSAGES [SCENARIO [SEED]]. Prints "ready"
once serving, then, when a bot has started polling, one JSON line of figures; exits at the end
of its input. Scenarios: "loop" (USERS each send MESSAGES, the next once the last is
answered), "distinct" (USERS new users send one everyday question each, all at once),
"unreadable" (the same with a text nobody can read, different for each, drawn from SEED),
"quick" (one person sends MESSAGES questions, each once the last is answered; the figures are
those of the answers after the third).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

from bench.questions import EVERYDAY, unreadable
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


async def drive(
    fake: FakeTelegram, users: int, messages: int, first_user: int = 10_000
) -> tuple[float, list[float]]:
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
    await asyncio.gather(*(user(first_user + u) for u in range(users)))
    return time.monotonic() - started, latencies


async def burst(fake: FakeTelegram, texts: list[tuple[str, str]]) -> tuple[float, list[float]]:
    """One message from each of len(texts) new users, all at once; (seconds, latencies)."""
    loop = asyncio.get_running_loop()
    waiting = {20_000 + n: loop.create_future() for n in range(len(texts))}

    def on_send(call: Call) -> None:
        future = waiting.get(call.params["chat_id"])
        if future is not None and not future.done():
            future.set_result(call.at)

    fake.on_send = on_send
    started = time.monotonic()
    for (user_id, _), (text, language) in zip(waiting.items(), texts, strict=True):
        fake.push(private_message(text, user_id=user_id, language=language))
    replied = await asyncio.wait_for(asyncio.gather(*waiting.values()), 120)
    return max(replied) - started, [(at - started) * 1000 for at in replied]


async def one_person(fake: FakeTelegram, messages: int) -> tuple[float, list[float]]:
    """One person asking `messages` questions, each once the last is answered; the answers
    after the third (seconds, latencies)."""
    loop = asyncio.get_running_loop()
    latencies, elapsed = [], 0.0
    for n in range(messages):
        answered: asyncio.Future[float] = loop.create_future()

        def on_send(call: Call, answered: asyncio.Future[float] = answered) -> None:
            if call.params["chat_id"] == 30_000 and not answered.done():
                answered.set_result(call.at)

        fake.on_send = on_send
        text, language = EVERYDAY[n % len(EVERYDAY)]
        sent_at = time.monotonic()
        fake.push(private_message(text, user_id=30_000, language=language))
        replied_at = await asyncio.wait_for(answered, 60)
        if n >= 3:
            latencies.append((replied_at - sent_at) * 1000)
            elapsed += replied_at - sent_at
    return elapsed, latencies


async def main(port: int, users: int, messages: int, scenario: str, seed: int) -> None:
    fake = await FakeTelegram().serve(port)
    print("ready", flush=True)
    while not fake.sent("getUpdates"):
        await asyncio.sleep(0.01)
    await drive(fake, min(users, 4), 2, first_user=9_000_000)  # warm-up, other users
    if scenario == "distinct":
        mix = [EVERYDAY[n % len(EVERYDAY)] for n in range(users)]
        elapsed, latencies = await burst(fake, mix)
    elif scenario == "unreadable":
        elapsed, latencies = await burst(fake, [(t, "en") for t in unreadable(users, seed)])
    elif scenario == "quick":
        elapsed, latencies = await one_person(fake, messages)
    else:
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
    port, users, messages = (int(argument) for argument in sys.argv[1:4])
    scenario = sys.argv[4] if len(sys.argv) > 4 else "loop"
    asyncio.run(
        main(port, users, messages, scenario, int(sys.argv[5]) if len(sys.argv) > 5 else 24)
    )
