"""The one HTTP server: webhooks of the transports, /healthz; uvicorn inside Plenary's loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.core import Core

log = logging.getLogger(__name__)


def build_app(core: Core, routes: list[BaseRoute]) -> Starlette:
    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with core.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not healthy", with its reason
            return JSONResponse({"database": f"unavailable: {type(error).__name__}"}, 503)
        return JSONResponse({"database": "ok"})

    return Starlette(routes=[Route("/healthz", healthz), *routes])


class HttpServer:
    """uvicorn serving a Starlette app as a task of the running loop."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            lifespan="off",
            access_log=False,
            log_config=None,  # keep Plenary's logging (and its redaction of secrets)
        )
        self.server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self._task.done():
                self._task.result()  # raises why it could not start
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def port(self) -> int:
        """The bound port (useful when asked for port 0)."""
        return self.server.servers[0].sockets[0].getsockname()[1]
