"""A small fake Telegram Bot API on 127.0.0.1: queues updates, records what the bot sends,
answers 429 or 403 on demand, and refuses what the real one refuses (testkit.fakes.
telegram_rules): unknown methods, malformed HTML, texts too long, oversized button data."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.runtime.http import HttpServer
from testkit.fakes.chaos import Chaos
from testkit.fakes.telegram_rules import refusal

BOT = {"id": 999, "is_bot": True, "first_name": "Plenary", "username": "PlenaryBot"}
JSON_FIELDS = {
    "reply_markup",
    "commands",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "entities",
}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    client_port: int = 0  # which of the bot's connections it came over
    result: Any = None  # what the fake answered, when it took the call


@dataclass
class FakeTelegram:
    """The state of the fake server; start it with `serve()`."""

    token: str = "123:TEST"
    calls: list[Call] = field(default_factory=list)
    rate_limit_every: int = 0  # answer 429 to every n-th send* call (0: never)
    retry_after: int = 1
    blocked_chats: set[int] = field(default_factory=set)
    missing_chats: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)  # users who administer every group
    on_send: Callable[[Call], None] | None = None  # told of every message sent, when set
    files: dict[str, bytes] = field(default_factory=dict)  # file_id → content, for getFile
    # file_id → the size getFile states instead of the true one (None: no size at all)
    stated_sizes: dict[str, int | None] = field(default_factory=dict)
    send_delay: float = 0.0  # seconds each send* call takes to answer
    failing: dict[str, int] = field(default_factory=dict)  # method → next calls to fail (500)
    most_in_flight: int = 0  # the most send* calls being answered at once
    chaos: Chaos | None = None  # random faults for send* and editMessageText calls
    _in_flight: int = 0
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _sends: itertools.count = field(default_factory=lambda: itertools.count(1))
    server: HttpServer | None = None

    # -- the test's side ---------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}/bot"

    async def serve(self, port: int = 0) -> FakeTelegram:
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["POST", "GET"]),
                Route("/file/bot{token}/{file_id}", self._download, methods=["GET"]),
            ]
        )
        self.server = HttpServer(app, "127.0.0.1", port)
        await self.server.start()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.stop()

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (it gets the next update_id unless it has one)."""
        update.setdefault("update_id", next(self._ids))
        self._updates.append(update)
        self._new_update.set()
        return update

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    async def wait_for(
        self,
        count: int,
        method: str = "sendMessage",
        chat_id: int | None = None,
        timeout: float = 10,
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.sent(method, chat_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} {method}, got "
                    f"{len(self.sent(method, chat_id))}: {self.calls[-5:]}"
                )
            await asyncio.sleep(0.01)
        return self.sent(method, chat_id)

    # -- the bot's side ----------------------------------------------------------------
    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        try:
            params = await _params(request)
        except ClientDisconnect:  # the bot went away mid-request (killed): nothing arrived
            return _error(400, "Bad Request: the request was cut short")
        port = request.client.port if request.client else 0
        call = Call(method, params, time.monotonic(), port)
        self.calls.append(call)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            call.method = f"{method}:404"
            return _error(404, "Not Found")
        refused = refusal(method, params)
        if refused is not None:
            call.method = f"{method}:400"
            return _error(400, refused)
        if self.failing.get(method):
            self.failing[method] -= 1
            call.method = f"{method}:500"
            return _error(500, "Internal Server Error")
        chat_id = params.get("chat_id")
        if method.startswith("send") and chat_id in self.blocked_chats:
            call.method = f"{method}:403"
            return _error(403, "Forbidden: bot was blocked by the user")
        if method.startswith("send") and chat_id in self.missing_chats:
            call.method = f"{method}:400"
            return _error(400, "Bad Request: chat not found")
        if (
            method.startswith("send")
            and self.rate_limit_every
            and (next(self._sends) % self.rate_limit_every == 0)
        ):
            call.method = f"{method}:429"
            return _too_many(self.retry_after)
        fault = await self._chaos(method, call)
        if fault is not None:
            return fault
        if method.startswith("send") and self.send_delay:
            self._in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self._in_flight)
            await asyncio.sleep(self.send_delay)
            self._in_flight -= 1
        result = await handler(params)
        call.result = result
        if self.on_send is not None and method.startswith("send"):
            self.on_send(call)
        return JSONResponse({"ok": True, "result": result})

    async def _chaos(self, method: str, call: Call) -> JSONResponse | None:
        """The answer of a fault the chaos deals this call, if any (a slow answer only waits)."""
        sending = method.startswith("send") or method == "editMessageText"
        fault = self.chaos.draw() if self.chaos is not None and sending else None
        if fault is None:
            return None
        if fault.kind != "slow":
            call.method = f"{method}:{fault.kind}"
        await asyncio.sleep(fault.wait)
        if fault.kind == "429":
            return _too_many(int(fault.seconds))
        if fault.kind == "5xx":
            return _error(502, "Bad Gateway")
        if fault.kind == "timeout":
            return _error(504, "Gateway Timeout")
        return None

    async def _download(self, request: Request) -> Response:
        content = self.files.get(request.path_params["file_id"])
        if request.path_params["token"] != self.token or content is None:
            return Response(status_code=404)
        return Response(content, media_type="application/octet-stream")

    async def _getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params["file_id"]
        size = self.stated_sizes.get(file_id, len(self.files.get(file_id, b"")))
        stated = {} if size is None else {"file_size": size}
        return {"file_id": file_id, "file_unique_id": file_id, **stated, "file_path": file_id}

    async def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT

    async def _accepted(self, params: dict[str, Any]) -> bool:
        """Methods whose answer is just `true`."""
        return True

    _setMyCommands = _deleteWebhook = _setWebhook = _answerCallbackQuery = _accepted

    async def _getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        user = int(params["user_id"])
        status = "administrator" if user in self.admins else "member"
        admin_rights = {
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
        }
        member = {"status": status, "user": {"id": user, "is_bot": False, "first_name": "D"}}
        return {**member, **admin_rights} if status == "administrator" else member

    async def _getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset", 0)
        deadline = time.monotonic() + min(params.get("timeout", 0), 0.1)
        while True:
            ready = [u for u in self._updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return ready[: params.get("limit", 100)]
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                continue

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = params["chat_id"]
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT,
            **extra,
        }

    async def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params.get("text", ""))

    async def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params.get("text", ""))

    async def _sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, document={"file_id": "f1", "file_unique_id": "u1"})

    async def _sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        size = {"file_id": "p1", "file_unique_id": "q1", "width": 1, "height": 1}
        return self._message(params, photo=[size])


def _too_many(retry_after: int) -> JSONResponse:
    return JSONResponse(
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
        429,
    )


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": code, "description": description}, code)


async def _params(request: Request) -> dict[str, Any]:
    form = await request.form()
    params: dict[str, Any] = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            params[key] = {"filename": value.filename, "content": await value.read()}
        elif key in JSON_FIELDS:
            params[key] = json.loads(value)
        elif key in INT_FIELDS and value.lstrip("-").isdigit():
            params[key] = int(value)
        else:
            params[key] = value
    return params


def private_message(
    text: str | None, user_id: int = 501, language: str = "en", **extra: Any
) -> dict[str, Any]:
    """An update with a message in the user's private chat with the bot."""
    message = {
        "message_id": user_id * 100,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Delegate"},
        "from": {
            "id": user_id,
            "is_bot": False,
            "first_name": "Delegate",
            "language_code": language,
        },
        **extra,
    }
    if text is not None:
        message["text"] = text
    return {"message": message}


def document_message(
    fake: FakeTelegram, filename: str, content: bytes, caption: str | None = None, **extra: Any
) -> dict[str, Any]:
    """An update with a document in the user's private chat (its bytes served by `fake`)."""
    file_id = f"file{len(fake.files) + 1}"
    fake.files[file_id] = content
    document = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": filename,
        "mime_type": "text/markdown" if filename.endswith(".md") else "application/pdf",
        "file_size": len(content),
    }
    captioned = {"caption": caption} if caption else {}
    return private_message(None, document=document, **captioned, **extra)


def group_message(
    text: str, user_id: int = 501, chat_id: int = -100200, **extra: Any
) -> dict[str, Any]:
    update = private_message(text, user_id, **extra)
    update["message"]["chat"] = {"id": chat_id, "type": "supergroup", "title": "Mission"}
    return update


def button_press(data: str, user_id: int = 501, chat_id: int | None = None) -> dict[str, Any]:
    chat_id = chat_id or user_id
    return {
        "callback_query": {
            "id": f"cb{time.monotonic_ns()}",
            "chat_instance": "ci",
            "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "Delegate"},
            "message": {
                "message_id": 77,
                "date": int(time.time()),
                "from": BOT,
                "text": "…",
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            },
        }
    }
