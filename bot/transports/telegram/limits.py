"""Telegram's flood limits: overall, per private chat and per group, with retries after 429."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import RATE_LIMITED

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's coming behaviour (RetryAfter.retry_after as a timedelta)
# rather than hear a deprecation warning at every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@dataclass(frozen=True)
class Limits:
    """Messages allowed: overall per second, per private chat (a short burst, then 1/s),
    per group per minute."""

    overall_per_second: float = 30
    chat_burst: float = 3
    chat_per_second: float = 1
    group_per_minute: float = 20
    max_retries: int = 5
    connections: int = 8  # sends in flight at once (Telegram's limits need no more)


class FloodLimiter(BaseRateLimiter[None]):
    """Waits as Telegram asks: before each send within the limits, and after a 429 for
    `retry_after`, pausing every send meanwhile (one 429 usually means more are coming)."""

    def __init__(self, limits: Limits, on_retry: Callable[[], None] | None = None) -> None:
        self.limits = limits
        self._overall = AsyncLimiter(limits.overall_per_second, 1)
        self._chats: OrderedDict[str, AsyncLimiter] = OrderedDict()
        # Every send waits until then (monotonic time): a deadline, not an event some task
        # must set again, so that a task cancelled while it waits can hold up no other.
        self._paused_until = 0.0
        self._on_retry = on_retry

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _chat_limiter(self, chat_id: str) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if chat_id.startswith("-"):  # groups, supergroups and channels
                limiter = AsyncLimiter(self.limits.group_per_minute, 60)
            else:
                rate = self.limits.chat_per_second
                limiter = AsyncLimiter(self.limits.chat_burst, self.limits.chat_burst / rate)
            self._chats[chat_id] = limiter
            if len(self._chats) > 10_000:
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat_id)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[Any]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[Any]:
        chat_id = data.get("chat_id")
        retries = 0
        while True:
            await self._wait_for_pause()
            try:
                if chat_id is None:
                    return await callback(*args, **kwargs)
                async with self._chat_limiter(str(chat_id)), self._overall:
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                RATE_LIMITED.labels("telegram").inc()
                if retries == self.limits.max_retries:
                    raise
                retries += 1
                if self._on_retry:
                    self._on_retry()
                await self._pause(error.retry_after)

    async def _wait_for_pause(self) -> None:
        while (left := self._paused_until - time.monotonic()) > 0:
            await asyncio.sleep(left)

    async def _pause(self, retry_after: timedelta | int) -> None:
        seconds = (
            retry_after.total_seconds()
            if isinstance(retry_after, timedelta)
            else float(retry_after)
        )
        log.warning("Telegram asked to wait %.1f s (429)", seconds)
        self._paused_until = max(self._paused_until, time.monotonic() + seconds + 0.1)
        await self._wait_for_pause()
