"""Answers worth keeping: the same question, asked in the same way by readers with the same
settings, gets the same answer until the programme changes or the minute turns."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from bot.core.messages import Reply


class ReplyCache:
    """A bounded least-recently-used map from a question's key to its reply."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._replies: OrderedDict[Hashable, Reply] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Reply | None:
        reply = self._replies.get(key)
        if reply is None:
            self.misses += 1
            return None
        self.hits += 1
        self._replies.move_to_end(key)
        return reply

    def put(self, key: Hashable, reply: Reply) -> None:
        self._replies[key] = reply
        self._replies.move_to_end(key)
        if len(self._replies) > self.size:
            self._replies.popitem(last=False)
