"""What the Bot API refuses, as documented (core.telegram.org/bots/api): the fake refuses it
too, so that a wrong request fails every test that makes it."""

from __future__ import annotations

import re
from typing import Any

from testkit.telegram_html import CALLBACK_DATA_LIMIT, CAPTION_LIMIT, MESSAGE_LIMIT, parse_html

COMMAND = re.compile(r"[a-z0-9_]{1,32}")
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
CALLBACK_ANSWER_LIMIT = 200


def _text(text: Any, parse_mode: str | None, limit: int, what: str) -> str | None:
    if not isinstance(text, str):
        return f"Bad Request: {what} must be a string"
    seen = text
    if parse_mode == "HTML":
        try:
            seen = parse_html(text)
        except ValueError as error:
            return f"Bad Request: can't parse entities: {error}"
    if not seen.strip() and what == "message text":
        return "Bad Request: message text is empty"
    if len(seen) > limit:
        return f"Bad Request: {what} is too long"
    return None


def _markup(markup: Any) -> str | None:
    if markup is None:
        return None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return "Bad Request: can't parse reply keyboard markup JSON object"
    for row in rows:
        for button in row:
            if not button.get("text"):
                return "Bad Request: BUTTON_TEXT_EMPTY"
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


def _commands(commands: Any) -> str | None:
    if not isinstance(commands, list) or len(commands) > 100:
        return "Bad Request: BOT_COMMANDS_TOO_MUCH"
    for command in commands:
        if not COMMAND.fullmatch(str(command.get("command", ""))):
            return "Bad Request: BOT_COMMAND_INVALID"
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            return "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
    return None


def refusal(method: str, params: dict[str, Any]) -> str | None:
    """Why the Bot API would answer 400 to this call, or None when it takes it."""
    mode = params.get("parse_mode")
    needs_chat = method in ("sendMessage", "sendDocument", "editMessageText", "getChatMember")
    if needs_chat and "chat_id" not in params:
        return "Bad Request: chat_id is empty"
    checks = {
        "sendMessage": lambda: (
            _text(params.get("text"), mode, MESSAGE_LIMIT, "message text")
            or _markup(params.get("reply_markup"))
        ),
        "editMessageText": lambda: (
            ("Bad Request: message_id is empty" if "message_id" not in params else None)
            or _text(params.get("text"), mode, MESSAGE_LIMIT, "message text")
            or _markup(params.get("reply_markup"))
        ),
        "sendDocument": lambda: (
            ("Bad Request: there is no document in the request")
            if "document" not in params
            else _text(params.get("caption", ""), mode, CAPTION_LIMIT, "message caption")
        ),
        "answerCallbackQuery": lambda: (
            "Bad Request: query is too old and response timeout expired or query ID is invalid"
            if not params.get("callback_query_id")
            else _text(params.get("text", ""), None, CALLBACK_ANSWER_LIMIT, "answer text")
        ),
        "setMyCommands": lambda: _commands(params.get("commands")),
        "setWebhook": lambda: (
            "Bad Request: bad webhook: secret token contains unallowed characters"
            if "secret_token" in params and not SECRET_TOKEN.fullmatch(params["secret_token"])
            else None
        ),
    }
    check = checks.get(method)
    return check() if check else None
