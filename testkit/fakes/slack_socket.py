"""A fake Slack Socket Mode endpoint (aiohttp websocket on 127.0.0.1): says hello, sends
envelopes, and records the app's acknowledgements."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import WSMsgType, web


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: list[str] = []
        self._socket: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    async def serve(self) -> FakeSocketMode:
        app = web.Application()
        app.router.add_get("/link", self._connect)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _connect(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self._connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data).get("envelope_id", ""))
        return socket

    async def send_event(self, body: dict[str, Any], envelope_id: str) -> None:
        await asyncio.wait_for(self._connected.wait(), 10)
        assert self._socket is not None
        await self._socket.send_str(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": "events_api",
                    "payload": body,
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                }
            )
        )

    async def wait_for_ack(self, envelope_id: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while envelope_id not in self.acks:
            assert time.monotonic() < deadline, f"no ack for {envelope_id}: {self.acks}"
            await asyncio.sleep(0.01)
