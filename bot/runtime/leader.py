"""Work that one process must do at a time (Telegram long polling): on PostgreSQL a
session-level advisory lock held on its own connection decides who; when the holder dies its
connection closes, the lock is free, and another process takes over. SQLite serves one
process: it always leads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.metrics import LEADER

log = logging.getLogger(__name__)
LOCKS = {"telegram-polling": 7_001_002}


class Leadership:
    """Runs `lead` once this process holds the lock `name`, and `follow` if it loses it."""

    def __init__(
        self,
        engine: AsyncEngine,
        name: str,
        lead: Callable[[], Awaitable[None]],
        follow: Callable[[], Awaitable[None]],
        retry_every: float = 2.0,
    ) -> None:
        self.engine, self.name, self.key = engine, name, LOCKS[name]
        self.lead, self.follow, self.retry_every = lead, follow, retry_every
        self.leading = False
        self._connection: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        LEADER.labels(self.name).set(0)
        if self.engine.dialect.name != "postgresql":
            self.leading = True
            LEADER.labels(self.name).set(1)
            await self.lead()
            return
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            try:
                if not self.leading:
                    await self._try_to_lead()
                else:
                    await self._check_still_leading()
            except Exception:  # the database is away: follow until it is back
                log.warning("lost the database while holding or seeking leadership")
                await self._step_down()
            await asyncio.sleep(self.retry_every)

    async def _try_to_lead(self) -> None:
        connection = await self.engine.connect()
        held = await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
        await connection.commit()
        if not held:
            await connection.close()
            return
        self._connection, self.leading = connection, True
        LEADER.labels(self.name).set(1)
        log.info("this process now leads: %s", self.name)
        await self.lead()

    async def _check_still_leading(self) -> None:
        assert self._connection is not None
        await self._connection.execute(text("SELECT 1"))
        await self._connection.commit()

    async def _step_down(self) -> None:
        if self.leading:
            self.leading = False
            LEADER.labels(self.name).set(0)
            await self.follow()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": self.key}
                )
            await self._step_down()
        self.leading = False
