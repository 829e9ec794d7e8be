"""Slack: slack-bolt's AsyncApp in Plenary's loop, over the Events API or Socket Mode."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response

from bot.config import SlackConfig
from bot.core.answering import Core, list_changed
from bot.core.buttons import command_for, payloads
from bot.core.commands import COMMANDS
from bot.core.i18n import N_, translator
from bot.core.messages import Attachment, Incoming, Reply
from bot.metrics import RATE_LIMITED
from bot.render.slack import ACTION_PREFIX, render_messages, render_view
from bot.transports.outcomes import CannotEdit, TryLater, Undeliverable
from storage import people
from storage.models import Account

log = logging.getLogger(__name__)
PLATFORM = "slack"
FILE_HOST = "files.slack.com"
DOCUMENT_LIMIT = 1024 * 1024  # bytes of a shared file read
UNREACHABLE = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "account_inactive",
    "user_not_found",
    "cannot_dm_bot",
}
MENTION = re.compile(r"<@[A-Z0-9]+>")
HOME_LIMIT = 100  # blocks in an App Home view
BUTTON_VALUE_LIMIT = 2000


class SlackTransport:
    """Translates Slack events into `Incoming`, and `Reply` into Block Kit messages."""

    platform = PLATFORM

    def __init__(self, config: SlackConfig, core: Core) -> None:
        self.config, self.core = config, core
        client_options: dict[str, Any] = {
            "token": config.bot_token,
            "retry_handlers": [
                CountedRateLimitRetryHandler(max_retry_count=5),
                AsyncServerErrorRetryHandler(max_retry_count=2),
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
            ],
        }
        if config.api_base_url:
            client_options["base_url"] = config.api_base_url
        self.client = AsyncWebClient(**client_options)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=config.signing_secret or None,
            request_verification_enabled=not config.app_token,
            process_before_response=False,
        )
        self.requests = AsyncSlackRequestHandler(self.app)
        self.socket: AsyncSocketModeHandler | None = None
        self._users: dict[str, tuple[str, str | None, bool]] = {}
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("app_home_opened")(self._on_home)
        self.app.command("/plenary")(self._on_slash_command)
        self.app.action(re.compile(f"^{ACTION_PREFIX}"))(self._on_button)

    async def start(self) -> None:
        """Socket Mode when an app-level token is set; otherwise events come over HTTP."""
        if self.config.app_token:
            self.socket = AsyncSocketModeHandler(self.app, self.config.app_token)
            await self.socket.connect_async()

    async def stop_taking_updates(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None

    async def stop(self) -> None:
        await self.stop_taking_updates()

    async def state(self) -> str:
        """Whether it works ("ok") or what is wrong, for /healthz: in Socket Mode the socket
        must be open."""
        if self.config.app_token and (
            self.socket is None or not await self.socket.client.is_connected()
        ):
            return "socket closed"
        return "ok"

    async def events(self, request: Request) -> Response:
        """`POST /slack/events`: Bolt checks the signature and acknowledges."""
        return await self.requests.handle(request)

    # -- listeners ---------------------------------------------------------------------
    async def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or _from_a_bot(event, body):
            return
        subtype = event.get("subtype")
        channel = event["channel"]
        if subtype == "message_changed":
            await self._say(
                channel,
                await self._note(
                    event["message"].get("user"),
                    N_("I answer new messages, not edits: send your question again."),
                ),
            )
            return
        if subtype not in (None, "file_share") or "user" not in event:
            return
        incoming = await self._incoming(event["user"], event.get("text") or "", channel)
        if event.get("files"):
            shared = event["files"][0]
            attachment = (
                None if shared.get("size", 0) > DOCUMENT_LIMIT else await self._download(shared)
            )
            if attachment is None:
                note = (
                    N_("That file is too large: I read documents of up to 1 MB.")
                    if shared.get("size", 0) > DOCUMENT_LIMIT
                    else N_("I only read text. Ask me a question, or type help.")
                )
                await self._say(channel, await self._note(event.get("user"), note))
                return
            incoming = replace(incoming, attachment=attachment)
        reply = await self.core.answer_once(incoming, _once_key(body))
        if reply is not None:
            await self._say(channel, reply)

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if _from_a_bot(event, body):
            return
        text = MENTION.sub("", event.get("text") or "").strip()
        incoming = await self._incoming(event["user"], text, event["channel"])
        reply = await self.core.answer_once(incoming, _once_key(body))
        if reply is not None:
            await self._say(
                event["channel"], reply, thread_ts=event.get("thread_ts") or event["ts"]
            )

    async def _on_slash_command(self, ack: Any, command: dict[str, Any]) -> None:
        await ack()
        incoming = await self._incoming(
            command["user_id"], as_command(command.get("text", "")), command["channel_id"]
        )
        reply = await self.core.answer(incoming)
        await self._say(command["channel_id"], reply, ephemeral_to=command["user_id"])

    async def _on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or await self._direct_channel(user)
        ephemeral = (body.get("container") or {}).get("is_ephemeral", False)
        async with self.core.sessions() as session:
            command = await command_for(session, action.get("value") or "")
        if command is None:
            reply = list_changed(translator((await self._user(user))[1]))
        else:
            incoming = await self._incoming(user, command, channel, via_button=True)
            reply = await self.core.answer(incoming)
        await self._say(channel, reply, ephemeral_to=user if ephemeral else None)

    async def _on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        user = event["user"]
        reply = Reply()
        for command in ("/next", "/issues", "/settings"):
            answer = await self.core.answer(await self._incoming(user, command, None))
            reply.blocks.extend(answer.blocks)
            reply.buttons.extend(answer.buttons)
        mapping = await payloads(self.core.sessions, reply, BUTTON_VALUE_LIMIT)
        await self.client.views_publish(
            user_id=user, view={"type": "home", "blocks": render_view(reply, mapping, HOME_LIMIT)}
        )

    # -- helpers -----------------------------------------------------------------------
    async def _user(self, user_id: str) -> tuple[str, str | None, bool]:
        """(display name, language, workspace admin?) of a Slack user, asked once a process."""
        if user_id not in self._users:
            try:
                info = (await self.client.users_info(user=user_id, include_locale=True))["user"]
                name = info.get("real_name") or info.get("name") or user_id
                admin = bool(info.get("is_admin") or info.get("is_owner"))
                self._users[user_id] = (name, info.get("locale"), admin)
            except SlackApiError:
                self._users[user_id] = (user_id, None, False)
        return self._users[user_id]

    async def _incoming(
        self, user_id: str, text: str, channel: str | None, via_button: bool = False
    ) -> Incoming:
        name, language, admin = await self._user(user_id)
        direct = channel if channel and channel.startswith("D") else None  # a DM channel
        in_channel = channel is not None and direct is None

        async def is_admin() -> bool:  # Slack tells workspace admins, not channel managers
            return admin

        return Incoming(
            group_title=channel if in_channel else None,
            is_group_admin=is_admin if in_channel else None,
            direct_chat_id=direct,
            platform=PLATFORM,
            user_id=user_id,
            text=text,
            display_name=name,
            chat_id=channel,
            language=language,
            via_button=via_button,
        )

    async def _download(self, shared: dict[str, Any]) -> Attachment | None:
        """A file shared with Plenary, fetched with the bot's token: only from Slack's own
        file host (or the configured API server's), and only up to DOCUMENT_LIMIT; None when it
        cannot be read."""
        url = shared.get("url_private_download") or shared.get("url_private") or ""
        if urlsplit(url).hostname not in {FILE_HOST, urlsplit(self.config.api_base_url).hostname}:
            return None
        headers = {"Authorization": f"Bearer {self.config.bot_token}"}
        try:
            async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
                if response.status != 200:
                    return None
                content = await response.content.read(DOCUMENT_LIMIT + 1)
        except (aiohttp.ClientError, TimeoutError):
            log.warning("a file shared on Slack could not be fetched")
            return None
        if len(content) > DOCUMENT_LIMIT:
            return None
        return Attachment(
            shared.get("name") or "document",
            content,
            shared.get("mimetype") or "application/octet-stream",
        )

    async def _note(self, user_id: str | None, message: str) -> Reply:
        language = (await self._user(user_id))[1] if user_id else None
        return Reply().paragraph(translator(language).gettext(message))

    async def _direct_channel(self, user: str) -> str:
        opened = await self.client.conversations_open(users=user)
        return opened["channel"]["id"]

    async def _say(
        self,
        channel: str,
        reply: Reply,
        thread_ts: str | None = None,
        ephemeral_to: str | None = None,
    ) -> None:
        """Answer in a channel; one that is gone deactivates its accounts."""
        try:
            await self._post(channel, reply, thread_ts, ephemeral_to)
        except SlackApiError as error:
            if error.response.get("error") not in UNREACHABLE:
                raise
            log.info("Slack channel %s is unreachable: its accounts are now inactive", channel)
            async with self.core.sessions() as session:
                await people.deactivate_chat(session, PLATFORM, channel)
                await session.commit()

    async def deliver(self, account: Account, reply: Reply) -> str:
        """For the dispatcher: send to the person's direct-message channel, or say whether to
        retry (TryLater) or give up (Undeliverable)."""
        with _delivery_errors():
            channel = await self._channel_of(account)
            sent = await self._post_text(channel, reply)
        with _delivery_errors(sent):
            await self._upload(channel, reply)
        return sent

    async def attach(self, account: Account, reply: Reply) -> None:
        """For the dispatcher: the attachments alone, their text having gone earlier."""
        with _delivery_errors():
            await self._upload(await self._channel_of(account), reply)

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        """For the dispatcher: replace a message sent earlier (chat.update), or raise
        CannotEdit when the new text needs more than one message or Slack refuses."""
        messages = render_messages(
            reply, await payloads(self.core.sessions, reply, BUTTON_VALUE_LIMIT)
        )
        if len(messages) > 1:
            raise CannotEdit("the new text does not fit one message")
        with _delivery_errors():
            try:
                await self.client.chat_update(
                    channel=await self._channel_of(account),
                    ts=message_id,
                    text=messages[0].text,
                    blocks=messages[0].blocks or None,
                )
            except SlackApiError as error:
                if error.response.get("error") in UNREACHABLE:
                    raise
                raise CannotEdit(str(error.response.get("error"))) from None
        return message_id

    async def _channel_of(self, account: Account) -> str:
        return account.chat_id or await self._direct_channel(account.external_id)

    async def _post(
        self,
        channel: str,
        reply: Reply,
        thread_ts: str | None = None,
        ephemeral_to: str | None = None,
    ) -> None:
        """Send a reply: its text, then its attachments."""
        await self._post_text(channel, reply, thread_ts, ephemeral_to)
        await self._upload(channel, reply, thread_ts)

    async def _post_text(
        self,
        channel: str,
        reply: Reply,
        thread_ts: str | None = None,
        ephemeral_to: str | None = None,
    ) -> str:
        """Send a reply's text as one or more messages; returns the last one's timestamp."""
        mapping = await payloads(self.core.sessions, reply, BUTTON_VALUE_LIMIT)
        sent = ""
        for message in render_messages(reply, mapping):
            if ephemeral_to:
                response = await self.client.chat_postEphemeral(
                    channel=channel,
                    user=ephemeral_to,
                    text=message.text,
                    blocks=message.blocks or None,
                )
                sent = response.get("message_ts", "")
            else:
                response = await self.client.chat_postMessage(
                    channel=channel,
                    text=message.text,
                    blocks=message.blocks or None,
                    thread_ts=thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                )
                sent = response.get("ts", "")
        return sent

    async def _upload(self, channel: str, reply: Reply, thread_ts: str | None = None) -> None:
        for attachment in reply.attachments:
            await self.client.files_upload_v2(
                channel=channel,
                content=attachment.content,
                filename=attachment.filename,
                title=attachment.filename,
                thread_ts=thread_ts,
            )


class CountedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Slack's own 429 handling (wait Retry-After, try again), with each 429 counted."""

    async def _can_retry_async(self, **kwargs: Any) -> bool:
        limited = await super()._can_retry_async(**kwargs)
        if limited:
            RATE_LIMITED.labels(PLATFORM).inc()
        return limited


@contextmanager
def _delivery_errors(sent: str | None = None) -> Iterator[None]:
    """Slack's errors as the dispatcher understands them: give up, or try later (after the
    message `sent`, if its text went out already)."""
    try:
        yield
    except SlackApiError as error:
        code = error.response.get("error")
        if code in UNREACHABLE:
            raise Undeliverable(code) from None
        retry_after = error.response.headers.get("Retry-After")
        raise TryLater(str(code), float(retry_after) if retry_after else None, sent) from None
    except SlackClientError as error:  # e.g. files_upload_v2's upload step refused
        log.warning("Slack client error, to retry: %s", error, exc_info=True)
        raise TryLater(type(error).__name__, sent=sent) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise TryLater(type(error).__name__, sent=sent) from None


def _once_key(body: dict[str, Any]) -> str | None:
    """Slack retries an event it thinks unanswered: its event id makes it act once."""
    event_id = body.get("event_id")
    return f"event:{event_id}" if event_id else None


def _from_a_bot(event: dict[str, Any], body: dict[str, Any]) -> bool:
    """Never answer another bot, or ourselves."""
    own = {body.get("authorizations", [{}])[0].get("user_id")} - {None}
    return (
        bool(event.get("bot_id"))
        or event.get("subtype") == "bot_message"
        or (event.get("user") in own)
    )


def as_command(text: str) -> str:
    """ "/plenary next" arrives as "next": make it "/next"; plain questions stay as they are."""
    text = text.strip()
    first = text.split(" ", 1)[0].lower()
    return f"/{text}" if first in COMMANDS else text
