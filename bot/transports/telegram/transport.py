"""Telegram: python-telegram-bot's Application in Plenary's loop, by long polling or webhook.
Receiving and sending live in their own modules; this one starts, stops and connects them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from telegram import BotCommand, InlineKeyboardMarkup, Update
from telegram.error import InvalidToken
from telegram.ext import Application, ApplicationBuilder, TypeHandler
from telegram.request import HTTPXRequest

from bot.config import ConfigError, TelegramConfig
from bot.core.answering import Core
from bot.core.commands import available_to
from bot.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.core.messages import Reply
from bot.transports.telegram.connections import OneConnectionEach
from bot.transports.telegram.limits import FloodLimiter, Limits
from bot.transports.telegram.order import ChatByChat
from bot.transports.telegram.receiving import TelegramReceiver
from bot.transports.telegram.sending import PLATFORM, TelegramSender
from storage.models import Account, Role

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


class TelegramTransport:
    """Telegram for the service: updates in through the receiver, replies and deliveries out
    through the sender."""

    platform = PLATFORM

    def __init__(self, config: TelegramConfig, core: Core, limits: Limits | None = None) -> None:
        self.config, self.core = config, core
        limits = limits or Limits(overall_per_second=config.messages_per_second)
        # As many updates handled at once as connections to send on: more would only wait
        # for a connection, holding their sessions and answers meanwhile.
        builder = (
            ApplicationBuilder()
            .token(config.token.get_secret_value())
            .rate_limiter(FloodLimiter(limits))
            .request(OneConnectionEach(limits.connections))
            .concurrent_updates(ChatByChat(limits.connections))
            # A second connection for getUpdates: stopping cancels a long poll, whose
            # connection may not be back yet when the last getUpdates confirms the offset.
            .get_updates_request(HTTPXRequest(connection_pool_size=2))
            .job_queue(None)
        )  # the scheduler is Plenary's own
        if config.api_base_url:
            base = config.api_base_url.rstrip("/")
            builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot"))
        if config.mode == "webhook":
            builder = builder.updater(None)
        self.application: Application = builder.build()
        self.sender = TelegramSender(self.application.bot, core.sessions)
        self.receiver = TelegramReceiver(config, core, self.application, self.sender)
        self.application.add_handler(TypeHandler(Update, self.receiver.on_update))

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
                secret_token=self.config.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
        elif poll:
            await self.start_polling()

    async def start_polling(self) -> None:
        if not self.application.updater.running:
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)

    async def state(self) -> str:
        """Whether it works ("ok") or what is wrong, for /healthz."""
        return "ok" if self.application.running else "stopped"

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
        """`POST /telegram/webhook`."""
        return await self.receiver.webhook(request)

    async def send(self, chat_id: str, reply: Reply, reply_to: int | None = None) -> None:
        await self.sender.send(chat_id, reply, reply_to)

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        return await self.sender.deliver(account, reply, skip)

    async def attach(self, account: Account, reply: Reply) -> None:
        await self.sender.attach(account, reply)

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        return await self.sender.edit(account, message_id, reply)

    async def markup(self, reply: Reply) -> InlineKeyboardMarkup | None:
        return await self.sender.markup(reply)
