"""`plenary run` serving: the configured transports and the HTTP server, until a signal; with
no chat platform but `[http] enabled`, the HTTP server alone (calendar feeds, /healthz,
/metrics)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING

from starlette.routing import Route

from bot.config import Config
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.http import HttpServer, build_app
from bot.runtime.leader import Leadership
from bot.runtime.process import Runtime
from bot.runtime.scheduler import Scheduler

if TYPE_CHECKING:
    from bot.transports.slack.transport import SlackTransport
    from bot.transports.telegram.transport import TelegramTransport

log = logging.getLogger(__name__)


def has_transports(config: Config) -> bool:
    return bool(config.telegram.token or config.slack.bot_token)


def serves(config: Config) -> bool:
    """Whether `plenary run` serves (else it is the terminal chat)."""
    return has_transports(config) or config.http.enabled


class Service:
    """Every configured transport and the HTTP server, started and stopped together."""

    def __init__(self, config: Config, runtime: Runtime) -> None:
        self.config, self.runtime = config, runtime
        # Each platform's libraries are imported only when it is configured: Slack's (bolt,
        # aiohttp) took a tenth of the start of a process serving Telegram alone.
        self.telegram: TelegramTransport | None = None
        self.slack: SlackTransport | None = None
        if config.telegram.token:
            from bot.transports.telegram.transport import TelegramTransport

            self.telegram = TelegramTransport(config.telegram, runtime.core)
        if config.slack.bot_token:
            from bot.transports.slack.transport import SlackTransport

            self.slack = SlackTransport(config.slack, runtime.core)
        routes = []
        if self.telegram is not None:
            routes.append(Route("/telegram/webhook", self.telegram.webhook, methods=["POST"]))
        if self.slack is not None:
            routes.append(Route("/slack/events", self.slack.events, methods=["POST"]))
        # Long polling: one process at a time (the others take over if it dies).
        self.polling = (
            Leadership(
                runtime.engine,
                "telegram-polling",
                self.telegram.start_polling,
                self.telegram.stop_taking_updates,
            )
            if self.telegram is not None and config.telegram.mode == "polling"
            else None
        )
        senders = {t.platform: t for t in self.transports}
        # Without a platform there is nothing to deliver: the deliveries wait for a process
        # that has one.
        self.scheduler = (
            Scheduler(Dispatcher(runtime.core, senders), retention=config.retention.policy())
            if senders
            else None
        )
        checks = {t.platform: t.state for t in self.transports}
        app = build_app(runtime.core, routes, checks, config.http.max_body_bytes)
        self.http = HttpServer(app, config.http.host, config.http.port)

    @property
    def transports(self) -> list[TelegramTransport | SlackTransport]:
        return [t for t in (self.telegram, self.slack) if t is not None]

    async def start(self) -> None:
        # The names and settings every answer reads (about 0.2 s on the demo), read while the
        # transports connect rather than by the first message.
        warming = asyncio.create_task(self.runtime.core.warm_up())
        await self.http.start()
        if self.slack is not None:
            await self.slack.start()
        if self.telegram is not None:
            await self.telegram.start(poll=self.polling is None)
        if self.polling is not None:
            await self.polling.start()
        if self.scheduler is not None:
            await self.scheduler.start()
        await warming
        log.info("Plenary is running (HTTP on %s:%s)", self.config.http.host, self.http.port)

    async def stop(self) -> None:
        """Stop taking updates (webhooks, polling, sockets), let the deliveries in flight
        finish, then close the transports."""
        await self.http.stop()
        if self.polling is not None:
            await self.polling.stop()
        for transport in self.transports:
            await transport.stop_taking_updates()
        if self.scheduler is not None:
            await self.scheduler.stop()
        for transport in self.transports:
            await transport.stop()

    async def run_until_signal(self) -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stopping.set)
        try:
            await self.start()
            await stopping.wait()
        finally:
            await self.stop()
