"""Updates from Telegram handled a few at a time, each chat's one after the other."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

WAITING_LIMIT = 10_000  # updates taken from Telegram and not yet handled


class ChatByChat(BaseUpdateProcessor):
    """At most `slots` updates handled at once, and a chat's updates in the order they came:
    a chat's next update waits for its previous one without holding a slot, so a person who
    sends many messages at once (and waits for Telegram's per-chat limit on the answers)
    holds back no one else."""

    def __init__(self, slots: int) -> None:
        super().__init__(max_concurrent_updates=WAITING_LIMIT)
        self._slots = asyncio.Semaphore(slots)
        self._chats: dict[int | None, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else None
        lock, users = self._chats.get(key, (asyncio.Lock(), 0))
        self._chats[key] = (lock, users + 1)
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            lock, users = self._chats[key]
            if users == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
