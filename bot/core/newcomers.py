"""The people behind messages that arrive at the same moment, read together; those writing
for the first time created together, in one transaction their answers wait for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.batches import Batches, Outcomes
from storage import people
from storage.people import Newcomer, PersonView
from storage.write_lock import write_lock

Account = tuple[str, str]  # platform, external id


class Newcomers:
    """Creates the accounts of people writing for the first time, in batches: many new
    people at once cost a few statements and one commit rather than four round trips each."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime]
    ) -> None:
        self.sessions, self.now = sessions, now
        self._batches: Batches[Account, Newcomer, int] = Batches(self._create)

    async def create(self, newcomer: Newcomer) -> int:
        """The new person's id, once their account is committed (raises what the batch's
        transaction raised, e.g. IntegrityError when another process created it first)."""
        return await self._batches.ask((newcomer.platform, newcomer.external_id), newcomer)

    async def _create(self, batch: dict[Account, Newcomer]) -> Outcomes:
        try:
            return await self._commit(batch)
        except IntegrityError as error:
            if len(batch) == 1:
                return dict.fromkeys(batch, error)
        # Someone of the batch has an account already (another process made it meanwhile):
        # the others should not pay for it.
        outcomes: Outcomes = {}
        for key, newcomer in batch.items():
            try:
                outcomes |= await self._commit({key: newcomer})
            except IntegrityError as error:
                outcomes[key] = error
        return outcomes

    async def _commit(self, batch: dict[Account, Newcomer]) -> Outcomes:
        async with self.sessions() as session, write_lock(session):
            ids = await people.create_accounts(session, list(batch.values()), self.now())
            await session.commit()
        return dict(zip(batch, ids, strict=True))


class Senders:
    """Who sent messages, read for all the messages that arrive at the same moment in one
    query (each new message's sender is otherwise a query of its own)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._batches: Batches[Account, None, PersonView | None] = Batches(self._read)

    async def find(self, platform: str, external_id: str) -> PersonView | None:
        return await self._batches.ask((platform, external_id), None)

    async def _read(self, batch: dict[Account, None]) -> Outcomes:
        async with self.sessions() as session:
            found = await people.find_persons(session, list(batch))
        return {key: found.get(key) for key in batch}
