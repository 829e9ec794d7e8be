"""Talking to Plenary's Slack app as a user would: signed events posted to its HTTP endpoint,
answers read at the fake Web API once this process finished sending them."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.routing import Route

from bot.config import SlackConfig
from bot.runtime.http import HttpServer, build_app
from bot.transports.slack.sending import SlackSender
from bot.transports.slack.transport import SlackTransport
from testkit.fakes.slack_api import SIGNING_SECRET, signed
from testkit.slack_blocks import check_blocks

FORM = "application/x-www-form-urlencoded"


@asynccontextmanager
async def slack_app(plenary, fake_slack) -> AsyncIterator[tuple[httpx.AsyncClient, SlackTransport]]:
    """Plenary's Slack app on the `plenary` core against `fake_slack`, served over HTTP: a
    client of its events endpoint, and the transport (for a dispatcher to send through)."""
    transport = SlackTransport(
        SlackConfig(
            bot_token=fake_slack.token,
            signing_secret=SIGNING_SECRET,
            api_base_url=fake_slack.base_url,
        ),
        plenary.core,
    )
    server = HttpServer(
        build_app(plenary.core, [Route("/slack/events", transport.events, methods=["POST"])]),
        "127.0.0.1",
        0,
    )
    await server.start()
    await transport.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            yield client, transport
    finally:
        await transport.stop()
        await server.stop()


@pytest.fixture
async def slack(plenary, fake_slack, answers_finished):
    async with slack_app(plenary, fake_slack) as (client, _transport):
        yield client


async def post(
    client,
    body: str,
    content_type: str = "application/json",
    age: int = 0,
    secret: str = SIGNING_SECRET,
    **headers,
):
    content, signature = signed(body, secret=secret, age=age, content_type=content_type)
    return await client.post("/slack/events", content=content, headers={**signature, **headers})


def seen(calls) -> str:
    return "\n".join(check_blocks(c.params.get("blocks") or []) or c.params["text"] for c in calls)


class Finished:
    """Counts the answers this process finished sending (every part of each): Slack events
    are handled concurrently, so only their end says that nothing more is coming."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = asyncio.Condition()

    async def one_more(self) -> None:
        async with self._changed:
            self.count += 1
            self._changed.notify_all()

    async def reach(self, count: int, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: self.count >= count)


FINISHED = Finished()


@pytest.fixture
def answers_finished(monkeypatch) -> Finished:
    """FINISHED counts the answers sent by this process's SlackSender during the test."""
    global FINISHED
    FINISHED = Finished()
    say = SlackSender.say

    async def counted(self, *args, **kwargs) -> None:
        try:
            await say(self, *args, **kwargs)
        finally:
            await FINISHED.one_more()

    monkeypatch.setattr(SlackSender, "say", counted)
    return FINISHED


async def converse(
    fake_slack,
    client,
    body: str,
    channel: str = "DU1",
    content_type: str = "application/json",
    in_process: bool = True,
) -> str:
    """What the bot answers (every part of it; only the first when Plenary runs in another
    process, whose answers here are one message long)."""
    before, finished = len(fake_slack.sent(channel=channel)), FINISHED.count
    response = await post(client, body, content_type)
    assert response.status_code == 200, response.text
    await fake_slack.wait_for(before + 1, channel=channel)
    if in_process:
        await FINISHED.reach(finished + 1)
    return seen(fake_slack.sent(channel=channel)[before:])
