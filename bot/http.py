"""The one HTTP server: webhooks of the transports, calendar feeds, /healthz; uvicorn inside
Plenary's loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.core import Core
from bot.messages import Incoming
from handlers.calendar import feed
from storage import calendar_feeds
from storage.models import Person

log = logging.getLogger(__name__)


def build_app(core: Core, routes: list[BaseRoute]) -> Starlette:
    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with core.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not healthy", with its reason
            return JSONResponse({"database": f"unavailable: {type(error).__name__}"}, 503)
        return JSONResponse({"database": "ok"})

    async def calendar_feed(request: Request) -> Response:
        body = await calendar_of(core, request.path_params["token"])
        if body is None:  # the same answer for a token that never was and one revoked
            return PlainTextResponse("Not found", 404)
        return Response(body, media_type="text/calendar; charset=utf-8")

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/calendar/{token}.ics", calendar_feed),
            *routes,
        ]
    )


async def calendar_of(core: Core, token: str) -> bytes | None:
    """The feed a token opens, rendered in its owner's language and zone; None if none."""
    async with core.sessions() as session:
        person_id = await calendar_feeds.owner(session, token)
        person = await session.get(Person, person_id) if person_id is not None else None
        if person is None:
            return None
        ctx = await core.context_for(session, Incoming("calendar", str(person.id), ""), person)
        return await feed(ctx, person.id)


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
