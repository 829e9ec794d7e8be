"""The Slack inbox: what Slack is told 200 (or whose socket envelope is acknowledged) is kept
first, handled once however often it arrives, and taken up by another process when the one
that acknowledged it died before handling it."""

import json
import logging
from datetime import timedelta

import httpx
from sqlalchemy import select
from starlette.routing import Route

from bot.config import SlackConfig
from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.runtime.http import HttpServer, build_app
from bot.transports.slack.inbox import LEASE
from bot.transports.slack.transport import SlackTransport
from storage import inbox
from storage.database import create_engine, session_factory
from storage.models import InboxEvent
from testkit.demo import DEMO_NOW
from testkit.fakes.slack_api import (
    SIGNING_SECRET,
    direct_message,
    event,
    signed,
    slash_command,
)
from testkit.fakes.slack_socket import FakeSocketMode

SQLITE_ONLY = True
FORM = "application/x-www-form-urlencoded"


def slack_transport(core, fake_slack, **config) -> SlackTransport:
    settings = {"signing_secret": SIGNING_SECRET, **config}
    return SlackTransport(
        SlackConfig(bot_token="xoxb-test", api_base_url=fake_slack.base_url, **settings), core
    )


class Door:
    """A transport's /slack/events on a server of its own."""

    def __init__(self, transport: SlackTransport) -> None:
        self.transport = transport
        routes = [Route("/slack/events", transport.events, methods=["POST"])]
        self.server = HttpServer(build_app(transport.core, routes), "127.0.0.1", 0)

    async def __aenter__(self) -> httpx.AsyncClient:
        await self.server.start()
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.server.port}")
        return self.client

    async def __aexit__(self, *_exc) -> None:
        await self.client.aclose()
        await self.server.stop()


async def kept(plenary) -> list[InboxEvent]:
    async with plenary.sessions() as session:
        return list(await session.scalars(select(InboxEvent).order_by(InboxEvent.id)))


async def test_a_replayed_slash_command_is_answered_once(plenary, fake_slack):
    """Issue 15, item 9: the same signed body three times answered three times."""
    transport = slack_transport(plenary.core, fake_slack)
    await transport.start()
    try:
        async with Door(transport) as client:
            content, headers = signed(slash_command("/timezone Asia/Tokyo"), content_type=FORM)
            for _ in range(3):
                response = await client.post("/slack/events", content=content, headers=headers)
                assert response.status_code == 200
            (row,) = await kept(plenary)  # the replays found the key taken: nothing to handle
            content, headers = signed(slash_command("/settings"), content_type=FORM)
            await client.post("/slack/events", content=content, headers=headers)
            await fake_slack.wait_for(2, channel="C1")
    finally:
        await transport.stop()
    answers = [c.params["text"] for c in fake_slack.sent(channel="C1")]
    assert sum("Asia/Tokyo" in a and "Your settings" not in a for a in answers) == 1
    assert row.key.startswith("trigger:")
    assert all(r.handled_at is not None for r in await kept(plenary))


async def test_what_was_acknowledged_survives_the_process_that_acknowledged_it(plenary, fake_slack):
    """The process acknowledged the event and died before handling it: the next one starts,
    finds it in the inbox and answers it, once."""
    dying = slack_transport(plenary.core, fake_slack)  # serves its door, handles nothing
    async with Door(dying) as client:
        content, headers = signed(event(direct_message("/next"), event_id="Ev-crash"))
        assert (await client.post("/slack/events", content=content, headers=headers)).is_success
    (row,) = await kept(plenary)
    assert row.handled_at is None and fake_slack.sent() == []
    survivor = slack_transport(plenary.core, fake_slack)
    await survivor.start()
    try:
        (call,) = await fake_slack.wait_for(1, channel="DU1")
    finally:
        await survivor.stop()
    assert "Wednesday 3 February 2016" in call.params["text"]
    (row,) = await kept(plenary)
    assert row.handled_at is not None


async def test_a_handler_that_died_midway_is_replaced_once_its_lease_runs_out(plenary, fake_slack):
    body = event(direct_message("/issues"), event_id="Ev-midway")
    async with plenary.sessions() as session:  # kept, and claimed by a handler that then died
        event_id = await inbox.keep(
            session, "slack", "event:Ev-midway", body, "application/json", DEMO_NOW
        )
        assert await inbox.claim(session, event_id, DEMO_NOW, LEASE) is not None
        await session.commit()
    transport = slack_transport(plenary.core, fake_slack)
    await transport.start()
    try:
        await transport.inbox.sweep()  # the lease still runs: left to its holder
        assert (await kept(plenary))[0].handled_at is None
        plenary.clock.advance(LEASE + timedelta(seconds=1))
        await transport.inbox.sweep()
        (call,) = fake_slack.sent(channel="DU1")
    finally:
        await transport.stop()
    assert "Key issues" in call.params["text"]


async def test_a_request_that_cannot_be_kept_is_not_acknowledged(fake_slack, tmp_path, caplog):
    """No database: 503, and Slack retries; nothing was promised that could be lost."""
    engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'plenary.db'}")
    core = Core(session_factory(engine), FixedClock(DEMO_NOW))
    transport = slack_transport(core, fake_slack)
    try:
        async with Door(transport) as client:
            content, headers = signed(event(direct_message("/next")))
            response = await client.post("/slack/events", content=content, headers=headers)
    finally:
        await engine.dispose()
    assert response.status_code == 503
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_socket_envelope_is_kept_before_it_is_acknowledged(plenary, fake_slack):
    socket = await FakeSocketMode().serve()
    fake_slack.socket_url = socket.url
    transport = slack_transport(plenary.core, fake_slack, signing_secret="", app_token="xapp-test")
    await transport.start()
    try:
        body = json.loads(event(direct_message("/groups"), event_id="Ev-socket"))
        await socket.send_event(body, "env-1")
        await socket.wait_for_ack("env-1")
        assert [row.key for row in await kept(plenary)] == ["event:Ev-socket"]
        await socket.send_event(body, "env-2")  # Slack's retry of the same event
        await socket.wait_for_ack("env-2")
        await socket.send_event(json.loads(event(direct_message("/issues"))), "env-3")
        await fake_slack.wait_for(2, channel="DU1")
    finally:
        await transport.stop()
        await socket.close()
    answers = [c.params["text"] for c in fake_slack.sent(channel="DU1")]
    assert sum(a.startswith("Groups") for a in answers) == 1, answers


async def test_the_door_is_closed_without_a_signing_secret(plenary, fake_slack):
    """In Socket Mode no signing secret is configured: nothing over HTTP is taken."""
    transport = slack_transport(plenary.core, fake_slack, signing_secret="", app_token="xapp-test")
    async with Door(transport) as client:
        content, headers = signed(event(direct_message("/next")))
        response = await client.post("/slack/events", content=content, headers=headers)
    assert response.status_code == 404
    assert await kept(plenary) == []
