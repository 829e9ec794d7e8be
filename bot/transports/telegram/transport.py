"""Telegram: python-telegram-bot's Application in Plenary's loop, by long polling or webhook."""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot.config import ConfigError, TelegramConfig
from bot.core.answering import Core, list_changed
from bot.core.buttons import command_for, payloads
from bot.core.commands import available_to
from bot.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, translator
from bot.core.messages import Attachment, Incoming, Reply
from bot.render.kept import KeptRenderings
from bot.render.telegram import keyboard, render_messages
from bot.transports.outcomes import CannotEdit, TryLater, Undeliverable
from bot.transports.telegram.connections import OneConnectionEach
from bot.transports.telegram.limits import FloodLimiter, Limits
from bot.transports.telegram.order import ChatByChat
from storage import people
from storage.models import Account, Role

log = logging.getLogger(__name__)
PLATFORM = "telegram"
DOCUMENT_LIMIT = 1024 * 1024  # bytes of a document read from a chat
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)


def _chat_gone(error: BadRequest) -> bool:
    return "chat not found" in str(error).lower()


@contextmanager
def _delivery_errors(sent: str | None = None) -> Iterator[None]:
    """Telegram's errors as the dispatcher understands them: give up, or try later (after
    the message `sent`, if its text went out already)."""
    try:
        yield
    except Forbidden as error:
        raise Undeliverable(str(error)) from None
    except BadRequest as error:
        if _chat_gone(error):
            raise Undeliverable(str(error)) from None
        raise TryLater(str(error), sent=sent) from None
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        raise TryLater("429 Too Many Requests", seconds, sent) from None
    except TelegramError as error:  # network errors, timeouts, 5xx
        raise TryLater(str(error), sent=sent) from None


class TelegramTransport:
    """Translates Telegram updates into `Incoming`, and `Reply` into HTML messages."""

    platform = PLATFORM

    def __init__(
        self,
        config: TelegramConfig,
        core: Core,
        limits: Limits | None = None,
    ) -> None:
        self.config, self.core = config, core
        limits = limits or Limits(overall_per_second=config.messages_per_second)
        # As many updates handled at once as connections to send on: more would only wait
        # for a connection, holding their sessions and answers meanwhile.
        builder = (
            ApplicationBuilder()
            .token(config.token)
            .rate_limiter(FloodLimiter(limits))
            .request(OneConnectionEach(limits.connections))
            .concurrent_updates(ChatByChat(limits.connections))
            .job_queue(None)
        )  # the scheduler is Plenary's own
        if config.api_base_url:
            base = config.api_base_url.rstrip("/")
            builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot"))
        if config.mode == "webhook":
            builder = builder.updater(None)
        self.application: Application = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self._recent: OrderedDict[int, None] = OrderedDict()
        self._rendering = KeptRenderings(self._render)

    @property
    def bot_username(self) -> str:
        return self.application.bot.username or ""

    async def start(self, poll: bool = True) -> None:
        """Connect, publish the command menu, and start taking updates (in polling mode only
        if `poll`: with several processes, only the one holding the polling lock polls)."""
        try:
            await self.application.initialize()
        except InvalidToken:
            # PTB's message quotes the token: say what is wrong without it.
            raise ConfigError("[telegram] token: Telegram rejected it") from None
        await self.publish_commands()
        await self.application.start()
        if self.config.mode == "webhook":
            await self.application.bot.set_webhook(
                self.config.webhook_url,
                secret_token=self.config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        elif poll:
            await self.start_polling()

    async def start_polling(self) -> None:
        if not self.application.updater.running:
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)

    async def state(self) -> str:
        """Whether it works ("ok") or what is wrong, for /healthz."""
        if not self.application.running:
            return "stopped"
        return "ok"

    async def stop_taking_updates(self) -> None:
        if self.application.updater and self.application.updater.running:
            await self.application.updater.stop()

    async def stop(self) -> None:
        await self.stop_taking_updates()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def publish_commands(self) -> None:
        """The command menu in each of Plenary's languages (Telegram shows a user the one of
        their app's language), English for every other language."""
        for language in (None, *(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)):
            tr = translator(language)
            commands = [
                BotCommand(c.name, tr.gettext(c.summary)[:256]) for c in available_to(Role.DELEGATE)
            ]
            await self.application.bot.set_my_commands(commands, language_code=language)

    async def webhook(self, request: Request) -> Response:
        """`POST /telegram/webhook`: checks the secret, then handles the update before 200, so
        that Telegram re-delivers it if this process dies midway (the update id dedupes)."""
        secret = request.headers.get(SECRET_HEADER, "")
        expected = self.config.webhook_secret
        if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
            return Response(status_code=403)
        try:
            update = Update.de_json(json.loads(await request.body()), self.application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        # Through the update processor, as polled updates: in order within a chat.
        processor = self.application.update_processor
        await processor.process_update(update, self.application.process_update(update))
        return Response(status_code=200)

    def _seen_by_this_poller(self, update_id: int) -> bool:
        """A long poller confirms each batch with its next request, before handling it: within
        its one process, memory is enough to drop a repeat."""
        if update_id in self._recent:
            return True
        self._recent[update_id] = None
        if len(self._recent) > 10_000:
            self._recent.popitem(last=False)
        return False

    async def _on_update(self, update: Update, _context: Any) -> None:
        # Webhook deliveries are retried by Telegram and may reach any process: the update id
        # goes into the database with the answer's effects (Core.answer_once).
        once_key = None
        if self.config.mode == "polling":
            if self._seen_by_this_poller(update.update_id):
                return
        else:
            once_key = f"update:{update.update_id}"
        try:
            await self._handle(update, once_key)
        except TelegramError:
            log.exception("Telegram refused an answer to update %s", update.update_id)

    async def _handle(self, update: Update, once_key: str | None) -> None:
        if update.my_chat_member is not None:
            status = update.my_chat_member.new_chat_member.status
            if status in ("kicked", "left"):
                await self._deactivate(str(update.my_chat_member.chat.id))
            return
        if update.callback_query is not None:
            await self._on_button(update, once_key)
            return
        if update.edited_message is not None:
            message = update.edited_message
            if message.chat.type == ChatType.PRIVATE:
                await self._note(
                    message, N_("I answer new messages, not edits: send your question again.")
                )
            return
        if update.message is not None:
            await self._on_message(update.message, once_key)

    def _addressed_text(self, message: Message) -> str | None:
        """The text meant for Plenary, or None (in groups it must be addressed to it)."""
        text = message.text or ""
        if message.chat.type == ChatType.PRIVATE:
            return text
        mention = re.compile(rf"@{re.escape(self.bot_username)}(?!\w)", re.IGNORECASE)
        first, _, rest = text.partition(" ")
        if first.startswith("/") and mention.search(first):
            return f"{mention.sub('', first)} {rest}".strip()
        if mention.search(text):
            return " ".join(mention.sub(" ", text).split())
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == self.application.bot.id:
            return text
        return None

    async def _on_message(self, message: Message, once_key: str | None) -> None:
        user = message.from_user
        if user is None or user.is_bot:
            return
        if message.document is not None and message.chat.type == ChatType.PRIVATE:
            await self._on_document(message, once_key)
            return
        if message.text is None:
            if message.chat.type == ChatType.PRIVATE:
                await self._note(message, N_("I only read text. Ask me a question, or type /help."))
            return
        text = self._addressed_text(message)
        if text is None:
            return
        incoming = self._incoming(message, user, text)
        reply = await self.core.answer_once(incoming, once_key)
        if reply is not None:
            await self.send(incoming.chat_id or "", reply, reply_to=self._reply_to(message))

    async def _note(self, message: Message, text: str) -> None:
        """A short answer to a message the core does not see, in the sender's language."""
        user = message.from_user
        tr = translator(user.language_code if user else None)
        await self.send(str(message.chat.id), Reply().paragraph(tr.gettext(text)))

    async def _on_document(self, message: Message, once_key: str | None) -> None:
        """A document in a private chat: downloaded (up to DOCUMENT_LIMIT) and handed to the
        core with its caption."""
        document, user = message.document, message.from_user
        if document.file_size and document.file_size > DOCUMENT_LIMIT:
            await self._note(message, N_("That file is too large: I read documents of up to 1 MB."))
            return
        content = bytes(await (await document.get_file()).download_as_bytearray())
        attachment = Attachment(
            document.file_name or "document",
            content,
            document.mime_type or "application/octet-stream",
        )
        incoming = replace(
            self._incoming(message, user, message.caption or ""), attachment=attachment
        )
        reply = await self.core.answer_once(incoming, once_key)
        if reply is not None:
            await self.send(incoming.chat_id or "", reply)

    def _incoming(
        self, message: Message, user: Any, text: str, via_button: bool = False
    ) -> Incoming:
        group = message.chat.type != ChatType.PRIVATE

        async def is_admin() -> bool:
            member = await self.application.bot.get_chat_member(message.chat.id, user.id)
            return member.status in ("administrator", "creator")

        return Incoming(
            group_title=(message.chat.title or str(message.chat.id)) if group else None,
            is_group_admin=is_admin if group else None,
            platform=PLATFORM,
            user_id=str(user.id),
            text=text,
            display_name=user.full_name,
            chat_id=str(message.chat.id),
            language=user.language_code,
            via_button=via_button,
            direct_chat_id=str(user.id),  # a private chat's id is the user's
        )

    @staticmethod
    def _reply_to(message: Message) -> int | None:
        return message.message_id if message.chat.type != ChatType.PRIVATE else None

    async def _on_button(self, update: Update, once_key: str | None) -> None:
        query = update.callback_query
        await query.answer()
        message = query.message
        if message is None or not isinstance(message, Message):
            return
        async with self.core.sessions() as session:
            command = await command_for(session, query.data or "")
        chat_id = str(message.chat.id)
        if command is None:
            await self.send(chat_id, list_changed(translator(query.from_user.language_code)))
            return
        incoming = self._incoming(message, query.from_user, command, via_button=True)
        reply = await self.core.answer_once(incoming, once_key)
        if reply is not None:
            await self.send(chat_id, reply)

    async def send(self, chat_id: str, reply: Reply, reply_to: int | None = None) -> None:
        """Answer in a chat; a chat that blocked Plenary or is gone deactivates its accounts."""
        try:
            await self._post(chat_id, reply, reply_to)
        except Forbidden:
            await self._deactivate(chat_id)
        except BadRequest as error:
            if not _chat_gone(error):
                raise
            await self._deactivate(chat_id)

    async def deliver(self, account: Account, reply: Reply) -> str:
        """For the dispatcher: send, or say whether to retry (TryLater) or give up."""
        chat_id = account.chat_id or account.external_id
        with _delivery_errors():
            sent = str((await self._post_text(chat_id, reply))[-1])
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
                await self.application.bot.edit_message_text(
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
        rows = keyboard(reply.buttons, await payloads(self.core.sessions, reply))
        if not rows:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.payload) for b in row] for row in rows]
        )

    async def _render(self, reply: Reply) -> tuple[list[str], InlineKeyboardMarkup | None]:
        return render_messages(reply), await self.markup(reply)

    async def _post(self, chat_id: str, reply: Reply, reply_to: int | None = None) -> None:
        """Send a reply: its text, then its attachments."""
        await self._post_text(chat_id, reply, reply_to)
        await self._post_attachments(chat_id, reply)

    async def _post_text(
        self, chat_id: str, reply: Reply, reply_to: int | None = None
    ) -> list[int]:
        """Send a reply's text as one or more messages, the buttons with the last one;
        returns their ids."""
        texts, markup = await self._rendering(reply)
        sent = []
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            message = await self.application.bot.send_message(
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
            )
            sent.append(message.message_id)
        return sent

    async def _post_attachments(self, chat_id: str, reply: Reply) -> None:
        for attachment in reply.attachments:
            await self.application.bot.send_document(
                chat_id, attachment.content, filename=attachment.filename
            )

    async def _deactivate(self, chat_id: str) -> None:
        log.info("Telegram chat %s is unreachable: its accounts are now inactive", chat_id)
        async with self.core.sessions() as session:
            await people.deactivate_chat(session, PLATFORM, chat_id)
            await session.commit()
