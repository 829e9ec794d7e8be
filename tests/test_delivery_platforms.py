"""Delivery through the real Telegram and Slack clients under faults: a send cancelled while
Telegram asks to wait, a long message failing midway, a Slack account with no chat."""

import asyncio

from sqlalchemy import select, update

from bot.config import SlackConfig
from bot.core.messages import Reply
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.results import backoff
from bot.transports.slack.transport import SlackTransport
from storage import announcements
from storage.announcements import Audience
from storage.models import Account, Delivery, DeliveryStatus
from testkit.fakes.slack_api import SIGNING_SECRET
from testkit.slack_blocks import check_blocks
from testkit.telegram_html import check_message
from tests.test_announcements import people

# Long enough for several Telegram messages (4,096 characters each), and for several Slack
# ones (50 sections of up to 3,000 characters each).
LONG = "\n\n".join(f"Paragraph {n}: " + "the framework text " * 14 for n in range(60))
LONGER = "\n\n".join(f"Paragraph {n}: " + "the framework text " * 150 for n in range(60))


async def announce_to_all(plenary, text: str) -> None:
    now = plenary.clock.now()
    async with plenary.sessions() as session:
        draft = await announcements.draft(session, None, "cli", text, Audience("all"), now)
        assert await announcements.confirm(session, draft, now)
        await session.commit()


async def test_a_send_cancelled_while_telegram_asks_to_wait_holds_up_no_other(
    fake_telegram, telegram
):
    fake_telegram.rate_limit_every, fake_telegram.retry_after = 1, 1
    notice = Reply().paragraph("The programme has changed.")
    waiting = asyncio.create_task(
        telegram.deliver(Account(platform="telegram", external_id="601"), notice)
    )
    await fake_telegram.wait_for(1, "sendMessage:429")  # the limiter now pauses every send
    fake_telegram.rate_limit_every = 0
    waiting.cancel()
    async with asyncio.timeout(10):  # it hung for ever when the cancelled pause never ended
        await telegram.deliver(Account(platform="telegram", external_id="602"), notice)
    assert [c.params["chat_id"] for c in fake_telegram.sent()] == [602]


async def test_a_long_telegram_message_failing_midway_resumes_after_the_parts_that_went(
    plenary, fake_telegram, telegram
):
    (reader,) = await people(plenary, 1, "telegram")
    chat = int(reader)

    def fail_the_second_part(call) -> None:
        if len(fake_telegram.sent(chat_id=chat)) == 1:
            fake_telegram.failing["sendMessage"] = 1

    fake_telegram.on_send = fail_the_second_part
    await announce_to_all(plenary, LONG)
    dispatcher = Dispatcher(plenary.core, {"telegram": telegram})
    await dispatcher.run_until_idle()
    assert len(fake_telegram.sent("sendMessage:500", chat)) == 1
    plenary.clock.advance(backoff(1))
    await dispatcher.run_until_idle()
    parts = [check_message(call.params["text"]) for call in fake_telegram.sent(chat_id=chat)]
    assert len(parts) >= 3 and len(set(parts)) == len(parts), "every part, once, in order"
    shown = "\n".join(parts)
    assert all(f"Paragraph {n}:" in shown for n in range(60))
    assert shown.index("Paragraph 0:") < shown.index("Paragraph 59:")
    row = await delivery_of(plenary, reader)
    assert row.status == DeliveryStatus.SENT
    assert row.message_id == str(fake_telegram.sent(chat_id=chat)[-1].result["message_id"])


async def delivery_of(plenary, external_id: str) -> Delivery:
    async with plenary.sessions() as session:
        return await session.scalar(
            select(Delivery)
            .join(Account, Account.id == Delivery.account_id)
            .where(Account.external_id == external_id, Delivery.kind == "announcement")
        )


async def slack_dispatcher(plenary, fake_slack) -> tuple[Dispatcher, SlackTransport]:
    config = SlackConfig(
        bot_token=fake_slack.token, signing_secret=SIGNING_SECRET, api_base_url=fake_slack.base_url
    )
    transport = SlackTransport(config, plenary.core)
    return Dispatcher(plenary.core, {"slack": transport}), transport


async def test_a_long_slack_message_failing_midway_resumes_after_the_parts_that_went(
    plenary, fake_slack
):
    (reader,) = await people(plenary, 1, "slack")
    channel = reader  # people() gives each account its id as chat

    def fail_the_second_part(call) -> None:  # and the client's two retries of it
        if call.method == "chat.postMessage" and len(fake_slack.sent(channel=channel)) == 1:
            fake_slack.failing["chat.postMessage"] = 3

    fake_slack.on_call = fail_the_second_part
    await announce_to_all(plenary, LONGER)
    dispatcher, transport = await slack_dispatcher(plenary, fake_slack)
    try:
        await dispatcher.run_until_idle()
        assert len(fake_slack.sent("chat.postMessage:500", channel=channel)) == 3
        plenary.clock.advance(backoff(1))
        await dispatcher.run_until_idle()
    finally:
        await transport.stop()
    parts = [check_blocks(call.params["blocks"]) for call in fake_slack.sent(channel=channel)]
    assert len(parts) >= 2 and len(set(parts)) == len(parts), "every part, once, in order"
    shown = "\n".join(parts)
    assert all(f"Paragraph {n}:" in shown for n in range(60))
    assert (await delivery_of(plenary, reader)).status == DeliveryStatus.SENT


async def test_a_slack_account_without_a_chat_is_reached_by_id_and_deactivated_by_id(
    plenary, fake_slack
):
    reached, disabled = await people(plenary, 2, "slack")
    async with plenary.sessions() as session:  # e.g. met in a channel, never in a DM
        await session.execute(update(Account).values(chat_id=None))
        await session.commit()
    fake_slack.disabled_users.add(disabled)
    dispatcher, transport = await slack_dispatcher(plenary, fake_slack)
    try:
        await announce_to_all(plenary, "The IGN meets on 3 February.")
        await dispatcher.run_until_idle()
        (sent,) = fake_slack.sent(channel=f"D{reached}")
        assert "The IGN meets on 3 February" in check_blocks(sent.params["blocks"])
        async with plenary.sessions() as session:
            rows = await session.execute(select(Account.external_id, Account.active))
            active = dict(rows.all())
        assert active == {reached: True, disabled: False}
        opened = len(fake_slack.sent("conversations.open"))
        await announce_to_all(plenary, "The IGN meets again on 22 February.")
        await dispatcher.run_until_idle()
    finally:
        await transport.stop()
    assert len(fake_slack.sent("conversations.open")) == opened + 1, "only the reachable one"
    assert len(fake_slack.sent(channel=f"D{reached}")) == 2
    async with plenary.sessions() as session:
        errors = list(
            await session.scalars(
                select(Delivery.error)
                .join(Account, Account.id == Delivery.account_id)
                .where(Account.external_id == disabled)
                .order_by(Delivery.id)
            )
        )
    assert errors == ["unreachable: user_disabled"], "the second one is not even queued for it"
