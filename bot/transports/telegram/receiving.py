"""Receiving from Telegram: updates (polled or by webhook) turned into `Incoming`, answered by
the core, the answers sent back in the same chat."""

from __future__ import annotations

import hmac
import logging
import re
from collections import OrderedDict
from dataclasses import replace
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import Response
from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import TelegramConfig
from bot.core.answering import Core, list_changed
from bot.core.buttons import command_for
from bot.core.i18n import N_, translator
from bot.core.messages import Attachment, Incoming, Reply
from bot.metrics import refused
from bot.transports.payloads import Malformed, json_object
from bot.transports.telegram.sending import PLATFORM, TelegramSender

log = logging.getLogger(__name__)
DOCUMENT_LIMIT = 1024 * 1024  # bytes of a document read from a chat
DOWNLOAD_TIMEOUT = 30.0  # seconds for each step of a download (connect, each read)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RECENT_KEPT = 10_000  # update ids a long poller remembers


class TelegramReceiver:
    """Translates Telegram updates into `Incoming` and answers them through the sender."""

    def __init__(
        self,
        config: TelegramConfig,
        core: Core,
        application: Application,
        sender: TelegramSender,
    ) -> None:
        self.config, self.core = config, core
        self.application, self.sender = application, sender
        self._recent: OrderedDict[int, None] = OrderedDict()

    async def webhook(self, request: Request) -> Response:
        """`POST /telegram/webhook`: checks the secret, then handles the update before 200, so
        that Telegram re-delivers it if this process dies midway (the update id dedupes).
        The body's size was limited before (bot/runtime/body_limit.py)."""
        secret = request.headers.get(SECRET_HEADER, "")
        expected = self.config.webhook_secret.get_secret_value()
        if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
            refused(request.url.path, "bad secret")
            return Response(status_code=403)
        try:
            update = self._update(await request.body())
        except Malformed as error:
            refused(request.url.path, str(error))
            log.info("refused a Telegram update: %s", error)
            return Response(status_code=400)
        # Through the update processor, as polled updates: in order within a chat.
        processor = self.application.update_processor
        await processor.process_update(update, self.application.process_update(update))
        return Response(status_code=200)

    def _update(self, body: bytes) -> Update:
        """The update in a webhook's body, or Malformed."""
        data = json_object(body)
        if type(data.get("update_id")) is not int:
            raise Malformed("no update id")
        try:
            return Update.de_json(data, self.application.bot)
        except Exception:  # whatever the library trips on in a body no Telegram would send
            raise Malformed("not an update") from None

    async def on_update(self, update: Update, _context: Any) -> None:
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

    def _seen_by_this_poller(self, update_id: int) -> bool:
        """A long poller confirms each batch with its next request, before handling it: within
        its one process, memory is enough to drop a repeat."""
        if update_id in self._recent:
            return True
        self._recent[update_id] = None
        if len(self._recent) > RECENT_KEPT:
            self._recent.popitem(last=False)
        return False

    async def _handle(self, update: Update, once_key: str | None) -> None:
        if update.my_chat_member is not None:
            status = update.my_chat_member.new_chat_member.status
            if status in ("kicked", "left"):
                await self.sender.deactivate(str(update.my_chat_member.chat.id))
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
        username = self.application.bot.username or ""
        mention = re.compile(rf"@{re.escape(username)}(?!\w)", re.IGNORECASE)
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
            reply_to = message.message_id if message.chat.type != ChatType.PRIVATE else None
            await self.sender.send(incoming.chat_id or "", reply, reply_to=reply_to)

    async def _note(self, message: Message, text: str) -> None:
        """A short answer to a message the core does not see, in the sender's language."""
        user = message.from_user
        tr = translator(user.language_code if user else None)
        await self.sender.send(str(message.chat.id), Reply().paragraph(tr.gettext(text)))

    async def _on_document(self, message: Message, once_key: str | None) -> None:
        """A document in a private chat: downloaded (up to DOCUMENT_LIMIT) and handed to the
        core with its caption."""
        document, user = message.document, message.from_user
        too_large = N_("That file is too large: I read documents of up to 1 MB.")
        if document.file_size and document.file_size > DOCUMENT_LIMIT:
            await self._note(message, too_large)
            return
        file = await document.get_file()
        if file.file_size and file.file_size > DOCUMENT_LIMIT:
            await self._note(message, too_large)
            return
        try:
            content = await _download(str(file.file_path))
        except httpx.HTTPError as error:
            log.warning("a document could not be fetched from Telegram: %s", type(error).__name__)
            await self._note(message, N_("I could not fetch that file: please send it again."))
            return
        if content is None:  # its size was not stated, or understated
            await self._note(message, too_large)
            return
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
            await self.sender.send(incoming.chat_id or "", reply)

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
            direct_chat_id=None if group else str(user.id),  # a private chat's id is the user's
            reachable=not group,  # a bot may not write first to who wrote only in a group
        )

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
            await self.sender.send(chat_id, list_changed(translator(query.from_user.language_code)))
            return
        incoming = self._incoming(message, query.from_user, command, via_button=True)
        reply = await self.core.answer_once(incoming, once_key)
        if reply is not None:
            await self.sender.send(chat_id, reply)


async def _download(url: str) -> bytes | None:
    """At most DOCUMENT_LIMIT bytes of a file, counted as they come: None past the limit
    (whatever size was stated), and the rest is never read."""
    chunks, size = [], 0
    async with (
        httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT) as http,
        http.stream("GET", url) as response,
    ):
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > DOCUMENT_LIMIT:
                return None
            chunks.append(chunk)
    return b"".join(chunks)
