"""Sending to Telegram: replies as HTML messages with inline keyboards, documents, edits, and
Telegram's errors turned into what the dispatcher understands."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.core.buttons import payloads
from bot.core.messages import Reply
from bot.render.kept import KeptRenderings
from bot.render.telegram import keyboard, render_messages
from bot.transports.outcomes import CannotEdit, TryLater, Undeliverable
from bot.transports.telegram.limits import ANSWER
from storage import people
from storage.models import Account

log = logging.getLogger(__name__)
PLATFORM = "telegram"
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)
PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})  # shown in the chat, not as a file
PHOTO_LIMIT = 10 * 1024 * 1024  # Telegram's for a photo


def _chat_gone(error: BadRequest) -> bool:
    return "chat not found" in str(error).lower()


@contextmanager
def _delivery_errors(sent: str | None = None, parts: list[int] | None = None) -> Iterator[None]:
    """Telegram's errors as the dispatcher understands them: give up, or try later (after
    the message `sent`, if its text went out already, or after the `parts` of a long text
    that went out before one failed)."""
    try:
        yield
    except Forbidden as error:
        raise Undeliverable(str(error)) from None
    except BadRequest as error:
        if _chat_gone(error):
            raise Undeliverable(str(error)) from None
        raise TryLater(str(error), sent=sent, parts_sent=len(parts or ())) from None
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        raise TryLater("429 Too Many Requests", seconds, sent, len(parts or ())) from None
    except TelegramError as error:  # network errors, timeouts, 5xx
        raise TryLater(str(error), sent=sent, parts_sent=len(parts or ())) from None


class TelegramSender:
    """Answers in a chat, and delivers, attaches and edits for the dispatcher."""

    def __init__(self, bot: ExtBot[None], sessions: async_sessionmaker[AsyncSession]) -> None:
        self.bot, self.sessions = bot, sessions
        self._rendering = KeptRenderings(self._render)

    async def send(self, chat_id: str, reply: Reply, reply_to: int | None = None) -> None:
        """Answer in a chat; a chat that blocked Plenary or is gone deactivates its accounts."""
        try:
            await self._post_text(chat_id, reply, reply_to, pace=ANSWER)
            await self._post_attachments(chat_id, reply, pace=ANSWER)
        except Forbidden:
            await self.deactivate(chat_id)
        except BadRequest as error:
            if not _chat_gone(error):
                raise
            await self.deactivate(chat_id)

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        """For the dispatcher: send (the text's parts after the first `skip`, which went
        earlier), or say whether to retry (TryLater) or give up."""
        chat_id = account.chat_id or account.external_id
        posted = [0] * skip
        with _delivery_errors(parts=posted):
            await self._post_text(chat_id, reply, posted=posted)
        sent = str(posted[-1])
        with _delivery_errors(sent):
            await self._post_attachments(chat_id, reply)
        return sent

    async def attach(self, account: Account, reply: Reply) -> None:
        """For the dispatcher: the attachments alone, their text having gone earlier."""
        with _delivery_errors():
            await self._post_attachments(account.chat_id or account.external_id, reply)

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        """For the dispatcher: replace a message sent earlier (editMessageText), or raise
        CannotEdit when the new text needs more than one message or Telegram refuses."""
        texts, markup = await self._rendering(reply)
        if len(texts) > 1 or not message_id.isdigit():
            raise CannotEdit("the new text does not fit one message")
        with _delivery_errors():
            try:
                await self.bot.edit_message_text(
                    texts[0],
                    chat_id=account.chat_id or account.external_id,
                    message_id=int(message_id),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=NO_PREVIEWS,
                )
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    return message_id
                if not _chat_gone(error):
                    raise CannotEdit(str(error)) from None
                raise
        return message_id

    async def markup(self, reply: Reply) -> InlineKeyboardMarkup | None:
        """The reply's buttons as an inline keyboard; None when it has none."""
        rows = keyboard(reply.buttons, await payloads(self.sessions, reply))
        if not rows:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.payload) for b in row] for row in rows]
        )

    async def deactivate(self, chat_id: str) -> None:
        log.info("Telegram chat %s is unreachable: its accounts are now inactive", chat_id)
        async with self.sessions() as session:
            await people.deactivate_chat(session, PLATFORM, chat_id)
            await session.commit()

    async def _render(self, reply: Reply) -> tuple[list[str], InlineKeyboardMarkup | None]:
        return render_messages(reply), await self.markup(reply)

    async def _post_text(
        self,
        chat_id: str,
        reply: Reply,
        reply_to: int | None = None,
        posted: list[int] | None = None,
        pace: str | None = None,
    ) -> list[int]:
        """Send a reply's text as one or more messages, the buttons with the last one;
        returns their ids. `posted` holds the ids of the parts sent so far: those it holds on
        entry are left out (at least the last part goes, should the text now be shorter), and
        each part's id is added as it goes. `pace`: the flood limiter's `rate_limit_args`."""
        texts, markup = await self._rendering(reply)
        sent = [] if posted is None else posted
        first = min(len(sent), len(texts) - 1)
        for index, text in enumerate(texts[first:], first):
            last = index == len(texts) - 1
            message = await self.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                link_preview_options=NO_PREVIEWS,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to and index == 0
                    else None
                ),
                rate_limit_args=pace,
            )
            sent.append(message.message_id)
        return sent

    async def _post_attachments(self, chat_id: str, reply: Reply, pace: str | None = None) -> None:
        for attachment in reply.attachments:
            post = (
                self.bot.send_photo
                if attachment.media_type in PHOTO_TYPES and len(attachment.content) <= PHOTO_LIMIT
                else self.bot.send_document
            )
            await post(
                chat_id, attachment.content, filename=attachment.filename, rate_limit_args=pace
            )
