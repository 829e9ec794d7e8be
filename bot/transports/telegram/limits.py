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

from bot.metrics import PACED, RATE_LIMITED

log = logging.getLogger(__name__)
# Opt in to python-telegram-bot's coming behaviour (RetryAfter.retry_after as a timedelta)
# rather than hear a deprecation warning at every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")


# `rate_limit_args` of a send that answers a person's own message (python-telegram-bot passes
# it through to `process_request`); every other send (reminders, broadcasts) passes none.
ANSWER = "answer"


@dataclass(frozen=True)
class Limits:
    """Messages allowed: overall per second; per private chat, 1/s sustained after a burst
    (`answer_burst` for answers to the person's own messages, counting every message to the
    chat; `chat_burst` for messages nobody asked for); per group per minute."""

    overall_per_second: float = 30
    chat_burst: float = 3
    chat_per_second: float = 1
    # Telegram tolerates short bursts in a chat and answers 429 to a sustained rate above
    # 1/s: a conversation, even a brisk one, or paging through a list, stays under it.
    answer_burst: float = 20
    group_per_minute: float = 20
    max_retries: int = 5
    connections: int = 8  # sends in flight at once (Telegram's limits need no more)


class _Chat:
    """A chat's buckets: every message to it, and those nobody asked for (groups: one
    bucket for both)."""

    def __init__(self, chat_id: str, limits: Limits) -> None:
        if chat_id.startswith("-"):  # groups, supergroups and channels
            self.every = self.unasked = AsyncLimiter(limits.group_per_minute, 60)
        else:
            rate = limits.chat_per_second
            self.every = AsyncLimiter(limits.answer_burst, limits.answer_burst / rate)
            self.unasked = AsyncLimiter(limits.chat_burst, limits.chat_burst / rate)

    def buckets(self, answer: bool) -> tuple[AsyncLimiter, ...]:
        return (self.every,) if answer or self.unasked is self.every else (self.unasked, self.every)


class FloodLimiter(BaseRateLimiter[str]):
    """Waits as Telegram asks: before each send within the limits, and after a 429 for
    `retry_after`, pausing every send meanwhile (one 429 usually means more are coming)."""

    def __init__(self, limits: Limits, on_retry: Callable[[], None] | None = None) -> None:
        self.limits = limits
        self._overall = AsyncLimiter(limits.overall_per_second, 1)
        self._chats: OrderedDict[str, _Chat] = OrderedDict()
        # Every send waits until then (monotonic time): a deadline, not an event some task
        # must set again, so that a task cancelled while it waits can hold up no other.
        self._paused_until = 0.0
        self._on_retry = on_retry

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _chat(self, chat_id: str) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id, self.limits)
            if len(self._chats) > 10_000:
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat_id)
        return chat

    async def _within_limits(self, chat_id: str, answer: bool) -> None:
        """Waits, if need be, until one more message to the chat keeps within the limits."""
        for bucket in (*self._chat(chat_id).buckets(answer), self._overall):
            if not bucket.has_capacity():
                PACED.labels("answer" if answer else "unasked").inc()
            await bucket.acquire()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[Any]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[Any]:
        chat_id = data.get("chat_id")
        retries = 0
        while True:
            await self._wait_for_pause()
            try:
                if chat_id is not None:
                    await self._within_limits(str(chat_id), rate_limit_args == ANSWER)
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
