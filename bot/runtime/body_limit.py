"""A limit on request bodies, applied before anything reads them: what is declared too large
is refused unread, what arrives in chunks is counted as it comes and cut at the limit."""

from __future__ import annotations

import asyncio
import logging

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.metrics import refused

log = logging.getLogger(__name__)
READ_TIMEOUT = 10.0  # seconds to send a whole body: a slow sender holds no worker longer


class BodyLimit:
    """ASGI middleware: bodies of at most `limit` bytes reach the app, read whole within
    READ_TIMEOUT; others get 413 (or 408, or 400 for a bad Content-Length)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and not declared.isdigit():
            await _refuse(scope, send, 400, "bad content-length")
            return
        if declared is not None and int(declared) > self.limit:
            await _refuse(scope, send, 413, "too large")
            return
        try:
            async with asyncio.timeout(READ_TIMEOUT):
                body = await self._read(receive)
        except TimeoutError:
            await _refuse(scope, send, 408, "too slow")
            return
        except _TooLarge:
            await _refuse(scope, send, 413, "too large")
            return
        except _Gone:
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:  # the app may wait for a disconnect: pass the real one on
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes:
        """The whole body; past the limit the rest is never read."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Gone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class _TooLarge(Exception):
    pass


class _Gone(Exception):
    """The client went away before sending its whole body."""


async def _refuse(scope: Scope, send: Send, status: int, reason: str) -> None:
    refused(scope["path"], reason)
    log.info("refused a request to %r: %s", scope["path"][:60], reason)
    response = PlainTextResponse(reason, status, headers={"Connection": "close"})
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
