"""Work that one process must do at a time (Telegram long polling): on PostgreSQL a
session-level advisory lock held on its own connection decides who; when the holder dies its
connection closes, the lock is free, and another process takes over. SQLite serves one
process: it always leads.

When the database goes away the leader keeps leading (its messages get the apology: nobody
else can take the lock meanwhile), and retakes the lock when the database is back; only if
another process took it first does it step down."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.metrics import LEADER

log = logging.getLogger(__name__)
LOCKS = {"telegram-polling": 7_001_002}
DATABASE_AWAY = (SQLAlchemyError, OSError, TimeoutError)
DATABASE_TIMEOUT = 5.0  # seconds a look at the lock may take before the database counts as away


class Leadership:
    """Runs `lead` once this process holds the lock `name`, and `follow` if another process
    holds it instead."""

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
        self._connection: AsyncConnection | None = None  # holds the lock while leading
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
                if self._connection is None:
                    await self._take_the_lock()
                else:
                    async with asyncio.timeout(DATABASE_TIMEOUT):
                        await self._check_the_lock()
            except DATABASE_AWAY as error:
                await self._lose_the_connection(error)
            await asyncio.sleep(self.retry_every)

    async def _try_the_lock(self) -> AsyncConnection | None:
        """A connection holding the lock, or None when another process holds it."""
        async with asyncio.timeout(DATABASE_TIMEOUT):
            connection = await self.engine.connect()
            try:
                held = await connection.scalar(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}
                )
                await connection.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    await connection.close()
                raise
            if not held:
                await connection.close()
                return None
            return connection

    async def _take_the_lock(self) -> None:
        """Try for the lock: lead if it is ours, else follow (stepping down if we led)."""
        connection = await self._try_the_lock()
        if connection is None:
            if self.leading:
                log.warning("another process took the lock %s: this one follows", self.name)
                await self._stop_leading()
            return
        self._connection = connection
        if self.leading:
            log.info("the lock %s is held again", self.name)
        else:
            await self._begin_leading()

    async def _check_the_lock(self) -> None:
        assert self._connection is not None
        await self._connection.execute(text("SELECT 1"))
        await self._connection.commit()

    async def _lose_the_connection(self, error: BaseException) -> None:
        """The database is away: the lock went with the connection, but nobody can take it
        before the database is back; keep leading until then."""
        if self._connection is not None:
            log.warning(
                "lost the database while holding %s (%s): leading on, to retake the lock",
                self.name,
                type(error).__name__,
            )
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None

    async def _begin_leading(self) -> None:
        self.leading = True
        LEADER.labels(self.name).set(1)
        log.info("this process now leads: %s", self.name)
        try:
            await self.lead()
        except Exception:
            log.exception("could not start what %s leads; letting go of the lock", self.name)
            await self._stop_leading()
            await self._release()

    async def _stop_leading(self) -> None:
        self.leading = False
        LEADER.labels(self.name).set(0)
        try:
            await self.follow()
        except Exception:
            log.exception("could not stop what %s led", self.name)

    async def _release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": self.key}
                )
                await self._connection.close()
            self._connection = None

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._release()
        if self.leading:
            await self._stop_leading()
