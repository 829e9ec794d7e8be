"""Slack: slack-bolt's AsyncApp in Plenary's loop, over the Events API or Socket Mode.
Receiving and sending live in their own modules; this one starts, stops and connects them."""

from __future__ import annotations

import re

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from starlette.requests import Request
from starlette.responses import Response

from bot.config import SlackConfig
from bot.core.answering import Core
from bot.core.messages import Reply
from bot.render.slack import ACTION_PREFIX
from bot.transports.slack.events import SlackEvents
from bot.transports.slack.inbox import SlackInbox
from bot.transports.slack.receiving import SlackReceiver
from bot.transports.slack.sending import PLATFORM, SlackSender, web_client
from storage.models import Account


class SlackTransport:
    """Slack for the service: events in through the receiver, replies and deliveries out
    through the sender."""

    platform = PLATFORM

    def __init__(self, config: SlackConfig, core: Core) -> None:
        self.config, self.core = config, core
        self.client = web_client(config)
        # Requests are verified at the door (SlackEvents) and kept in the inbox before Slack's
        # acknowledgement; Bolt handles each from there, to the end of its listener.
        self.app = AsyncApp(
            client=self.client, request_verification_enabled=False, process_before_response=True
        )
        self.inbox = SlackInbox(self.app, core)
        self.door = (
            SlackEvents(config.signing_secret.get_secret_value(), self.inbox)
            if config.signing_secret
            else None
        )
        self.socket: AsyncSocketModeHandler | None = None
        self.sender = SlackSender(self.client, core.sessions)
        self.receiver = SlackReceiver(config, core, self.client, self.sender)
        self.app.event("message")(self.receiver.on_message)
        self.app.event("app_mention")(self.receiver.on_mention)
        self.app.event("app_home_opened")(self.receiver.on_home)
        self.app.command("/plenary")(self.receiver.on_slash_command)
        self.app.action(re.compile(f"^{ACTION_PREFIX}"))(self.receiver.on_button)

    async def start(self) -> None:
        """Socket Mode when an app-level token is set; otherwise events come over HTTP. Either
        way through the inbox."""
        await self.inbox.start()
        if self.config.app_token:
            self.socket = AsyncSocketModeHandler(self.app, self.config.app_token.get_secret_value())
            self.socket.client.socket_mode_request_listeners[:] = [self.inbox.from_socket]
            await self.socket.connect_async()

    async def stop_taking_updates(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None

    async def stop(self) -> None:
        await self.stop_taking_updates()
        await self.inbox.stop()

    async def state(self) -> str:
        """Whether it works ("ok") or what is wrong, for /healthz: in Socket Mode the socket
        must be open."""
        if self.config.app_token and (
            self.socket is None or not await self.socket.client.is_connected()
        ):
            return "socket closed"
        return "ok"

    async def events(self, request: Request) -> Response:
        """`POST /slack/events` (only with a signing secret: Socket Mode needs none)."""
        if self.door is None:
            return Response(status_code=404)
        return await self.door(request)

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        return await self.sender.deliver(account, reply, skip)

    async def attach(self, account: Account, reply: Reply) -> None:
        await self.sender.attach(account, reply)

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        return await self.sender.edit(account, message_id, reply)
