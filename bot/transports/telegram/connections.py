"""HTTP to the Bot API: sends spread over clients of one connection each."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.request import BaseRequest, HTTPXRequest, RequestData


class OneConnectionEach(BaseRequest):
    """`connections` HTTP clients of one connection each; a send takes a free one, or waits
    for one here. (One client with as many connections checks every idle connection, two
    system calls each, at every request: per send, that cost grows with the pool.)"""

    def __init__(self, connections: int) -> None:
        self._clients = [HTTPXRequest(connection_pool_size=1) for _ in range(connections)]
        self._free = list(self._clients)
        self._available = asyncio.Semaphore(connections)

    @property
    def read_timeout(self) -> float | None:
        return self._clients[0].read_timeout

    async def initialize(self) -> None:
        for client in self._clients:
            await client.initialize()

    async def shutdown(self) -> None:
        """Close every client, even if one fails to close."""
        results = await asyncio.gather(
            *(client.shutdown() for client in self._clients), return_exceptions=True
        )
        errors = [result for result in results if isinstance(result, BaseException)]
        if errors:
            raise errors[0]

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: Any
    ) -> tuple[int, bytes]:
        async with self._available:
            client = self._free.pop()  # the last one back: its connection is the warmest
            try:
                return await client.do_request(url, method, request_data, **timeouts)
            finally:
                self._free.append(client)
