"""`POST /slack/events`, Slack's door: the signature checked before the body is parsed, the
body read as a request Slack sends, kept in the inbox, and only then acknowledged. The body's
size was limited before (bot/runtime/body_limit.py)."""

from __future__ import annotations

import logging

from slack_sdk.signature import SignatureVerifier
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.metrics import refused
from bot.transports.payloads import Malformed
from bot.transports.slack.inbox import SlackInbox
from bot.transports.slack.requests import read

log = logging.getLogger(__name__)
TIMESTAMP_DIGITS = 12  # seconds since 1970 have 10; more is not a timestamp


class SlackEvents:
    """The endpoint: 401 unsigned, 400 malformed, 503 when it cannot be kept, else 200."""

    def __init__(self, signing_secret: str, inbox: SlackInbox) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.inbox = inbox

    async def __call__(self, request: Request) -> Response:
        body = await request.body()
        if not self._signed(body, request):
            refused(request.url.path, "bad signature")
            log.info("refused a request to /slack/events: bad signature (%d bytes)", len(body))
            return Response(status_code=401)
        content_type = request.headers.get("content-type", "")
        try:
            slack = read(body, content_type)
        except Malformed as error:
            refused(request.url.path, str(error))
            log.info("refused a signed request to /slack/events: %s", error)
            return Response(status_code=400)
        if slack.kind == "url_verification":
            return JSONResponse({"challenge": slack.payload["challenge"]})
        if slack.kind == "ssl_check":
            return Response(status_code=200)
        try:
            await self.inbox.accept(slack.key, body.decode(), content_type)
        except (SQLAlchemyError, OSError):
            log.warning("a Slack request could not be kept: answered 503 for Slack to retry")
            return Response(status_code=503)
        return Response(status_code=200)

    def _signed(self, body: bytes, request: Request) -> bool:
        """Slack's signature over this body, made within the last 5 minutes."""
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > TIMESTAMP_DIGITS:
            return False
        if not signature.isascii():  # the library compares ASCII text only
            return False
        try:
            text = body.decode()  # Slack signs UTF-8: the library would decode it (or fail)
        except UnicodeDecodeError:
            return False
        return self.verifier.is_valid(text, timestamp, signature)
