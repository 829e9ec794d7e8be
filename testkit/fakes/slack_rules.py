"""What the Slack Web API refuses, as documented (api.slack.com/methods, Block Kit reference):
the fake refuses it too, so that a wrong request fails every test that makes it."""

from __future__ import annotations

import json
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
# The methods Plenary calls, and the kind of token each takes.
METHODS = {
    "auth.test": "bot",
    "users.info": "bot",
    "conversations.open": "bot",
    "chat.postMessage": "bot",
    "chat.postEphemeral": "bot",
    "chat.update": "bot",
    "views.publish": "bot",
    "files.getUploadURLExternal": "bot",
    "files.completeUploadExternal": "bot",
    "apps.connections.open": "app",
}


def _decoded(value: Any) -> Any:
    """A form field holding JSON (blocks, views) as the object it stands for."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _text_length(block: dict[str, Any]) -> int:
    return len((block.get("text") or {}).get("text", ""))


def _block_refusal(block: dict[str, Any]) -> str | None:
    kind = block.get("type")
    if kind == "section" and not 1 <= _text_length(block) <= SECTION_TEXT:
        return "section text must be 1 to 3000 characters"
    if kind == "header" and not 1 <= _text_length(block) <= HEADER_TEXT:
        return "header text must be 1 to 150 characters"
    if kind == "context" and not 1 <= len(block.get("elements") or []) <= CONTEXT_ELEMENTS:
        return "context holds 1 to 10 elements"
    if kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
            return "actions hold 1 to 25 elements"
        for button in elements:
            if not 1 <= len((button.get("text") or {}).get("text", "")) <= BUTTON_TEXT:
                return "button text must be 1 to 75 characters"
            if len(button.get("value", "")) > BUTTON_VALUE:
                return "button value must be at most 2000 characters"
            if not 1 <= len(button.get("action_id", "")) <= ACTION_ID:
                return "action_id must be 1 to 255 characters"
    if kind not in ("section", "header", "context", "actions", "divider"):
        return f"unknown block type {kind!r}"
    return None


def _blocks_refusal(blocks: Any, limit: int) -> str | None:
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > limit:
        return "invalid_blocks"
    for block in blocks:
        if not isinstance(block, dict) or _block_refusal(block) is not None:
            return "invalid_blocks"
    action_ids = [
        button.get("action_id")
        for block in blocks
        if block.get("type") == "actions"
        for button in block.get("elements") or []
    ]
    return "invalid_blocks" if len(action_ids) != len(set(action_ids)) else None


def refusal(
    method: str, params: dict[str, Any], token: str | None, tokens: dict[str, str]
) -> str | None:
    """The `error` Slack would answer (ok: false) to this call, or None when it takes it.
    `tokens` holds the workspace's bot and app tokens."""
    kind = METHODS.get(method)
    if kind is None:
        return "unknown_method"
    if not token:
        return "not_authed"
    if token != tokens[kind]:
        return "not_allowed_token_type" if token in tokens.values() else "invalid_auth"
    if method.startswith("chat.") and not params.get("channel"):
        return "channel_not_found"
    if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
        blocks = _decoded(params.get("blocks"))
        if not params.get("text") and not blocks:
            return "no_text"
        return _blocks_refusal(blocks, MESSAGE_BLOCKS)
    if method == "views.publish":
        view = _decoded(params.get("view")) or {}
        return _blocks_refusal(view.get("blocks"), VIEW_BLOCKS)
    return None
