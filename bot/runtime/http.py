"""The one HTTP server: webhooks of the transports, calendar feeds, rooms' lists of speakers,
/healthz; uvicorn inside Plenary's loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.config import HttpConfig
from bot.core.answering import Core
from bot.metrics import exposition
from bot.runtime.body_limit import BodyLimit
from bot.runtime.calendar_feed import feed_route
from bot.runtime.room_page import room_routes

log = logging.getLogger(__name__)


def build_app(
    core: Core,
    routes: list[BaseRoute],
    checks: dict[str, Callable[[], Awaitable[str]]] | None = None,
    body_limit: int = HttpConfig().max_body_bytes,
) -> Starlette:
    """The app: `routes` (the transports' webhooks), calendar feeds, /healthz (the database
    and each of `checks`, which say "ok" or what is wrong) and /metrics; no request body
    above `body_limit` bytes is read."""

    async def healthz(_request: Request) -> JSONResponse:
        states = {name: await check() for name, check in (checks or {}).items()}
        try:
            async with core.sessions() as session:
                await session.execute(text("SELECT 1"))
            states["database"] = "ok"
        except Exception as error:  # any failure means "not healthy", with its reason
            states["database"] = f"unavailable: {type(error).__name__}"
        healthy = all(state == "ok" for state in states.values())
        return JSONResponse(states, 200 if healthy else 503)

    async def metrics(_request: Request) -> Response:
        async with core.sessions() as session:
            body = await exposition(session, core.clock.now())
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/metrics", metrics),
            feed_route(core),
            *room_routes(core),
            *routes,
        ],
        middleware=[Middleware(BodyLimit, limit=body_limit)],
    )


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
