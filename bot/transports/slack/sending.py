"""Sending to Slack: replies as Block Kit messages, files, edits, and Slack's errors turned
into what the dispatcher understands."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import SlackConfig
from bot.core.buttons import payloads
from bot.core.messages import Reply
from bot.metrics import RATE_LIMITED
from bot.render.slack import render_messages
from bot.transports.outcomes import CannotEdit, TryLater, Undeliverable
from storage import people
from storage.models import Account

log = logging.getLogger(__name__)
PLATFORM = "slack"
BUTTON_VALUE_LIMIT = 2000
UNREACHABLE = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "account_inactive",
    "user_not_found",
    "user_not_visible",
    "user_disabled",
    "cannot_dm_bot",
}


class CountedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Slack's own 429 handling (wait Retry-After, try again), with each 429 counted."""

    async def _can_retry_async(self, **kwargs: Any) -> bool:
        limited = await super()._can_retry_async(**kwargs)
        if limited:
            RATE_LIMITED.labels(PLATFORM).inc()
        return limited


def web_client(config: SlackConfig) -> AsyncWebClient:
    """slack-sdk's client, retrying 429s, 5xx and connection errors a few times."""
    options: dict[str, Any] = {
        "token": config.bot_token.get_secret_value(),
        "retry_handlers": [
            CountedRateLimitRetryHandler(max_retry_count=5),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
    }
    if config.api_base_url:
        options["base_url"] = config.api_base_url
    return AsyncWebClient(**options)


@contextmanager
def _delivery_errors(sent: str | None = None, parts: list[str] | None = None) -> Iterator[None]:
    """Slack's errors as the dispatcher understands them: give up, or try later (after the
    message `sent`, if its text went out already, or after the `parts` of a long text that
    went out before one failed)."""
    try:
        yield
    except SlackApiError as error:
        code = error.response.get("error")
        if code in UNREACHABLE:
            raise Undeliverable(code) from None
        retry_after = error.response.headers.get("Retry-After")
        wait = float(retry_after) if retry_after else None
        raise TryLater(str(code), wait, sent, len(parts or ())) from None
    except SlackClientError as error:  # e.g. files_upload_v2's upload step refused
        log.warning("Slack client error, to retry: %s", error, exc_info=True)
        raise TryLater(type(error).__name__, sent=sent, parts_sent=len(parts or ())) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise TryLater(type(error).__name__, sent=sent, parts_sent=len(parts or ())) from None


class SlackSender:
    """Answers in a channel, and delivers, attaches and edits for the dispatcher."""

    def __init__(self, client: AsyncWebClient, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.client, self.sessions = client, sessions

    async def say(
        self,
        channel: str,
        reply: Reply,
        thread_ts: str | None = None,
        ephemeral_to: str | None = None,
    ) -> None:
        """Answer in a channel; one that is gone deactivates its accounts."""
        try:
            await self._post_text(channel, reply, thread_ts, ephemeral_to)
            await self._upload(channel, reply, thread_ts)
        except SlackApiError as error:
            if error.response.get("error") not in UNREACHABLE:
                raise
            log.info("Slack channel %s is unreachable: its accounts are now inactive", channel)
            async with self.sessions() as session:
                await people.deactivate_chat(session, PLATFORM, channel)
                await session.commit()

    async def direct_channel(self, user: str) -> str:
        opened = await self.client.conversations_open(users=user)
        return opened["channel"]["id"]

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        """For the dispatcher: send to the person's direct-message channel (the text's parts
        after the first `skip`, which went earlier), or say whether to retry (TryLater) or
        give up (Undeliverable)."""
        posted = [""] * skip
        with _delivery_errors(parts=posted):
            channel = await self._channel_of(account)
            sent = await self._post_text(channel, reply, posted=posted)
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
        messages = render_messages(reply, await payloads(self.sessions, reply, BUTTON_VALUE_LIMIT))
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
        return account.chat_id or await self.direct_channel(account.external_id)

    async def _post_text(
        self,
        channel: str,
        reply: Reply,
        thread_ts: str | None = None,
        ephemeral_to: str | None = None,
        posted: list[str] | None = None,
    ) -> str:
        """Send a reply's text as one or more messages; returns the last one's timestamp.
        `posted` holds the timestamps of the parts sent so far: those it holds on entry are
        left out (at least the last part goes, should the text now be shorter), and each
        part's is added as it goes."""
        mapping = await payloads(self.sessions, reply, BUTTON_VALUE_LIMIT)
        messages = render_messages(reply, mapping)
        posted = [] if posted is None else posted
        sent = ""
        for message in messages[min(len(posted), len(messages) - 1) :]:
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
            posted.append(sent)
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
