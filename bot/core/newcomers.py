"""New people written together: those who write for the first time at the same moment share
one transaction, which their answers wait for."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import people
from storage.people import Newcomer
from storage.write_lock import write_lock


class Newcomers:
    """Creates the accounts of people writing for the first time, in batches: while one
    batch is written, the newcomers who arrive meanwhile wait for the next, so that many new
    people at once cost a few statements and one commit rather than four round trips each."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime]
    ) -> None:
        self.sessions, self.now = sessions, now
        self._waiting: dict[tuple[str, str], tuple[Newcomer, asyncio.Future[int]]] = {}
        self._writer: asyncio.Task[None] | None = None

    async def create(self, newcomer: Newcomer) -> int:
        """The new person's id, once their account is committed (raises what the batch's
        transaction raised, e.g. IntegrityError when another process created it first)."""
        key = (newcomer.platform, newcomer.external_id)
        waiting = self._waiting.get(key)
        if waiting is None:
            waiting = self._waiting[key] = (newcomer, asyncio.get_running_loop().create_future())
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        # Shielded: one answer given up on must not cancel the others' batch.
        return await asyncio.shield(waiting[1])

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = list(self._waiting.values()), {}
            try:
                await self._commit(batch)
            except IntegrityError as error:
                if len(batch) == 1:
                    _fail(batch, error)
                    continue
                # Someone of the batch has an account already (another process made it
                # meanwhile): the others should not pay for it.
                for one in batch:
                    try:
                        await self._commit([one])
                    except Exception as alone:  # the answer handles it
                        _fail([one], alone)
            except Exception as error:  # the answers handle it
                _fail(batch, error)
            finally:  # cancelled (the process stops): nobody waits for ever
                for _, future in batch:
                    future.cancel()

    async def _commit(self, batch: list[tuple[Newcomer, asyncio.Future[int]]]) -> None:
        async with self.sessions() as session, write_lock(session):
            ids = await people.create_accounts(session, [n for n, _ in batch], self.now())
            await session.commit()
        for (_, future), person_id in zip(batch, ids, strict=True):
            if not future.done():
                future.set_result(person_id)


def _fail(batch: list[tuple[Newcomer, asyncio.Future[int]]], error: Exception) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)
            future.exception()  # its answer, if still waiting, raises it; nobody else must
