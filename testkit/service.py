"""`plenary run` as a real process, for the tests that need the whole service."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from testkit.pg import free_port

PLENARY = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Running:
    port: int
    process: asyncio.subprocess.Process
    stderr: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.asynccontextmanager
async def plenary_run(
    folder: Path, config: str, env: dict[str, str], database: str | None = None
) -> AsyncIterator[Running]:
    """Start `plenary run --demo` with `config` (its [http] port is added) on `database` (a
    new SQLite file by default) until the block ends; then SIGTERM it and keep what it wrote
    to stderr."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    url = database or f"sqlite:///{folder / 'run.db'}"
    (folder / "config.toml").write_text(
        f'[database]\nurl = "{url}"\n[http]\nport = {port}\n{config}'
    )
    process = await asyncio.create_subprocess_exec(
        *PLENARY,
        "run",
        "--demo",
        "--as-of",
        "2016-01-15T12:00-05:00",
        cwd=folder,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stderr=asyncio.subprocess.PIPE,
    )
    running = Running(port, process)
    # Read stderr as it comes: a full pipe would block the process at its next log line.
    reading = asyncio.create_task(process.stderr.read())
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                if process.returncode is not None:
                    break
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{running.url}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
        running.stderr = (await reading).decode()
