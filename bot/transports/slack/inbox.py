"""Slack's requests handled from the inbox: each is kept in the database before Slack gets its
acknowledgement (over HTTP or Socket Mode), then dispatched through Bolt; what a crash left
unhandled is taken up again, by this process or another."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import timedelta

from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.core.answering import Core
from bot.transports.slack.requests import request_key
from bot.transports.slack.sending import PLATFORM
from storage import inbox

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # a handler that has not finished by then is taken for dead
SWEEP_EVERY = 10.0  # seconds between looks for events left unhandled
KEEP_HANDLED = timedelta(days=1)  # Slack retries for minutes: a day of keys is plenty
STOP_WAIT = 20.0  # seconds a stopping process lets the handlers in flight finish


class SlackInbox:
    """Keeps Slack's requests, then handles each once through the Bolt app."""

    def __init__(self, app: AsyncApp, core: Core, sweep_every: float = SWEEP_EVERY) -> None:
        self.app, self.core, self.sweep_every = app, core, sweep_every
        self._handling: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    async def accept(self, key: str, body: str, content_type: str) -> None:
        """Keep a request before it is acknowledged (raises if the database cannot), then
        handle it; a request already kept (Slack's retry, a replay) is only acknowledged."""
        async with self.core.sessions() as session:
            kept = await inbox.keep(
                session, PLATFORM, key, body, content_type, self.core.clock.now()
            )
            await session.commit()
        if kept is not None and self._sweeper is not None:  # else: whoever runs takes it up
            self._spawn(kept)

    def _spawn(self, event_id: int) -> asyncio.Task[None]:
        """Handle an event in a task of its own, which a stopping process lets finish."""
        task = asyncio.create_task(self._handle(event_id))
        self._handling.add(task)
        task.add_done_callback(self._handling.discard)
        return task

    async def from_socket(
        self, client: AsyncBaseSocketModeClient, request: SocketModeRequest
    ) -> None:
        """A Socket Mode envelope: kept, then acknowledged (unacknowledged, Slack sends it
        again), then handled like an HTTP request."""
        payload = request.payload if isinstance(request.payload, dict) else {}
        body = json.dumps(payload)
        try:
            await self.accept(request_key(payload, body), body, "application/json")
        except (SQLAlchemyError, OSError):
            log.warning(
                "a Slack envelope could not be kept: left unacknowledged for Slack to resend"
            )
            return
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

    async def _handle(self, event_id: int) -> None:
        """Claim the event, let Bolt run its listener to the end, mark it handled."""
        try:
            async with self.core.sessions() as session:
                event = await inbox.claim(session, event_id, self.core.clock.now(), LEASE)
                await session.commit()
            if event is None:  # handled already, or another handler holds it
                return
            request = AsyncBoltRequest(
                body=event.body, headers={"content-type": event.content_type}
            )
            await self.app.async_dispatch(request)
            async with self.core.sessions() as session:
                await inbox.handled(session, event_id, self.core.clock.now())
                await session.commit()
        except (SQLAlchemyError, OSError):
            # Left claimed: once its lease runs out, a sweep takes it up again.
            log.warning("a kept Slack event could not be handled now; it will be retried")

    async def sweep(self) -> None:
        """Handle what is left unhandled and held by nobody; forget old handled events."""
        now = self.core.clock.now()
        async with self.core.sessions() as session:
            waiting = await inbox.waiting(session, PLATFORM, now)
            await inbox.forget_handled(session, PLATFORM, now - KEEP_HANDLED)
            await session.commit()
        if waiting:  # asyncio.wait: stopping the sweep does not cut these short
            await asyncio.wait([self._spawn(event_id) for event_id in waiting])

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except (SQLAlchemyError, OSError):
                log.warning("the Slack inbox could not be read; trying again")
            await asyncio.sleep(self.sweep_every)

    async def start(self) -> None:
        self._sweeper = asyncio.create_task(self._sweep_forever())

    async def stop(self) -> None:
        """Stop sweeping; let the handlers in flight finish (for a while: what is cut short
        stays in the inbox for the next process)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        if self._handling:
            _done, cut = await asyncio.wait(self._handling, timeout=STOP_WAIT)
            for task in cut:
                task.cancel()
