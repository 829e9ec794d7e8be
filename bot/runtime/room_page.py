"""The room's page of a list of speakers over HTTP: a page for the room's screen and phones,
reached by a secret link, that polls the list's state every second."""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.core.answering import Core
from bot.core.i18n import primary_language
from bot.core.messages import Incoming
from handlers.speaker_room import LANGUAGES, room_state
from storage import speakers as lists

FILES = Path(__file__).parent / "room"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the link is the secret: never pass it on
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
    "style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
}
NOT_FOUND = PlainTextResponse("Not found", 404, headers=HEADERS)


def _language(request: Request) -> str:
    asked = primary_language(request.query_params.get("lang", "en"))
    return asked if asked in LANGUAGES else "en"


async def _state(core: Core, token: str, language: str) -> dict | None:
    async with core.sessions() as session:
        found = await lists.by_room_token(session, token)
        if found is None:
            return None
        incoming = Incoming("room", "room", "", language=language)
        ctx = await core.context_for(session, incoming, None)
        return await room_state(ctx, found)


def room_routes(core: Core) -> list[BaseRoute]:
    """GET /speakers/<token> (the page), /speakers/<token>/state (what it shows, as JSON) and
    the page's script."""
    page = Template((FILES / "room.html").read_text())
    script = (FILES / "room.js").read_bytes()

    async def room(request: Request) -> Response:
        token, language = request.path_params["token"], _language(request)
        state = await _state(core, token, language)
        if state is None:  # the same answer for a link that never was and one revoked
            return NOT_FOUND
        body = page.substitute(
            lang=language,
            dir="rtl" if language == "ar" else "ltr",
            title=html.escape(state["title"]),
            state_url=html.escape(f"/speakers/{token}/state?lang={language}"),
        )
        return HTMLResponse(body, headers=HEADERS)

    async def state(request: Request) -> Response:
        found = await _state(core, request.path_params["token"], _language(request))
        return NOT_FOUND if found is None else JSONResponse(found, headers=HEADERS)

    async def room_script(_request: Request) -> Response:
        return Response(script, media_type="text/javascript", headers=HEADERS)

    return [
        Route("/speakers-room.js", room_script),
        Route("/speakers/{token}", room),
        Route("/speakers/{token}/state", state),
    ]
