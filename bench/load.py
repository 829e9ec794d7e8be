"""Load: simulated users send messages through the Telegram webhook endpoints of several
`plenary run` processes sharing one PostgreSQL; the replies go to a fake Bot API on 127.0.0.1.

Prints the error count, p50/p99 answer latency (webhook POST -> reply received by the fake
server), and CPU seconds and peak memory of each process. Run:
`.venv/bin/python -m bench.load [--users 1000] [--messages 20000] [--processes 2]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from testkit import pg
from testkit.demo import migrated_demo
from testkit.load import run


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    cluster = pg.Cluster()
    await asyncio.to_thread(cluster.start)
    try:
        url = await cluster.create_database("load")
        await migrated_demo(url)
        with tempfile.TemporaryDirectory() as folder:
            started = time.monotonic()
            result = await run(args.users, args.messages, args.processes, url, Path(folder))
            elapsed = time.monotonic() - started
    finally:
        await asyncio.to_thread(cluster.stop)
    print(json.dumps({**result.summary(), "seconds": round(elapsed, 1)}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
