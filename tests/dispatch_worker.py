"""A dispatcher in a process of its own, for the several-process test.

Usage: python -m tests.dispatch_worker DATABASE-URL AS-OF. Prints "ready", waits for a line
on standard input, dispatches everything due, and prints each delivered account's id.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.messages import Reply
from bot.runtime.dispatcher import Dispatcher
from storage.database import create_engine, session_factory
from storage.models import Account


class Printer:
    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        await asyncio.sleep(0.002)  # a platform takes a moment to answer
        print(account.external_id, flush=True)
        return account.external_id


async def main(url: str, as_of: str) -> None:
    engine = create_engine(url)
    core = Core(session_factory(engine), FixedClock(datetime.fromisoformat(as_of)))
    dispatcher = Dispatcher(core, {"console": Printer()}, batch=50)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    await dispatcher.run_until_idle()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:3]))
