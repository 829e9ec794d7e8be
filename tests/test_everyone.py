"""Everyone who writes to Plenary is someone the Chair's office can reach: a person who only
sent /start or only asked a question, on Telegram and on Slack; /stop stops the messages and
/forget erases the person; those who cannot be reached are counted in the preview."""

import httpx
import pytest
from sqlalchemy import func, select
from starlette.routing import Route

from bot.config import SlackConfig
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.http import HttpServer, build_app
from bot.transports.slack.transport import SlackTransport
from storage.models import Account, AuditEntry, Person
from testkit.fakes.slack_api import SIGNING_SECRET, direct_message, event, signed, slash_command
from testkit.fakes.telegram_api import group_message, private_message
from tests.test_announce_platforms import announce_and_confirm
from tests.test_announcements import says
from tests.test_telegram import SENTINEL, chair_on_telegram, converse

SQLITE_ONLY = True  # transport tests; the storage tests cover PostgreSQL
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@pytest.fixture
async def slack_events(plenary, fake_slack):
    """Slack's events reaching Plenary over HTTP, and its transport for the dispatcher."""
    transport = SlackTransport(
        SlackConfig(
            bot_token="xoxb-test", signing_secret=SIGNING_SECRET, api_base_url=fake_slack.base_url
        ),
        plenary.core,
    )
    routes = [Route("/slack/events", transport.events, methods=["POST"])]
    server = HttpServer(build_app(plenary.core, routes), "127.0.0.1", 0)
    await server.start()
    await transport.start()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        yield transport, client
    await transport.stop()
    await server.stop()


async def slack_says(fake_slack, client, body: str, content_type: str, channel: str) -> None:
    before = len(fake_slack.sent(channel=channel))
    content, headers = signed(body, content_type=content_type)
    response = await client.post("/slack/events", content=content, headers=headers)
    assert response.status_code == 200
    await fake_slack.wait_for(before + 1, channel=channel)


async def test_everyone_who_wrote_gets_the_announcement(
    plenary, fake_telegram, telegram, fake_slack, slack_events
):
    slack, client = slack_events
    await chair_on_telegram(plenary, fake_telegram)
    assert "Welcome to Plenary" in await converse(
        fake_telegram, private_message("/start", 701), 701
    )
    assert "3 February" in await converse(
        fake_telegram, private_message("when is the next meeting?", 702), 702
    )
    # Someone who only wrote in a group: Telegram lets no bot write to them first.
    fake_telegram.push(group_message("@PlenaryBot /next", 703, -100700))
    fake_telegram.push(group_message(f"{SENTINEL}@PlenaryBot", 703, -100700))  # the same writer
    await fake_telegram.wait_for(2, chat_id=-100700)
    await slack_says(fake_slack, client, event(direct_message("hello", "U7")), JSON, "DU7")
    await slack_says(fake_slack, client, slash_command("next", "U8", "C9"), FORM, "C9")

    preview, answer = await announce_and_confirm(fake_telegram, "The IGN meets on 3 February.")
    assert "everyone: 5 people (Slack 2, Telegram 3)" in preview
    assert "1 cannot be reached" in preview
    assert "Sending to 5 people" in answer
    await Dispatcher(plenary.core, {"telegram": telegram, "slack": slack}).run_until_idle()
    for chat in (701, 702):
        texts = [c.params["text"] for c in fake_telegram.sent(chat_id=chat)]
        assert sum("Announcement from the Chair's office" in t for t in texts) == 1, chat
    assert not fake_telegram.sent(chat_id=703), "nothing to who only wrote in a group"
    for user in ("U7", "U8"):
        texts = [c.params["text"] for c in fake_slack.sent("chat.postMessage", channel=f"D{user}")]
        assert sum("Announcement from the Chair's office" in t for t in texts) == 1, user


async def test_stop_then_start_then_forget(plenary):
    assert "Welcome to Plenary" in await says(plenary, "ada", "/start")
    assert "sends you nothing more" in await says(plenary, "ada", "/stop")
    await says(plenary, "chair-free", "hello")  # a second person, to count against
    async with plenary.sessions() as session:
        stopped = await session.scalar(select(func.count(Person.stopped_at)))
    assert stopped == 1
    assert "Messages resume." in await says(plenary, "ada", "/start")
    forget = await plenary.core.answer(Incoming("console", "ada", "/forget", chat_id="ada"))
    (erase,) = [b.command for row in forget.buttons for b in row if b.label == "Erase"]
    assert "Erased." in await says(plenary, "ada", erase)
    async with plenary.sessions() as session:
        accounts = await session.scalar(
            select(func.count()).select_from(Account).where(Account.external_id == "ada")
        )
        audit = (await session.scalars(select(AuditEntry.action))).all()
    assert accounts == 0 and "forget" in audit
    assert "Welcome to Plenary" in await says(plenary, "ada", "/start"), "welcome back"
