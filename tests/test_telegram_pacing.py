"""Telegram's flood limits as Plenary keeps them, counted at the fake Bot API: a conversation is
answered at once, a flood is paced, messages nobody asked for keep their per-chat cap
(429s: tests/test_telegram.py)."""

from __future__ import annotations

import asyncio

from bot.config import TelegramConfig
from bot.core.messages import Reply
from bot.metrics import REGISTRY
from bot.transports.telegram.limits import Limits
from bot.transports.telegram.transport import TelegramTransport
from storage.models import Account
from testkit.fakes.telegram_api import private_message
from testkit.telegram_html import check_message
from tests.test_telegram import all_handled, converse

SQLITE_ONLY = True  # transport tests; the storage tests cover PostgreSQL
QUESTIONS = ["/next", "/issues", "/groups", "who is in UfC?", "/positions veto"]


def paced(kind: str) -> float:
    """How many messages of this kind the flood limiter has held back so far."""
    return REGISTRY.get_sample_value("plenary_paced_total", {"kind": kind}) or 0.0


async def started(plenary, fake_telegram, limits: Limits) -> TelegramTransport:
    transport = TelegramTransport(
        TelegramConfig(token=fake_telegram.token, api_base_url=fake_telegram.base_url),
        plenary.core,
        limits=limits,
    )
    await transport.start()
    return transport


def most_in_a_window(times: list[float], burst: float, per_second: float) -> list[str]:
    """Every stretch of messages that went faster than `burst` and then `per_second` allow
    (one message of slack for when the fake saw it rather than when it was let go)."""
    return [
        f"{j - i + 1} messages in {times[j] - times[i]:.3f} s"
        for i in range(len(times))
        for j in range(i + 1, len(times))
        if j - i + 1 > burst + per_second * (times[j] - times[i]) + 1
    ]


async def test_a_person_asking_one_question_after_another_is_answered_without_waiting(
    plenary, fake_telegram
):
    # Telegram's own figures: 1 a second in a chat, bursts tolerated; 30 a second overall.
    transport = await started(plenary, fake_telegram, Limits())
    before = paced("answer")
    try:
        answers = [
            await converse(fake_telegram, private_message(question, user_id=801), chat_id=801)
            for question in QUESTIONS * 2
        ]
    finally:
        await transport.stop()
    assert paced("answer") == before, "an answer in a conversation was held back"
    assert [answer.split("\n")[0] for answer in answers[1:3]] == ["Key issues", "Groups"]
    assert answers[:5] == answers[5:]


async def test_a_flood_from_one_person_is_paced_and_answered_in_order(plenary, fake_telegram):
    limits = Limits(overall_per_second=1000, answer_burst=2, chat_per_second=4)
    transport = await started(plenary, fake_telegram, limits)
    before = paced("answer")
    try:
        for question in QUESTIONS:
            fake_telegram.push(private_message(question, user_id=802))
        sent = await all_handled(fake_telegram, 802)
    finally:
        await transport.stop()
    assert len(sent) == len(QUESTIONS)
    assert sent[1].params["text"].startswith("<b>Key issues")
    assert paced("answer") > before
    times = [call.at for call in fake_telegram.sent(chat_id=802)]
    assert not most_in_a_window(times, limits.answer_burst, limits.chat_per_second)


async def test_messages_nobody_asked_for_keep_the_chats_cap(plenary, fake_telegram):
    limits = Limits(overall_per_second=1000, chat_burst=2, chat_per_second=4)
    transport = await started(plenary, fake_telegram, limits)
    notice = Reply().paragraph("The programme has changed.")
    account = Account(platform="telegram", external_id="803")
    before = paced("unasked")
    try:
        await asyncio.gather(*(transport.deliver(account, notice) for _ in range(6)))
    finally:
        await transport.stop()
    sent = fake_telegram.sent(chat_id=803)
    assert [check_message(call.params["text"]) for call in sent] == [
        "The programme has changed."
    ] * 6
    assert paced("unasked") > before
    times = [call.at for call in sent]
    assert not most_in_a_window(times, limits.chat_burst, limits.chat_per_second)
