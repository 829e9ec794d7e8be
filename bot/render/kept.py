"""Renderings kept by reply: an answer from the reply cache is the same `Reply` object each
time it is sent, so its platform form is worked out once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.core.messages import Reply

Rendered = TypeVar("Rendered")


class KeptRenderings(Generic[Rendered]):
    """The renderings of the last `size` replies rendered (but for replies with attachments,
    not kept alive here). Replies are never changed once answered: a reply is its key."""

    def __init__(self, render: Callable[[Reply], Awaitable[Rendered]], size: int = 1024) -> None:
        self._render = render
        self._size = size
        self._kept: OrderedDict[int, tuple[Reply, Rendered]] = OrderedDict()

    async def __call__(self, reply: Reply) -> Rendered:
        kept = self._kept.get(id(reply))
        if kept is not None and kept[0] is reply:
            self._kept.move_to_end(id(reply))
            return kept[1]
        rendered = await self._render(reply)
        if not reply.attachments:
            self._kept[id(reply)] = (reply, rendered)
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return rendered
