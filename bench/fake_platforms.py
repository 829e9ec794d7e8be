"""The fake Telegram Bot API and Slack Web API in a process of their own, so that a benchmark's
process does only Plenary's work.

Run as `python -m bench.fake_platforms`: prints one JSON line with where the servers listen,
then answers each line read with one JSON line of the messages they recorded (recipient and
monotonic time of each); exits at the end of its input. `FakePlatforms` drives it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from testkit.fakes.slack_api import FakeSlack
from testkit.fakes.telegram_api import FakeTelegram

REPORT_LIMIT = 64 * 1024 * 1024  # bytes of one JSON line of recorded messages
SLACK_TOKEN = "xoxb-bench"  # the bot token the fake Slack accepts


@dataclass
class FakePlatforms:
    """The benchmark's side: where the servers are, and what they recorded."""

    process: asyncio.subprocess.Process
    telegram_url: str
    telegram_token: str
    slack_url: str

    async def recorded(self) -> dict[str, list[tuple[Any, float]]]:
        """{"telegram": [(chat id, time)], "slack": [(channel, time)]} for every message."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"report\n")
        await self.process.stdin.drain()
        found = json.loads(await self.process.stdout.readline())
        return {platform: [tuple(sent) for sent in calls] for platform, calls in found.items()}


@asynccontextmanager
async def fake_platforms() -> AsyncIterator[FakePlatforms]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.fake_platforms",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=REPORT_LIMIT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        where = json.loads(await process.stdout.readline())
        yield FakePlatforms(process, where["telegram"], where["token"], where["slack"])
    finally:
        process.stdin.close()
        await process.wait()


async def serve() -> None:
    telegram, slack = await FakeTelegram().serve(), await FakeSlack(token=SLACK_TOKEN).serve()
    where = {"telegram": telegram.base_url, "token": telegram.token, "slack": slack.base_url}
    print(json.dumps(where), flush=True)
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, sys.stdin.readline):
        recorded = {
            "telegram": [(c.params["chat_id"], c.at) for c in telegram.sent()],
            "slack": [(c.params["channel"], c.at) for c in slack.sent("chat.postMessage")],
        }
        print(json.dumps(recorded), flush=True)
    await telegram.close()
    await slack.close()


if __name__ == "__main__":
    asyncio.run(serve())
