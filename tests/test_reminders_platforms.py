"""Reminders through the real Telegram and Slack clients: 429s waited out, blocked accounts
deactivated, everything else delivered once."""

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.config import SlackConfig, TelegramConfig
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from bot.transports.slack.transport import SlackTransport
from bot.transports.telegram.limits import Limits
from bot.transports.telegram.transport import TelegramTransport
from storage.models import Account, Delivery, DeliveryStatus
from testkit.fakes.slack_api import SIGNING_SECRET, FakeSlack
from testkit.fakes.telegram_api import FakeTelegram
from testkit.slack_blocks import check_blocks
from testkit.telegram_html import check_message

SUBSCRIBED_AT = datetime.fromisoformat("2016-02-01T12:00:00-05:00")
AFTER_FIRST_DUE = timedelta(hours=22, seconds=30)  # 2 February, 10:00:30
FAST = Limits(overall_per_second=1000, chat_burst=100, chat_per_second=100, max_retries=0)


async def subscribe(plenary, platform: str, users: list[str], chat) -> None:
    plenary.clock._instant = SUBSCRIBED_AT
    for user in users:
        incoming = Incoming(platform, user, "/subscribe", direct_chat_id=chat(user))
        assert "You follow: all meetings" in (await plenary.core.answer(incoming)).text


async def statuses(plenary) -> dict[str, int]:
    async with plenary.sessions() as session:
        rows = await session.scalars(select(Delivery.status).where(Delivery.kind == "reminder"))
        found: dict[str, int] = {}
        for status in rows:
            found[status] = found.get(status, 0) + 1
        return found


async def active(plenary, user: str) -> bool:
    async with plenary.sessions() as session:
        return await session.scalar(select(Account.active).where(Account.external_id == user))


async def test_telegram_reminders_through_429_and_a_block(plenary):
    fake = await FakeTelegram(rate_limit_every=3).serve()
    transport = TelegramTransport(
        TelegramConfig(token=fake.token, api_base_url=fake.base_url), plenary.core, limits=FAST
    )
    await transport.application.initialize()
    try:
        users = [str(700 + n) for n in range(12)]
        await subscribe(plenary, "telegram", users, lambda user: user)
        fake.blocked_chats.add(705)
        plenary.clock.advance(AFTER_FIRST_DUE)
        dispatcher = Dispatcher(plenary.core, {"telegram": transport})
        for _ in range(10):  # retries fall due a second later each time
            await dispatcher.run_until_idle()
            plenary.clock.advance(timedelta(seconds=2))
    finally:
        await transport.application.shutdown()
        await fake.close()
    delivered = [c.params["chat_id"] for c in fake.sent()]
    assert sorted(delivered) == sorted(int(u) for u in users if u != "705")
    assert fake.sent("sendMessage:429"), "the fake server never answered 429"
    for call in fake.sent():
        assert "Reminder: IGN meeting in 24 hours" in check_message(call.params["text"])
    assert not await active(plenary, "705")
    assert await statuses(plenary) == {
        DeliveryStatus.SENT: 11,
        DeliveryStatus.FAILED: 1,
        DeliveryStatus.PENDING: 12,
    }


async def test_slack_reminders_through_429_and_a_closed_channel(plenary):
    fake = await FakeSlack(rate_limit_every=2).serve()
    transport = SlackTransport(
        SlackConfig(
            bot_token=fake.token, signing_secret=SIGNING_SECRET, api_base_url=fake.base_url
        ),
        plenary.core,
    )
    try:
        users = [f"U{n}" for n in range(6)]
        await subscribe(plenary, "slack", users, lambda user: f"D{user}")
        fake.unreachable_channels.add("DU3")
        plenary.clock.advance(AFTER_FIRST_DUE)
        await Dispatcher(plenary.core, {"slack": transport}).run_until_idle()
    finally:
        await transport.stop()
        await fake.close()
    delivered = [c.params["channel"] for c in fake.sent("chat.postMessage")]
    assert sorted(delivered) == sorted(f"D{u}" for u in users)  # DU3 was tried, and refused
    for call in fake.sent("chat.postMessage"):
        assert "Reminder: IGN meeting in 24 hours" in check_blocks(call.params["blocks"])
    assert fake.sent("chat.postMessage:429"), "the fake server never answered 429"
    assert not await active(plenary, "U3")
    assert (await statuses(plenary))[DeliveryStatus.SENT] == 5
