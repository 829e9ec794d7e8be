"""Announcements through the real Telegram and Slack clients against the fake_telegram servers: a
chair's preview and Confirm button on Telegram, the broadcast on both platforms with its
delivery report, corrections as edits, and attachments as documents and file uploads."""

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import SlackConfig
from bot.runtime.dispatcher import Dispatcher
from bot.transports.slack.transport import SlackTransport
from storage import announcements, outbox
from storage.announcements import Audience
from storage.models import Account, Announcement, Delivery, DeliveryStatus
from testkit.fakes.slack_api import SIGNING_SECRET
from testkit.fakes.telegram_api import button_press, private_message
from testkit.slack_blocks import check_blocks
from testkit.telegram_html import check_markup, check_message
from tests.test_announcements import people
from tests.test_telegram import CHAIR_CHAT, chair_on_telegram, converse

TEXT = "The IGN meets on 3 February.\n\nBring the <b>framework</b> & notes."


@pytest.fixture
async def slack(plenary, fake_slack):
    config = SlackConfig(
        bot_token=fake_slack.token,
        signing_secret=SIGNING_SECRET,
        api_base_url=fake_slack.base_url,
    )
    transport = SlackTransport(config, plenary.core)
    yield transport
    await transport.stop()


@pytest.fixture
def dispatcher(plenary, telegram, slack):
    return Dispatcher(plenary.core, {"telegram": telegram, "slack": slack})


def with_button(fake_telegram, label: str):
    """The last message the Chair got with a button labelled `label`."""
    return next(
        call
        for call in reversed(fake_telegram.sent(chat_id=CHAIR_CHAT))
        if label in dict(check_markup(call.params.get("reply_markup")))
    )


def button(call, label: str) -> str:
    """The callback data of the button labelled `label` under a sent message."""
    (data,) = [d for text, d in check_markup(call.params.get("reply_markup")) if text == label]
    return data


async def press(fake_telegram, call, label: str) -> str:
    """Press a button under a message the chair received; what the chair sees next."""
    return await converse(
        fake_telegram, button_press(button(call, label), user_id=CHAIR_CHAT), CHAIR_CHAT
    )


async def announce_and_confirm(fake_telegram, text: str) -> tuple[str, str]:
    """The chair's /announce on Telegram, then its Confirm button: (preview, answer) as seen."""
    preview = await converse(
        fake_telegram, private_message(f"/announce {text}", CHAIR_CHAT), CHAIR_CHAT
    )
    return preview, await press(fake_telegram, with_button(fake_telegram, "Confirm"), "Confirm")


async def message_ids(plenary, platform: str) -> dict[str, str]:
    """The platform's id of the announcement message each account got, by chat."""
    async with plenary.sessions() as session:
        rows = await session.execute(
            select(Account.chat_id, Delivery.message_id)
            .join(Account, Account.id == Delivery.account_id)
            .where(Delivery.kind == "announcement", Account.platform == platform)
        )
        return dict(rows.all())


async def test_a_chair_announces_on_telegram_to_telegram_and_slack(
    plenary, fake_telegram, fake_slack, dispatcher
):
    await chair_on_telegram(plenary, fake_telegram)
    readers = await people(plenary, 3, "telegram")
    colleagues = await people(plenary, 2, "slack")
    fake_telegram.blocked_chats.add(int(readers[0]))
    preview, answer = await announce_and_confirm(fake_telegram, TEXT)
    assert "Preview of announcement #1" in preview
    assert "Bring the <b>framework</b> & notes." in preview  # escaped, and valid HTML
    assert "everyone: 6 people (Slack 2, Telegram 4)" in preview
    assert re.search(r"\[Confirm\] /confirm [\w-]{12}\n\[Cancel\] /discard [\w-]{12}", preview)
    assert fake_telegram.sent("answerCallbackQuery"), "Confirm came as a callback query"
    assert "Sending to 6 people" in answer
    await dispatcher.run_until_idle()
    for reader in readers[1:]:
        (call,) = fake_telegram.sent(chat_id=int(reader))
        assert "Announcement from the Chair's office" in check_message(call.params["text"])
    assert len(fake_telegram.sent("sendMessage:403", int(readers[0]))) == 1, "tried once"
    for colleague in colleagues:
        (call,) = fake_slack.sent("chat.postMessage", channel=colleague)
        assert "Bring the <b>framework</b> & notes." in check_blocks(call.params["blocks"])
    report = check_message(fake_telegram.sent(chat_id=CHAIR_CHAT)[-1].params["text"])
    assert "Delivery report: announcement #1" in report
    assert "Telegram: 3 delivered, 1 blocked (account unreachable)" in report
    assert "Slack: 2 delivered" in report
    plenary.clock.advance(timedelta(hours=1))
    assert await dispatcher.run_until_idle() == 0, "nothing is sent twice, nor retried"


async def test_a_correction_edits_the_messages_sent(plenary, fake_telegram, fake_slack, dispatcher):
    await chair_on_telegram(plenary, fake_telegram)
    (reader,) = await people(plenary, 1, "telegram")
    (colleague,) = await people(plenary, 1, "slack")
    await announce_and_confirm(fake_telegram, "The meeting is in Conference Room 4.")
    await dispatcher.run_until_idle()
    preview = await converse(
        fake_telegram,
        private_message(
            "/correct 1 The meeting is in the Trusteeship Council Chamber.", CHAIR_CHAT
        ),
        CHAIR_CHAT,
    )
    assert "Preview of the correction" in preview
    confirmed = await press(
        fake_telegram, with_button(fake_telegram, "Confirm correction"), "Confirm correction"
    )
    assert "3 messages already sent are being corrected" in confirmed
    await dispatcher.run_until_idle()
    (edit,) = fake_telegram.sent("editMessageText", int(reader))
    assert edit.params["message_id"] == int((await message_ids(plenary, "telegram"))[reader])
    assert "Trusteeship Council Chamber" in check_message(edit.params["text"])
    assert len(fake_telegram.sent(chat_id=int(reader))) == 1, "edited, not sent again"
    (update,) = fake_slack.sent("chat.update", channel=colleague)
    assert update.params["ts"] == (await message_ids(plenary, "slack"))[colleague]
    assert "Trusteeship Council Chamber" in check_blocks(update.params["blocks"])
    assert len(fake_slack.sent("chat.postMessage", channel=colleague)) == 1


async def announce_with_attachment(plenary, content: bytes) -> None:
    """An announcement to everyone, from the command line, with a PDF attached."""
    async with plenary.sessions() as session:
        now = plenary.clock.now()
        draft = await announcements.draft(
            session, None, "cli", "The programme is attached.", Audience("all"), now
        )
        draft.attachment_name, draft.attachment_type = "programme.pdf", "application/pdf"
        draft.attachment = content
        await announcements.confirm(session, draft, now)
        await session.commit()


async def test_an_attachment_goes_as_a_document_and_a_file_upload(
    plenary, fake_telegram, fake_slack, dispatcher
):
    (reader,) = await people(plenary, 1, "telegram")
    (colleague,) = await people(plenary, 1, "slack")
    content = b"%PDF-1.4 the programme of work"
    await announce_with_attachment(plenary, content)
    await dispatcher.run_until_idle()
    (text,) = fake_telegram.sent(chat_id=int(reader))
    assert "The programme is attached." in check_message(text.params["text"])
    (document,) = fake_telegram.sent("sendDocument", int(reader))
    assert document.params["document"] == {"filename": "programme.pdf", "content": content}
    (message,) = fake_slack.sent("chat.postMessage", channel=colleague)
    assert "The programme is attached." in check_blocks(message.params["blocks"])
    assert fake_slack.uploaded(colleague) == [("programme.pdf", content)]
    assert list(fake_slack.uploads.values()) == [content]


@pytest.mark.parametrize("slack_step", ["files.getUploadURLExternal", "upload"])
async def test_an_attachment_that_failed_is_sent_again_without_its_text(
    plenary, fake_telegram, fake_slack, dispatcher, slack_step
):
    (reader,) = await people(plenary, 1, "telegram")
    (colleague,) = await people(plenary, 1, "slack")
    content = b"%PDF-1.4 the programme of work"
    fake_telegram.failing["sendDocument"] = fake_slack.failing[slack_step] = 100  # till cleared
    await announce_with_attachment(plenary, content)
    await dispatcher.run_until_idle()
    assert fake_telegram.sent("sendDocument:500", int(reader)) and not fake_telegram.sent(
        "sendDocument"
    )
    assert fake_slack.uploaded(colleague) == []
    fake_telegram.failing.clear()
    fake_slack.failing.clear()
    plenary.clock.advance(timedelta(minutes=1))
    await dispatcher.run_until_idle()
    (text,) = fake_telegram.sent(chat_id=int(reader))
    assert "The programme is attached." in check_message(text.params["text"])
    (document,) = fake_telegram.sent("sendDocument", int(reader))
    assert document.params["document"] == {"filename": "programme.pdf", "content": content}
    assert len(fake_slack.sent("chat.postMessage", channel=colleague)) == 1
    assert fake_slack.uploaded(colleague) == [("programme.pdf", content)]
    async with plenary.sessions() as session:
        rows = await session.execute(select(Delivery.status, Delivery.message_id))
        assert {(status, bool(message)) for status, message in rows} == {
            (DeliveryStatus.SENT, True)
        }


async def text_sent_attachment_waiting(plenary, fake_telegram, dispatcher) -> list[str]:
    """The chair and two readers on Telegram have an announcement's text; its attachment
    fails until the test clears `fake_telegram.failing`. Their chats."""
    await chair_on_telegram(plenary, fake_telegram)
    readers = await people(plenary, 2, "telegram")
    fake_telegram.failing["sendDocument"] = 100
    await announce_with_attachment(plenary, b"%PDF-1.4 the wrong file")
    await dispatcher.run_until_idle()
    assert len(fake_telegram.sent("sendDocument:500")) == 3
    return [str(CHAIR_CHAT), *readers]


async def test_withdrawn_while_its_attachment_waits_the_attachment_never_follows(
    plenary, fake_telegram, dispatcher
):
    chats = await text_sent_attachment_waiting(plenary, fake_telegram, dispatcher)
    cancel = private_message("/announce 1 cancel", CHAIR_CHAT)
    answer = await converse(fake_telegram, cancel, CHAIR_CHAT)
    assert "Withdrawn: 3 messages were not sent." in answer, "the 3 attachments"
    fake_telegram.failing.clear()
    plenary.clock.advance(timedelta(hours=1))
    assert await dispatcher.run_until_idle() == 0
    assert not fake_telegram.sent("sendDocument")
    for chat in chats:
        texts = [check_message(c.params["text"]) for c in fake_telegram.sent(chat_id=int(chat))]
        assert sum("The programme is attached." in text for text in texts) == 1
    async with plenary.sessions() as session:
        rows = await session.execute(select(Delivery.status, Delivery.error))
        assert set(rows) == {(DeliveryStatus.SENT, outbox.WITHHELD)}


async def test_withdrawn_while_being_sent_what_comes_back_goes_no_further(
    plenary, fake_telegram, dispatcher
):
    readers = await people(plenary, 2, "telegram")
    fake_telegram.send_delay = 0.3
    fake_telegram.failing["sendDocument"] = 100  # till cleared
    await announce_with_attachment(plenary, b"%PDF-1.4 the wrong file")
    sending = asyncio.create_task(dispatcher.run_until_idle())
    await fake_telegram.wait_for(2)  # both texts on their way (each answered in 0.3 s)
    async with plenary.sessions() as session:
        announcement = await session.get(Announcement, 1)
        assert await announcements.cancel(session, announcement, plenary.clock.now()) == 0
        await session.commit()
    await sending
    fake_telegram.failing.clear()
    plenary.clock.advance(timedelta(hours=1))
    await dispatcher.run_until_idle()
    assert [len(fake_telegram.sent(chat_id=int(reader))) for reader in readers] == [1, 1]
    assert not fake_telegram.sent("sendDocument")
    async with plenary.sessions() as session:
        rows = await session.execute(select(Delivery.status, Delivery.error))
        assert set(rows) == {(DeliveryStatus.SENT, outbox.WITHHELD)}


async def test_corrected_while_its_attachment_waits_the_text_is_edited_and_the_file_follows(
    plenary, fake_telegram, dispatcher
):
    chats = await text_sent_attachment_waiting(plenary, fake_telegram, dispatcher)
    correction = private_message("/correct 1 The right programme is attached.", CHAIR_CHAT)
    await converse(fake_telegram, correction, CHAIR_CHAT)
    confirmed = await press(
        fake_telegram, with_button(fake_telegram, "Confirm correction"), "Confirm correction"
    )
    assert "3 messages already sent are being corrected" in confirmed
    fake_telegram.failing.clear()
    plenary.clock.advance(timedelta(minutes=1))
    await dispatcher.run_until_idle()
    for chat in chats:
        (edit,) = fake_telegram.sent("editMessageText", int(chat))
        assert "The right programme is attached." in check_message(edit.params["text"])
        assert len(fake_telegram.sent("sendDocument", int(chat))) == 1


async def test_an_attachment_that_never_goes_leaves_its_text_known_as_sent(
    plenary, fake_telegram, dispatcher
):
    (reader,) = await people(plenary, 1, "telegram")
    # The text goes out at the last attempt; the attachment never does.
    last = outbox.MAX_ATTEMPTS
    fake_telegram.failing.update({"sendMessage": last - 1, "sendDocument": 100})
    await announce_with_attachment(plenary, b"%PDF-1.4 the programme of work")
    for _ in range(last + 2):  # every attempt, 10 minutes apart (the longest back-off)
        await dispatcher.run_until_idle()
        plenary.clock.advance(timedelta(minutes=10))
    assert len(fake_telegram.sent("sendMessage:500", int(reader))) == last - 1
    assert len(fake_telegram.sent(chat_id=int(reader))) == 1
    assert len(fake_telegram.sent("sendDocument:500", int(reader))) == 1
    async with plenary.sessions() as session:
        status, message_id, error = (
            await session.execute(select(Delivery.status, Delivery.message_id, Delivery.error))
        ).one()
        assert status == DeliveryStatus.FAILED
        assert error.startswith(f"gave up after {last} attempts")
        assert message_id is not None, "its text went out: a correction must edit it"
        announcement = await session.get(Announcement, 1)
        now = plenary.clock.now()
        assert await announcements.correct(session, announcement, "Corrected.", now) == 1
        await session.commit()
    await dispatcher.run_until_idle()
    (edit,) = fake_telegram.sent("editMessageText", int(reader))
    assert edit.params["message_id"] == int(message_id)
    assert "Corrected." in check_message(edit.params["text"])
