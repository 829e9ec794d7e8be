"""Work asked for by many tasks at the same moment, done once for all of them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Item = TypeVar("Item")
Result = TypeVar("Result")
# What a batch's work returns: each key's result, or the exception that key's asker raises.
Outcomes = dict[Key, "Result | Exception"]


class Batches(Generic[Key, Item, Result]):
    """Collects what tasks ask for while a batch is being worked on, and works on it as the
    next batch: many at once cost one round of work, one alone costs what it did alone."""

    def __init__(self, work: Callable[[dict[Key, Item]], Awaitable[Outcomes]]) -> None:
        self._work = work
        self._waiting: dict[Key, tuple[Item, asyncio.Future[Result]]] = {}
        self._worker: asyncio.Task[None] | None = None

    async def ask(self, key: Key, item: Item) -> Result:
        """The result for `key` (asked for once however many ask for it in the same batch),
        or the exception the work gave for it."""
        waiting = self._waiting.get(key)
        if waiting is None:
            waiting = self._waiting[key] = (item, asyncio.get_running_loop().create_future())
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run())
        # Shielded: one asker given up on must not cancel the others' batch.
        return await asyncio.shield(waiting[1])

    async def _run(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            outcomes: Outcomes = {}
            try:
                outcomes = await self._work({key: item for key, (item, _) in batch.items()})
            except Exception as error:  # each asker handles it
                outcomes = dict.fromkeys(batch, error)
            finally:
                _settle(batch, outcomes)


def _settle(batch: dict[Key, tuple[Item, asyncio.Future[Result]]], outcomes: Outcomes) -> None:
    for key, (_, future) in batch.items():
        if future.done():
            continue
        if key not in outcomes:  # the work was cancelled (the process stops)
            future.cancel()
        elif isinstance(outcome := outcomes[key], Exception):
            future.set_exception(outcome)
            future.exception()  # its asker, if still waiting, raises it; nobody else must
        else:
            future.set_result(outcome)
