"""Receiving from Slack: direct messages, mentions, the slash command, buttons and the App
Home turned into `Incoming`, answered by the core, the answers sent back where they came from."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import aiohttp
from cachetools import TTLCache
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackConfig
from bot.core.answering import Core, list_changed
from bot.core.buttons import command_for, payloads
from bot.core.commands import COMMANDS
from bot.core.i18n import N_, translator
from bot.core.messages import Attachment, Incoming, Reply
from bot.render.mrkdwn import to_plain
from bot.render.slack import render_view
from bot.transports.slack.requests import once_key
from bot.transports.slack.sending import BUTTON_VALUE_LIMIT, PLATFORM, SlackSender

log = logging.getLogger(__name__)
FILE_HOST = "files.slack.com"
DOCUMENT_LIMIT = 1024 * 1024  # bytes of a shared file read
MENTION = re.compile(r"<@[A-Z0-9]+>")
HOME_LIMIT = 100  # blocks in an App Home view
HOME = ("/speakers now", "/next", "/issues", "/settings")  # the App Home, top to bottom
USERS_KEPT = 10_000
USER_TTL = 300.0  # seconds: a user's admin flag taken away shows within 5 minutes


class SlackUser(NamedTuple):
    name: str
    language: str | None
    admin: bool  # a workspace admin or owner


class SlackReceiver:
    """Bolt's listeners: each event becomes an `Incoming`, its answer goes out through the
    sender."""

    def __init__(
        self, config: SlackConfig, core: Core, client: AsyncWebClient, sender: SlackSender
    ) -> None:
        self.config, self.core, self.client, self.sender = config, core, client, sender
        # Bounded, and refreshed: the admin flag authorises changes to a channel's settings.
        self._users: TTLCache[str, SlackUser] = TTLCache(USERS_KEPT, USER_TTL, time.monotonic)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or _from_a_bot(event, body):
            return
        subtype = event.get("subtype")
        channel = event["channel"]
        if subtype == "message_changed":
            await self.sender.say(
                channel,
                await self._note(
                    event["message"].get("user"),
                    N_("I answer new messages, not edits: send your question again."),
                ),
            )
            return
        if subtype not in (None, "file_share") or "user" not in event:
            return
        text = to_plain(event.get("text") or "")  # as typed: Slack escapes & < >
        incoming = await self._incoming(event["user"], text, channel)
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
                await self.sender.say(channel, await self._note(event.get("user"), note))
                return
            incoming = replace(incoming, attachment=attachment)
        reply = await self.core.answer_once(incoming, once_key(body))
        if reply is not None:
            await self.sender.say(channel, reply)

    async def on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if _from_a_bot(event, body):
            return
        text = to_plain(MENTION.sub("", event.get("text") or "")).strip()
        incoming = await self._incoming(event["user"], text, event["channel"])
        reply = await self.core.answer_once(incoming, once_key(body))
        if reply is not None:
            await self.sender.say(
                event["channel"], reply, thread_ts=event.get("thread_ts") or event["ts"]
            )

    async def on_slash_command(self, ack: Any, command: dict[str, Any]) -> None:
        await ack()
        incoming = await self._incoming(
            command["user_id"], as_command(to_plain(command.get("text", ""))), command["channel_id"]
        )
        reply = await self.core.answer_once(incoming, once_key(command))
        if reply is not None:
            await self.sender.say(command["channel_id"], reply, ephemeral_to=command["user_id"])

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or await self.sender.direct_channel(user)
        ephemeral = (body.get("container") or {}).get("is_ephemeral", False)
        async with self.core.sessions() as session:
            command = await command_for(session, action.get("value") or "")
        if command is None:
            reply = list_changed(translator((await self._user(user)).language))
        else:
            incoming = await self._incoming(user, command, channel, via_button=True)
            reply = await self.core.answer_once(incoming, once_key(body))
        if reply is not None:
            await self.sender.say(channel, reply, ephemeral_to=user if ephemeral else None)

    async def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        user = event["user"]
        reply = Reply()
        for command in HOME:
            answer = await self.core.answer(await self._incoming(user, command, None))
            if answer.not_found:  # nothing to show now (no meeting under way)
                continue
            reply.blocks.extend(answer.blocks)
            reply.buttons.extend(answer.buttons)
        mapping = await payloads(self.core.sessions, reply, BUTTON_VALUE_LIMIT)
        await self.client.views_publish(
            user_id=user, view={"type": "home", "blocks": render_view(reply, mapping, HOME_LIMIT)}
        )

    async def _user(self, user_id: str) -> SlackUser:
        """A Slack user's name, language and admin flag, asked again after USER_TTL; when
        Slack cannot say, a stranger for this message only (never kept)."""
        known = self._users.get(user_id)
        if known is not None:
            return known
        try:
            info = (await self.client.users_info(user=user_id, include_locale=True))["user"]
        except (SlackApiError, aiohttp.ClientError, TimeoutError):
            log.warning("Slack did not say who user %r is", user_id[:20])
            return SlackUser(user_id, None, False)
        name = info.get("real_name") or info.get("name") or user_id
        user = SlackUser(
            name, info.get("locale"), bool(info.get("is_admin") or info.get("is_owner"))
        )
        self._users[user_id] = user
        return user

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
        headers = {"Authorization": f"Bearer {self.config.bot_token.get_secret_value()}"}
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
        language = (await self._user(user_id)).language if user_id else None
        return Reply().paragraph(translator(language).gettext(message))


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
