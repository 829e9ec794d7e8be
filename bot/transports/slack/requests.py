"""What Slack sends to the Events API URL: a body read as one of its requests (or
`Malformed`), and the key that makes each act once however often it arrives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from bot.transports.payloads import Malformed, json_object

MAX_FIELDS = 100  # a slash command has about a dozen


@dataclass(frozen=True)
class SlackRequest:
    kind: str  # "url_verification", "ssl_check", "event", "command" or "interaction"
    payload: dict[str, Any]
    key: str  # unique per request: an event's id, a command's or a press's trigger id


def once_key(payload: dict[str, Any]) -> str | None:
    """An event's id (the same in Slack's retries), or the trigger id of a command or a press."""
    for field, prefix in (("event_id", "event"), ("trigger_id", "trigger")):
        value = payload.get(field)
        if isinstance(value, str) and value:
            return f"{prefix}:{value[:100]}"
    return None


def request_key(payload: dict[str, Any], body: str) -> str:
    """The once key, or for a request without one the digest of its body (a replay)."""
    return once_key(payload) or "body:" + hashlib.sha256(body.encode()).hexdigest()


def read(body: bytes, content_type: str) -> SlackRequest:
    """The request in a signed body, as Bolt will read it: JSON (events, the URL check) or a
    form (slash commands; buttons as a JSON `payload` field)."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise Malformed("not UTF-8") from None
    if content_type.split(";")[0].strip().lower() == "application/json" or text.startswith("{"):
        payload = json_object(text)
        kind = payload.get("type")
        if kind == "url_verification" and isinstance(payload.get("challenge"), str):
            return SlackRequest("url_verification", payload, "")
        if kind == "event_callback" and isinstance(payload.get("event"), dict):
            if once_key(payload) is None:
                raise Malformed("an event without its id")
            return SlackRequest("event", payload, request_key(payload, text))
        raise Malformed("not a request Slack sends")
    try:
        form = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS))
    except ValueError:
        raise Malformed("not a form") from None
    if form.get("ssl_check") == "1":
        return SlackRequest("ssl_check", form, "")
    if "payload" in form:
        payload = json_object(form["payload"])
        if isinstance(payload.get("type"), str) and isinstance(payload.get("user"), dict):
            return SlackRequest("interaction", payload, request_key(payload, text))
        raise Malformed("not an interaction")
    if form.get("command") and form.get("user_id") and form.get("channel_id"):
        return SlackRequest("command", form, request_key(form, text))
    raise Malformed("not a request Slack sends")
