"""A small fake Slack Web API on 127.0.0.1: records what the app calls, answers 429 on demand,
refuses what the real one refuses (testkit.fakes.slack_rules: a wrong token, an unknown
method, blocks beyond Block Kit's limits), and signs requests to Plenary the way Slack does."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.runtime.http import HttpServer
from testkit.fakes.chaos import Chaos
from testkit.fakes.slack_rules import refusal

BOT_USER = "UPLENARY"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what the fake answered, when it took the call


@dataclass
class FakeSlack:
    token: str = "xoxb-test"  # the bot token it accepts
    app_token: str = "xapp-test"  # the app-level token it accepts (Socket Mode)
    calls: list[Call] = field(default_factory=list)
    rate_limit_every: int = 0  # answer 429 to every n-th chat.* call (0: never)
    unreachable_channels: set[str] = field(default_factory=set)
    disabled_users: set[str] = field(default_factory=set)  # conversations.open refuses them
    locales: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)  # workspace admins
    socket_url: str = ""  # what apps.connections.open hands out (Socket Mode)
    gate: asyncio.Event | None = None  # when set, chat.* calls wait for it to open
    on_call: Callable[[Call], None] | None = None  # told of every call answered, when set
    chaos: Chaos | None = None  # random faults for chat.* calls
    # method (or "upload", files_upload_v2's step 2) → next calls to fail (500)
    failing: dict[str, int] = field(default_factory=dict)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _chat_calls: itertools.count = field(default_factory=lambda: itertools.count(1))
    server: HttpServer | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # file id → content, to download
    downloads: list[str] = field(default_factory=list)  # Authorization headers of downloads
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id → bytes the app uploaded

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}/api/"

    async def serve(self) -> FakeSlack:
        app = Starlette(
            routes=[
                Route("/api/{method}", self._endpoint, methods=["POST", "GET"]),
                Route("/files/{file_id}", self._download, methods=["GET"]),
                Route("/upload/{file_id}", self._upload, methods=["POST"]),
            ]
        )
        self.server = HttpServer(app, "127.0.0.1", 0)
        await self.server.start()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.stop()

    def sent(self, *methods: str, channel: str | None = None) -> list[Call]:
        methods = methods or ("chat.postMessage", "chat.postEphemeral")
        return [
            c
            for c in self.calls
            if c.method in methods and (channel is None or c.params.get("channel") == channel)
        ]

    async def wait_for(
        self, count: int, *methods: str, channel: str | None = None, timeout: float = 10
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.sent(*methods, channel=channel)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} of {methods or 'messages'}, got "
                    f"{len(self.sent(*methods, channel=channel))}: "
                    f"{[c.method for c in self.calls[-8:]]}"
                )
            await asyncio.sleep(0.01)
        return self.sent(*methods, channel=channel)

    def share(self, name: str, content: bytes) -> dict[str, Any]:
        """A file as a message event lists it, downloadable from this server."""
        file_id = f"F{len(self.files) + 1}"
        self.files[file_id] = content
        assert self.server is not None
        return {
            "id": file_id,
            "name": name,
            "mimetype": "text/markdown",
            "size": len(content),
            "url_private_download": f"http://127.0.0.1:{self.server.port}/files/{file_id}",
        }

    async def _download(self, request: Request) -> Response:
        self.downloads.append(request.headers.get("authorization", ""))
        content = self.files.get(request.path_params["file_id"])
        return Response(status_code=404) if content is None else Response(content)

    async def _upload(self, request: Request) -> Response:
        """Step 2 of files_upload_v2: the bytes, posted to the URL step 1 handed out."""
        if self.failing.get("upload"):
            self.failing["upload"] -= 1
            return Response("Internal Server Error", 500)
        self.uploads[request.path_params["file_id"]] = await request.body()
        return Response(f"OK - {len(self.uploads[request.path_params['file_id']])}")

    def uploaded(self, channel: str | None = None) -> list[tuple[str, bytes]]:
        """(title, bytes) of each file shared by files.completeUploadExternal (in `channel`)."""
        shared = []
        for call in self.sent("files.completeUploadExternal"):
            if channel is None or call.params.get("channel_id") == channel:
                for item in json.loads(call.params["files"]):
                    shared.append((item.get("title", ""), self.uploads.get(item["id"], b"")))
        return shared

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = dict(request.query_params)
        try:
            body = await request.body()
        except ClientDisconnect:  # the app went away mid-request (killed): nothing arrived
            return JSONResponse({"ok": False, "error": "request_cut_short"}, 400)
        if body:
            if request.headers.get("content-type", "").startswith("application/json"):
                params.update(json.loads(body))
            else:
                params.update((await request.form()).items())
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        tokens = {"bot": self.token, "app": self.app_token}
        refused = refusal(method, params, bearer or params.get("token"), tokens)
        if refused is not None:
            self.calls.append(Call(f"{method}:{refused}", params))
            return JSONResponse({"ok": False, "error": refused})
        if (
            method.startswith("chat.")
            and self.rate_limit_every
            and (next(self._chat_calls) % self.rate_limit_every == 0)
        ):
            self.calls.append(Call(f"{method}:429", params))
            return JSONResponse(
                {"ok": False, "error": "ratelimited"}, 429, headers={"Retry-After": "1"}
            )
        if self.failing.get(method):
            self.failing[method] -= 1
            self.calls.append(Call(f"{method}:500", params))
            return JSONResponse({"ok": False, "error": "internal_error"}, 500)
        if method.startswith("chat.") and self.gate is not None:
            await self.gate.wait()
        call = Call(method, params)
        fault = self.chaos.draw() if self.chaos is not None and method.startswith("chat.") else None
        if fault is not None:
            if fault.kind != "slow":
                call.method = f"{method}:{fault.kind}"
                self.calls.append(call)
            await asyncio.sleep(fault.wait)
            if fault.kind == "429":
                retry = {"Retry-After": str(int(fault.seconds))}
                return JSONResponse({"ok": False, "error": "ratelimited"}, 429, headers=retry)
            if fault.kind in ("5xx", "timeout"):
                return JSONResponse({"ok": False, "error": "internal_error"}, 503)
        self.calls.append(call)
        if params.get("channel") in self.unreachable_channels:
            return JSONResponse({"ok": False, "error": "channel_not_found"})
        if method == "conversations.open" and params.get("users") in self.disabled_users:
            return JSONResponse({"ok": False, "error": "user_disabled"})
        result = self._result(method, params)
        call.result = result
        if self.on_call is not None:
            self.on_call(call)
        return JSONResponse({"ok": True, **result})

    def _result(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"user_id": BOT_USER, "bot_id": "BPLENARY", "team_id": "T1", "user": "plenary"}
        if method == "users.info":
            user = params.get("user", "U0")
            return {
                "user": {
                    "id": user,
                    "name": user.lower(),
                    "real_name": f"Delegate {user}",
                    "locale": self.locales.get(user, "en-US"),
                    "is_admin": user in self.admins,
                }
            }
        if method == "apps.connections.open":
            return {"url": self.socket_url}
        if method == "conversations.open":
            return {"channel": {"id": "D" + params.get("users", "U0")}}
        if method == "chat.update":
            return {"channel": params.get("channel"), "ts": params.get("ts")}
        if method.startswith("chat."):
            return {"channel": params.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"}
        if method == "files.getUploadURLExternal":
            file_id = f"FU{len(self.uploads) + 1}"
            self.uploads[file_id] = b""
            assert self.server is not None
            upload_url = f"http://127.0.0.1:{self.server.port}/upload/{file_id}"
            return {"file_id": file_id, "upload_url": upload_url}
        if method == "files.completeUploadExternal":
            return {
                "files": [
                    {"id": f["id"], "title": f.get("title")} for f in json.loads(params["files"])
                ]
            }
        return {}


def signed(
    body: str, secret: str = SIGNING_SECRET, age: int = 0, content_type: str = "application/json"
) -> tuple[bytes, dict[str, str]]:
    """A request body and the headers Slack would send with it."""
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return body.encode(), {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }


def event(inner: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T1"}],
            "event": inner,
        }
    )


def typed(text: str) -> str:
    """A message's text as Slack sends what someone typed: & < > escaped (its own mentions
    and links, <@U1> or <https://x|x>, are the only angle brackets it sends)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def direct_message(text: str, user: str = "U1", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": f"D{user}",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        **extra,
    }


def slash_command(text: str, user: str = "U1", channel: str = "C1") -> str:
    return urlencode(
        {
            "command": "/plenary",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": "T1",
            "trigger_id": f"t{time.monotonic_ns()}",  # unique per invocation, as Slack makes it
            "response_url": "http://127.0.0.1:9/unused",
        }
    )


def button_press(
    value: str, user: str = "U1", channel: str | None = "DU1", ephemeral: bool = False
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "api_app_id": "A1",
        "trigger_id": f"t{time.monotonic_ns()}",  # unique per invocation, as Slack makes it
        "container": {"type": "message", "is_ephemeral": ephemeral},
        "actions": [
            {
                "action_id": "plenary-0",
                "block_id": "b",
                "type": "button",
                "value": value,
                "action_ts": "1",
            }
        ],
    }
    if channel:
        payload["channel"] = {"id": channel}
    return urlencode({"payload": json.dumps(payload)})
