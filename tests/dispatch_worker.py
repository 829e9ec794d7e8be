"""A dispatcher in a process of its own, for the several-process test.

Usage: python -m tests.dispatch_worker DATABASE-URL AS-OF [--hang-after N] [--later SECONDS].
Prints "ready", waits for a line on standard input, dispatches everything due, and prints
each delivered account's id as the platform takes it. With --hang-after, the platform stops
answering after N messages (those it takes still print): the process hangs, to be killed.
With --later, the process believes real time is that much later (leases run out sooner).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime, timedelta

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.messages import Reply
from bot.runtime.dispatcher import Dispatcher
from storage.database import create_engine, session_factory
from storage.models import Account

CONCURRENCY = 8  # sends in flight at once: what a crash may send again


class Printer:
    def __init__(self, hang_after: int | None) -> None:
        self.hang_after, self.answered = hang_after, 0

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        await asyncio.sleep(0.002)  # a platform takes a moment to answer
        print(account.external_id, flush=True)  # the platform took it
        if self.hang_after is not None and self.answered >= self.hang_after:
            await asyncio.Event().wait()  # its answer never comes back
        self.answered += 1
        return account.external_id


async def main(url: str, as_of: str, hang_after: int | None, later: float) -> None:
    engine = create_engine(url)
    core = Core(session_factory(engine), FixedClock(datetime.fromisoformat(as_of)))
    dispatcher = Dispatcher(
        core,
        {"console": Printer(hang_after)},
        batch=50,
        concurrency=CONCURRENCY,
        real_now=lambda: datetime.now(UTC) + timedelta(seconds=later),
    )
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    await dispatcher.run_until_idle()
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("as_of")
    parser.add_argument("--hang-after", type=int)
    parser.add_argument("--later", type=float, default=0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.url, arguments.as_of, arguments.hang_after, arguments.later))
