"""Telegram: the real python-telegram-bot against a fake_telegram Bot API on 127.0.0.1."""

import asyncio
import json
from dataclasses import replace
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from starlette.routing import Route

from bot.config import TelegramConfig
from bot.core.buttons import command_for, payloads
from bot.core.messages import Button, Reply
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.http import HttpServer, build_app
from bot.transports.telegram.limits import Limits
from bot.transports.telegram.transport import TelegramTransport
from storage.models import Account, Announcement, Role
from testkit.fakes.telegram_api import (
    button_press,
    document_message,
    group_message,
    private_message,
)
from testkit.service import plenary_run
from testkit.telegram_html import check_markup, check_message
from tests.conftest import FAST, start_telegram
from tests.test_dialogues import BAD_INPUT, GENERAL, ISSUES_AND_GROUPS, MEETINGS, POSITIONS
from tests.test_letter_flow import OWN_LETTER
from tests.test_roles import invitation

SECRET = "s3cret-token_1"

SQLITE_ONLY = True  # transport tests; the storage tests cover PostgreSQL


def seen(calls) -> str:
    """What the reader sees in these messages, buttons included, after checking each one."""
    parts = []
    for call in calls:
        parts.append(check_message(call.params["text"]))
        for label, data in check_markup(call.params.get("reply_markup")):
            parts.append(f"[{label}] {data.removeprefix('c:')}")
    return "\n".join(parts)


SENTINEL = "/zzsentinel"  # its answer ("I don't know the command /zzsentinel") names it


def sentinel(chat_id: int) -> dict:
    """A message to the chat whose answer proves the chat's earlier updates were handled (a
    chat's updates are handled in order)."""
    if chat_id < 0:
        return group_message(f"{SENTINEL}@PlenaryBot", chat_id=chat_id)
    return private_message(SENTINEL, user_id=chat_id)


async def all_handled(fake_telegram, chat_id: int) -> list:
    """Sends the sentinel and waits for its answer; returns the chat's messages before it."""
    before = len(fake_telegram.sent(chat_id=chat_id))
    fake_telegram.push(sentinel(chat_id))
    while True:
        sent = await fake_telegram.wait_for(before + 1, chat_id=chat_id, timeout=30)
        answers = [i for i, c in enumerate(sent) if SENTINEL in c.params.get("text", "")]
        if answers and answers[-1] >= before:
            return sent[: answers[-1]]
        before = len(sent)


async def converse(fake_telegram, update, chat_id=501) -> str:
    """What the bot answers to `update`, every part of it."""
    before = len(fake_telegram.sent(chat_id=chat_id))
    fake_telegram.push(update)
    return seen((await all_handled(fake_telegram, chat_id))[before:])


@pytest.mark.parametrize(
    ("said", "expected"),
    MEETINGS + POSITIONS + ISSUES_AND_GROUPS + GENERAL + BAD_INPUT[1:],
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
async def test_dialogue_over_telegram(fake_telegram, telegram, said, expected):
    answer = await converse(fake_telegram, private_message(said))
    for fragment in expected:
        assert fragment in answer, f"{fragment!r} missing from:\n{answer}"


async def test_commands_menu_is_published_at_start_in_each_language(fake_telegram, telegram):
    menus = {
        call.params.get("language_code"): {
            c["command"]: c["description"] for c in call.params["commands"]
        }
        for call in fake_telegram.sent("setMyCommands")
    }
    assert set(menus) == {None, "ar", "zh", "fr", "ru", "es"}
    assert {"next", "meetings", "positions", "position", "help"} <= set(menus[None])
    assert menus[None]["next"] == "When and where the next meeting is."
    assert menus["fr"]["next"] == "Quand et où se tient la prochaine réunion."
    assert menus["zh"]["next"] == "下次会议的时间和地点。"


async def test_start_greets_with_buttons_and_accepts_a_payload(fake_telegram, telegram):
    answer = await converse(fake_telegram, private_message("/start invite-code-123"))
    assert "Welcome to Plenary" in answer
    assert "[Next meeting] /next" in answer and "[Key issues] /issues" in answer
    assert "[Settings] /settings" in answer


async def test_pressing_a_button_answers_the_callback_and_the_question(fake_telegram, telegram):
    answer = await converse(fake_telegram, button_press("c:/meeting ign70-1"))
    assert "Trusteeship Council Chamber" in answer
    assert len(fake_telegram.sent("answerCallbackQuery")) == 1


@pytest.mark.parametrize(
    "data", ["t:0123456789abcdef01234567", "c:/meeting ign70-99", "c:/position atlantis", "garbage"]
)
async def test_a_stale_button_gets_a_polite_answer(fake_telegram, telegram, data):
    answer = await converse(fake_telegram, button_press(data))
    assert "This list has changed since it was sent" in answer
    assert len(fake_telegram.sent("answerCallbackQuery")) == 1


async def test_long_button_commands_travel_as_tokens(plenary):
    command = "/position " + "x" * 80
    mapping = await payloads(plenary.sessions, Reply().button_row(Button("Long", command)))
    assert mapping[command].startswith("t:") and len(mapping[command].encode()) <= 64
    async with plenary.sessions() as session:
        assert await command_for(session, mapping[command]) == command


async def test_html_in_a_question_is_escaped(fake_telegram, telegram):
    answer = await converse(fake_telegram, private_message("/position <b>Narnia</b> & <script>"))
    assert "I know no State or group called “<b>Narnia</b> & <script>”" in answer


async def test_non_text_and_edits_get_a_short_answer(fake_telegram, telegram):
    sticker = private_message(
        None,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        },
    )
    assert "I only read text" in await converse(fake_telegram, sticker)
    photo = private_message(
        None, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    )
    assert "I only read text" in await converse(fake_telegram, photo)
    edited = {"edited_message": private_message("/next", edit_date=1)["message"]}
    assert "not edits" in await converse(fake_telegram, edited)
    forwarded = private_message(
        "/next", forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "Someone"}
    )
    assert "Wednesday 3 February 2016" in await converse(fake_telegram, forwarded)


async def test_groups_answer_only_when_addressed(fake_telegram, telegram):
    group = -100200
    fake_telegram.push(group_message("/next"))
    fake_telegram.push(group_message("when is the next meeting?"))
    assert await all_handled(fake_telegram, group) == [], "not addressed: not answered"
    for text in ("/next@PlenaryBot", "@PlenaryBot when is the next meeting?"):
        answer = await converse(fake_telegram, group_message(text), chat_id=group)
        assert "Wednesday 3 February 2016" in answer
    reply = group_message(
        "and the one after?",
        reply_to_message={
            "message_id": 5,
            "date": 1,
            "chat": {"id": group, "type": "supergroup"},
            "from": {"id": 999, "is_bot": True, "first_name": "Plenary"},
            "text": "…",
        },
    )
    assert "Sorry" in await converse(fake_telegram, reply, chat_id=group)
    assert all(
        c.params["reply_parameters"]["message_id"] for c in fake_telegram.sent(chat_id=group)
    )


async def test_a_4096_character_message_gets_an_answer(fake_telegram, telegram):
    answer = await converse(fake_telegram, private_message("veto " * 819))
    assert "the question of the veto" in answer


async def test_429_is_waited_out_and_everything_arrives_once(plenary, fake_telegram):
    fake_telegram.rate_limit_every, fake_telegram.retry_after = 3, 1
    transport = await start_telegram(plenary, fake_telegram)
    try:
        for user in range(601, 611):
            fake_telegram.push(private_message("/next", user_id=user))
        answers = [len(await all_handled(fake_telegram, user)) for user in range(601, 611)]
    finally:
        await transport.stop()
    assert answers == [1] * 10
    assert fake_telegram.sent("sendMessage:429"), "the fake_telegram server never answered 429"


async def test_sends_beyond_the_connections_wait_their_turn_and_all_arrive(plenary, fake_telegram):
    fake_telegram.send_delay = 0.2  # 12 sends over 3 connections, kept open: four rounds
    notice = Reply().paragraph("The programme has changed.")
    transport = TelegramTransport(
        TelegramConfig(token=fake_telegram.token, api_base_url=fake_telegram.base_url),
        plenary.core,
        limits=replace(FAST, connections=3),
    )
    await transport.start()
    chats = range(601, 613)
    try:
        await asyncio.gather(
            *(
                transport.deliver(Account(platform="telegram", external_id=str(c)), notice)
                for c in chats
            )
        )
    finally:
        await transport.stop()
    assert fake_telegram.most_in_flight == 3
    assert len({call.client_port for call in fake_telegram.sent()}) == 3
    assert sorted(call.params["chat_id"] for call in fake_telegram.sent()) == list(chats)


async def test_a_chats_messages_are_answered_in_order_and_hold_back_no_other_chat(
    plenary, fake_telegram
):
    # Answers to one chat go at 1 a second after the first, and 2 updates are handled at once.
    limits = Limits(
        overall_per_second=1000, chat_burst=1, answer_burst=1, chat_per_second=1, connections=2
    )
    transport = TelegramTransport(
        TelegramConfig(token=fake_telegram.token, api_base_url=fake_telegram.base_url),
        plenary.core,
        limits=limits,
    )
    await transport.start()
    asked = {"/issues": "Key issues", "/groups": "Groups", "/meetings": "Upcoming meetings"}
    try:
        for question in [*asked, "/next"]:
            fake_telegram.push(private_message(question, user_id=701))
        fake_telegram.push(private_message("/next", user_id=702))
        await fake_telegram.wait_for(5)
    finally:
        await transport.stop()
    order = [call.params["chat_id"] for call in fake_telegram.sent()]
    assert order.index(702) < 2, f"the other chat waited for the busy one: {order}"
    answers = [check_message(call.params["text"]) for call in fake_telegram.sent(chat_id=701)]
    for answer, heading in zip(answers, [*asked.values(), "Next meeting"], strict=True):
        assert answer.startswith(heading), answers


async def test_a_blocked_chat_deactivates_its_account(plenary, fake_telegram, telegram):
    await converse(
        fake_telegram, private_message("/timezone Europe/Paris", user_id=701), chat_id=701
    )
    fake_telegram.blocked_chats.add(701)
    fake_telegram.push(private_message("/next", user_id=701))
    await fake_telegram.wait_for(1, "sendMessage:403", chat_id=701)
    await until_inactive(plenary, "701")


async def until_inactive(plenary, external_id: str) -> None:
    """Waits until the account is deactivated (it is, once the refusal is handled)."""
    async with asyncio.timeout(10):
        while True:
            async with plenary.sessions() as session:
                account = await session.scalar(
                    select(Account).where(Account.external_id == external_id)
                )
            if not account.active:
                return
            await asyncio.sleep(0.02)


async def test_leaving_the_bot_deactivates_its_account(plenary, fake_telegram, telegram):
    await converse(
        fake_telegram, private_message("/timezone Europe/Paris", user_id=702), chat_id=702
    )
    member = {
        "status": "kicked",
        "user": {"id": 999, "is_bot": True, "first_name": "P"},
        "until_date": 0,
    }
    fake_telegram.push(
        {
            "my_chat_member": {
                "chat": {"id": 702, "type": "private"},
                "date": 1,
                "from": {"id": 702, "is_bot": False, "first_name": "D"},
                "old_chat_member": {"status": "member", "user": member["user"]},
                "new_chat_member": member,
            }
        }
    )
    await until_inactive(plenary, "702")


@pytest.fixture
async def webhook(plenary, fake_telegram):
    transport = await start_telegram(
        plenary,
        fake_telegram,
        mode="webhook",
        webhook_url="https://plenary.example/telegram/webhook",
        webhook_secret=SECRET,
    )
    server = HttpServer(
        build_app(plenary.core, [Route("/telegram/webhook", transport.webhook, methods=["POST"])]),
        "127.0.0.1",
        0,
    )
    await server.start()
    yield f"http://127.0.0.1:{server.port}/telegram/webhook"
    await server.stop()
    await transport.stop()


async def test_webhook_is_registered_with_its_secret(fake_telegram, webhook):
    (call,) = fake_telegram.sent("setWebhook")
    assert call.params["secret_token"] == SECRET
    assert call.params["url"] == "https://plenary.example/telegram/webhook"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"X-Telegram-Bot-Api-Secret-Token": SECRET}, 200),
        ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, 403),
        ({}, 403),
    ],
)
async def test_webhook_checks_the_secret(fake_telegram, webhook, headers, status):
    update = {"update_id": 9001, **private_message("/next", user_id=801)}
    async with httpx.AsyncClient() as client:
        response = await client.post(webhook, json=update, headers=headers)
    assert response.status_code == status
    # A webhook update is handled before its answer: whatever it sends is there by now.
    assert len(fake_telegram.sent(chat_id=801)) == (1 if status == 200 else 0)


@pytest.mark.postgres
async def test_a_replayed_update_acts_once(fake_telegram, webhook):
    update = {"update_id": 9002, **private_message("/timezone Asia/Tokyo", user_id=802)}
    async with httpx.AsyncClient() as client:
        for _ in range(3):
            response = await client.post(
                webhook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert response.status_code == 200
    assert len(fake_telegram.sent(chat_id=802)) == 1


async def test_webhook_answers_a_chats_updates_in_order(
    plenary, fake_telegram, webhook, monkeypatch
):
    asked = {"/issues": "Key issues", "/groups": "Groups", "/meetings": "Upcoming meetings"}
    asked["/next"] = "Next meeting"
    answer_once = plenary.core.answer_once

    async def slow_first(incoming, once_key):  # the first answer takes longest
        if incoming.text == "/issues":
            await asyncio.sleep(0.3)
        return await answer_once(incoming, once_key)

    async def post(client: httpx.AsyncClient, number: int, question: str) -> None:
        await asyncio.sleep(0.05 * number)  # arriving in this order
        update = {"update_id": 9100 + number, **private_message(question, user_id=803)}
        response = await client.post(
            webhook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert response.status_code == 200

    monkeypatch.setattr(plenary.core, "answer_once", slow_first)
    async with httpx.AsyncClient() as client:
        await asyncio.gather(*(post(client, n, question) for n, question in enumerate(asked)))
    answers = [check_message(call.params["text"]) for call in fake_telegram.sent(chat_id=803)]
    for answer, heading in zip(answers, asked.values(), strict=True):
        assert answer.startswith(heading), answers


async def test_webhook_rejects_garbage(webhook):
    async with httpx.AsyncClient() as client:
        response = await client.post(
            webhook, content=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
    assert response.status_code == 400


def run_on_telegram(tmp_path, fake_telegram, more_config: str = ""):
    """`plenary run` on the fake Bot API, the token from the environment."""
    config = f'[telegram]\napi_base_url = "{fake_telegram.base_url}"\n{more_config}'
    return plenary_run(tmp_path, config, {"PLENARY_TELEGRAM_TOKEN": fake_telegram.token})


async def test_plenary_run_serves_telegram_until_sigterm(fake_telegram, tmp_path):
    async with run_on_telegram(tmp_path, fake_telegram) as run:
        await fake_telegram.wait_for(1, "setMyCommands", timeout=30)
        assert "Wednesday 3 February 2016" in await converse(
            fake_telegram, private_message("/next")
        )
        async with httpx.AsyncClient() as client:
            health = await client.get(f"{run.url}/healthz")
            metrics = (await client.get(f"{run.url}/metrics")).text
        assert health.status_code == 200
        assert health.json() == {"telegram": "ok", "database": "ok"}
        assert 'plenary_requests_total{handler="next",platform="telegram"} 1.0' in metrics
    assert run.process.returncode == 0, run.stderr
    assert fake_telegram.token not in run.stderr


async def test_a_rejected_token_is_named_but_never_printed(fake_telegram, tmp_path):
    token = "987654:WRONG-token-never-to-be-printed"
    async with plenary_run(
        tmp_path,
        f'[telegram]\napi_base_url = "{fake_telegram.base_url}"\n',
        {"PLENARY_TELEGRAM_TOKEN": token},
    ) as run:
        await asyncio.wait_for(run.process.wait(), 30)
    assert run.process.returncode == 2
    assert "[telegram] token: Telegram rejected it" in run.stderr
    assert token not in run.stderr and "Traceback" not in run.stderr


async def test_only_a_group_admin_subscribes_the_group_and_reminders_go_there(
    plenary, fake_telegram, telegram
):
    group = -100200
    plenary.clock._instant = datetime.fromisoformat("2016-02-01T12:00:00-05:00")
    refused = await converse(
        fake_telegram, group_message("/subscribe@PlenaryBot", user_id=501), chat_id=group
    )
    assert "Only an admin of this group can change its reminders" in refused
    fake_telegram.admins.add(502)
    accepted = await converse(
        fake_telegram, group_message("/subscribe@PlenaryBot", user_id=502), chat_id=group
    )
    assert "You follow: all meetings" in accepted
    plenary.clock.advance(timedelta(hours=22, seconds=30))
    await Dispatcher(plenary.core, {"telegram": telegram}).run_until_idle()
    reminder = fake_telegram.sent(chat_id=group)[-1]
    assert "Reminder: IGN meeting in 24 hours" in check_message(reminder.params["text"])
    assert (
        fake_telegram.sent(chat_id=501) == fake_telegram.sent(chat_id=502) == []
    )  # the group, not its members


# -- documents: a Chair's letter as a file, an announcement's attachment -----------------
CHAIR_CHAT = 601


async def chair_on_telegram(plenary, fake_telegram) -> None:
    code = await invitation(plenary, Role.CHAIR)
    from testkit.fakes.telegram_api import private_message

    assert "Chair's office" in await converse(
        fake_telegram, private_message(f"/start {code}", CHAIR_CHAT), CHAIR_CHAT
    )


async def test_a_letter_sent_as_a_file_proposes_its_meeting(plenary, fake_telegram, telegram):
    await chair_on_telegram(plenary, fake_telegram)
    update = document_message(fake_telegram, "letter.md", OWN_LETTER.encode(), user_id=CHAIR_CHAT)
    answer = await converse(fake_telegram, update, CHAIR_CHAT)
    assert "This letter announces 1 meeting:" in answer
    assert "Monday 7 March 2016, 15:00 New York time" in answer and "[Add meeting 1]" in answer


async def test_a_document_with_announce_is_attached(plenary, fake_telegram, telegram):
    await chair_on_telegram(plenary, fake_telegram)
    update = document_message(
        fake_telegram,
        "programme.pdf",
        b"%PDF-1.4 programme",
        caption="/announce The programme is attached.",
        user_id=CHAIR_CHAT,
    )
    answer = await converse(fake_telegram, update, CHAIR_CHAT)
    assert "Preview of announcement #1" in answer
    (sent,) = fake_telegram.sent("sendDocument", CHAIR_CHAT)
    assert sent.params["document"]["content"] == b"%PDF-1.4 programme"
    async with plenary.sessions() as session:
        stored = await session.scalar(select(Announcement))
    assert stored.attachment_name == "programme.pdf" and stored.attachment == b"%PDF-1.4 programme"


@pytest.mark.parametrize("stated", [None, 100], ids=["no size", "understated"])
async def test_a_document_is_cut_at_the_limit_whatever_size_it_states(
    plenary, fake_telegram, telegram, stated
):
    """Issue 15, item 9: a document with no or an understated file_size was downloaded and
    parsed whole (20 MB, 35-43 s in the handler)."""
    await chair_on_telegram(plenary, fake_telegram)
    content = OWN_LETTER.encode() + b"x" * (2 * 1024 * 1024)
    update = document_message(fake_telegram, "letter.md", content, user_id=CHAIR_CHAT)
    document = update["message"]["document"]
    document.pop("file_size")
    if stated is not None:
        document["file_size"] = stated
    fake_telegram.stated_sizes[document["file_id"]] = stated
    answer = await converse(fake_telegram, update, CHAIR_CHAT)
    assert "That file is too large" in answer and "This letter announces" not in answer
    assert fake_telegram.sent("getFile")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "utf-32"])
async def test_a_letter_in_another_unicode_encoding_is_read(
    plenary, fake_telegram, telegram, encoding
):
    """Issue 15, item 9: UTF-16 text files came out garbled."""
    await chair_on_telegram(plenary, fake_telegram)
    content = OWN_LETTER.encode(encoding)
    update = document_message(fake_telegram, "letter.md", content, user_id=CHAIR_CHAT)
    answer = await converse(fake_telegram, update, CHAIR_CHAT)
    assert "This letter announces 1 meeting:" in answer
    assert "Monday 7 March 2016, 15:00 New York time" in answer


async def test_a_delegates_document_gets_a_polite_answer(plenary, fake_telegram, telegram):
    update = document_message(fake_telegram, "letter.md", OWN_LETTER.encode())
    assert "I only read text." in await converse(fake_telegram, update)


async def test_an_oversized_document_is_refused_unread(plenary, fake_telegram, telegram):
    update = document_message(fake_telegram, "big.md", b"x" * (1024 * 1024 + 1))
    assert "That file is too large" in await converse(fake_telegram, update)
    assert not fake_telegram.sent("getFile")


async def test_json_logs_one_object_a_line_without_secrets(fake_telegram, tmp_path):
    async with run_on_telegram(tmp_path, fake_telegram, '[logging]\nformat = "json"\n') as run:
        await fake_telegram.wait_for(1, "setMyCommands", timeout=30)
    entries = [json.loads(line) for line in run.stderr.splitlines() if line.strip()]
    assert any(e["message"].startswith("Plenary is running") for e in entries)
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    assert fake_telegram.token not in run.stderr


async def test_a_focal_point_submits_a_position_sent_as_a_document(
    plenary, fake_telegram, telegram
):
    code = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    started = await converse(
        fake_telegram, private_message(f"/start {code}", CHAIR_CHAT), CHAIR_CHAT
    )
    assert "focal point" in started
    text = b"Brazil supports two new permanent seats for Africa."
    update = document_message(
        fake_telegram, "position.md", text, caption="/submit veto", user_id=CHAIR_CHAT
    )
    preview = await converse(fake_telegram, update, CHAIR_CHAT)
    assert "Preview: Brazil on the question of the veto" in preview
    assert "two new permanent seats for Africa" in preview
