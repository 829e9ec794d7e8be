"""The private calendar feed over HTTP: rendered for its owner, with the validators (ETag,
Last-Modified) that let calendar clients poll it for a 304, and gzip for those that take it."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.core.answering import Core
from bot.core.messages import Incoming
from handlers.calendar import REFRESH, feed
from storage import calendar_feeds
from storage.models import Person

MEDIA_TYPE = "text/calendar; charset=utf-8"
# Private (the address is a secret), and read again as often as the feed asks clients to.
CACHE_CONTROL = f"private, max-age={int(REFRESH.total_seconds())}"


async def calendar_of(core: Core, token: str) -> tuple[bytes, datetime] | None:
    """The feed a token opens, rendered in its owner's language and zone, and since when it
    is as it is; None if no feed has that token."""
    async with core.sessions() as session:
        found = await calendar_feeds.by_token(session, token)
        person = await session.get(Person, found.person_id) if found is not None else None
        if found is None or person is None:
            return None
        ctx = await core.context_for(session, Incoming("calendar", str(person.id), ""), person)
        body = await feed(ctx, person.id)
        changed = calendar_feeds.last_changed(found, body, core.clock.now())
        await session.commit()
        return body, changed


def _not_modified(request: Headers, etag: str, changed: datetime) -> bool:
    """RFC 9110's evaluation for a GET: If-None-Match decides when sent (weakly compared),
    else If-Modified-Since (to the second)."""
    if "if-none-match" in request:
        tags = [tag.strip().removeprefix("W/") for tag in request["if-none-match"].split(",")]
        return "*" in tags or etag in tags
    try:
        since = parsedate_to_datetime(request["if-modified-since"])
    except (KeyError, TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return changed.replace(microsecond=0) <= since


def feed_route(core: Core) -> Route:
    """GET (and HEAD) /calendar/<token>.ics."""

    async def calendar_feed(request: Request) -> Response:
        found = await calendar_of(core, request.path_params["token"])
        if found is None:  # the same answer for a token that never was and one revoked
            return PlainTextResponse("Not found", 404)
        body, changed = found
        digest = hashlib.sha256(body).hexdigest()[:32]
        zipped = "gzip" in request.headers.get("accept-encoding", "")
        headers = {
            "ETag": f'"{digest}-gzip"' if zipped else f'"{digest}"',
            "Last-Modified": format_datetime(changed.astimezone(UTC), usegmt=True),
            "Cache-Control": CACHE_CONTROL,
            "Vary": "Accept-Encoding",
        }
        if _not_modified(request.headers, headers["ETag"], changed):
            return Response(status_code=304, headers=headers)
        if zipped:
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type=MEDIA_TYPE, headers=headers)

    return Route("/calendar/{token}.ics", calendar_feed)
