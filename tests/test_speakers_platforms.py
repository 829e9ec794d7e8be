"""A meeting run end to end from the Chair's office on Telegram and on Slack (the real
python-telegram-bot and slack-bolt against the fake Bot API and Web API): the list opens, a
bulk paste, requests to speak accepted, a move, "next speaker" pressed 40 times; every
delegation's focal point, on either platform, gets each alert once and when it falls due."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from storage.models import Role
from testkit.fakes import slack_api, telegram_api
from testkit.slack_blocks import check_blocks
from testkit.telegram_html import check_message
from tests import test_speakers as speakers_dialogue
from tests import test_telegram
from tests.slack_chat import FORM, post, slack_app
from tests.slack_chat import converse as slack_converse
from tests.test_reminders import at
from tests.test_roles import invitation

SQLITE_ONLY = True  # transport tests; the storage tests cover PostgreSQL

MEETING = "ign70-1"  # 3 February 2016, 10:00 New York
STATES = [
    "Brazil", "India", "Japan", "Germany", "Italy", "Canada", "Pakistan", "Argentina", "Mexico",
    "Spain", "Türkiye", "Egypt", "Nigeria", "South Africa", "Kenya", "Sierra Leone", "France",
    "China", "Russian Federation", "Portugal", "Indonesia", "Australia", "New Zealand",
    "Norway", "Sweden", "Denmark", "Finland", "Poland", "Ukraine", "Colombia", "Chile", "Peru",
    "Cuba", "Jamaica", "Ghana", "Senegal", "Morocco", "Algeria", "Singapore", "Malaysia",
]  # fmt: skip
PASTED, ASKING = STATES[:36], STATES[36:]  # the last four ask to speak
MOVED = ("Poland", 10)  # number 28 of the paste, moved before any turn comes
PARIS, TOKYO = STATES[0], STATES[1]  # their focal points read in those time zones
CHAIR_CHAT, CHAIR_SLACK = 900, "UCHAIR"
WATCHER = 950  # a delegate on Telegram who follows Brazil


@dataclass
class Desk:
    """The Chair's office at its chat app: what it types, and what pressing a button shows."""

    says: Callable[[str], Awaitable[str]]
    presses: Callable[[str], Awaitable[str]]

    async def press(self, shown: str, label: str, nth: int = 0) -> str:
        """Press the `nth` button called `label` in what the chat showed."""
        found = re.findall(rf"(?m)^\[{re.escape(label)}\] (.+)$", shown)
        assert len(found) > nth, f"no button {label!r} in:\n{shown}"
        shown_payload = found[nth]
        return await self.presses(
            shown_payload if shown_payload.startswith("t:") else f"c:{shown_payload}"
        )


def account_of(index: int) -> tuple[str, str]:
    """(platform, user id) of the focal point of STATES[index]: Telegram and Slack in turn."""
    return ("telegram", str(1000 + index)) if index % 2 == 0 else ("slack", f"UF{index}")


def direct_chat(platform: str, user: str) -> str:
    return user if platform == "telegram" else f"D{user}"


async def told(plenary, platform: str, user: str, text: str) -> str:
    incoming = Incoming(platform, user, text, chat_id=direct_chat(platform, user))
    return (await plenary.core.answer(incoming)).text


async def focal_points(plenary) -> None:
    """A focal point for each of the 40 delegations, alternately on Telegram and Slack."""
    for index, state in enumerate(STATES):
        platform, user = account_of(index)
        code = await invitation(plenary, Role.FOCAL_POINT, state)
        incoming = Incoming(
            platform, user, f"/register {code}", direct_chat_id=direct_chat(platform, user)
        )
        assert "focal point" in (await plenary.core.answer(incoming)).text
    assert "Paris" in await told(plenary, *account_of(0), "/timezone Europe/Paris")
    assert "Tokyo" in await told(plenary, *account_of(1), "/timezone Asia/Tokyo")


class Inboxes:
    """What each focal point (and the watcher) received, and after how many presses."""

    def __init__(self, fake_telegram, fake_slack) -> None:
        self.telegram, self.slack = fake_telegram, fake_slack
        self.seen: dict[tuple[str, str], int] = defaultdict(int)
        self.received: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)

    def _messages(self, platform: str, user: str) -> list[str]:
        if platform == "telegram":
            calls = [
                *self.telegram.sent("sendMessage", int(user)),
                *self.telegram.sent("editMessageText", int(user)),
            ]
            return [check_message(c.params["text"]) for c in sorted(calls, key=lambda c: c.at)]
        calls = self.slack.sent("chat.postMessage", "chat.update", channel=f"D{user}")
        return [check_blocks(c.params["blocks"]) for c in calls]

    def collect(self, presses: int) -> None:
        for who in [account_of(i) for i in range(len(STATES))] + [("telegram", str(WATCHER))]:
            messages = self._messages(*who)
            self.received[who] += [(presses, text) for text in messages[self.seen[who] :]]
            self.seen[who] = len(messages)

    def of(self, state: str) -> list[tuple[int, str]]:
        return self.received[account_of(STATES.index(state))]

    def when(self, state: str, fragment: str) -> list[int]:
        """After how many presses each message of `state` containing `fragment` came."""
        return [presses for presses, text in self.of(state) if fragment in text]


@pytest.fixture
async def platforms(plenary, fake_telegram, telegram, fake_slack, answers_finished):
    async with slack_app(plenary, fake_slack) as (client, slack):
        yield client, Dispatcher(plenary.core, {"telegram": telegram, "slack": slack})


def desk_on(platform: str, fake_telegram, fake_slack, client) -> Desk:
    if platform == "telegram":
        chat = test_telegram.converse
        return Desk(
            lambda text: chat(
                fake_telegram, telegram_api.private_message(text, CHAIR_CHAT), CHAIR_CHAT
            ),
            lambda data: chat(
                fake_telegram, telegram_api.button_press(data, CHAIR_CHAT), CHAIR_CHAT
            ),
        )
    channel = f"D{CHAIR_SLACK}"

    async def says(text: str) -> str:
        message = slack_api.direct_message(slack_api.typed(text), CHAIR_SLACK)
        return await slack_converse(fake_slack, client, slack_api.event(message), channel)

    async def presses(value: str) -> str:
        pressed = slack_api.button_press(value, CHAIR_SLACK, channel)
        return await slack_converse(fake_slack, client, pressed, channel, FORM)

    return Desk(says, presses)


async def asks_to_speak(fake_telegram, fake_slack, client, index: int) -> str:
    """The focal point of STATES[index] sends /speak through its chat app."""
    platform, user = account_of(index)
    if platform == "telegram":
        update = telegram_api.private_message(f"/speak {MEETING}", int(user))
        return await test_telegram.converse(fake_telegram, update, int(user))
    message = slack_api.event(slack_api.direct_message(f"/speak {MEETING}", user))
    return await slack_converse(fake_slack, client, message, f"D{user}")


@pytest.mark.parametrize("chair_on", ["telegram", "slack"])
async def test_a_meeting_with_40_speakers_run_from_the_chairs_office(
    plenary, fake_telegram, fake_slack, platforms, chair_on
):
    client, dispatcher = platforms
    desk = desk_on(chair_on, fake_telegram, fake_slack, client)
    inboxes = Inboxes(fake_telegram, fake_slack)
    code = await invitation(plenary, Role.CHAIR)
    assert "Chair's office" in await desk.says(f"/register {code}")
    await focal_points(plenary)
    assert "Brazil" in await test_telegram.converse(
        fake_telegram, telegram_api.private_message("/floor Brazil", WATCHER), WATCHER
    )

    await at(plenary, "2016-02-03T08:00:00-05:00")
    assert "40 delegates will be told" in await desk.says(f"/speakers {MEETING} open")
    pasted = "\n".join(f"{n}. {state}" for n, state in enumerate(PASTED, start=1))
    preview = await desk.says(f"/speakers {MEETING} paste\n{pasted}")
    assert "36. Senegal · 3 min · new" in preview
    assert "36 turns to come" in await desk.press(preview, "Confirm")
    for index in range(36, 40):
        assert "with the Chair's office" in await asks_to_speak(
            fake_telegram, fake_slack, client, index
        )
    requests = await desk.says(f"/speakers {MEETING} requests")
    assert all(state in requests for state in ASKING)
    for _ in range(3):  # Accept places at the end; the last one is placed at 5
        assert "Accepted" in await desk.press(requests, "Accept")
        requests = await desk.says(f"/speakers {MEETING} requests")
    (last,) = re.findall(r"#(\d+) Malaysia", requests)
    assert "Accepted: Malaysia" in await desk.says(f"/speakers {MEETING} accept {last} at 5")
    moved = await desk.says(f"/speakers {MEETING} move {MOVED[0]} to {MOVED[1]}")
    assert f"{MOVED[0]} is now number {MOVED[1]}" in moved
    order = [*PASTED[:4], "Malaysia", *PASTED[4:]]
    order.remove(MOVED[0])
    order.insert(MOVED[1] - 1, MOVED[0])
    order += ASKING[:3]
    await dispatcher.run_until_idle()
    inboxes.collect(0)

    await at(plenary, "2016-02-03T10:00:00-05:00")
    answer = await desk.says(f"/speakers {MEETING} next")
    for presses, state in enumerate(order, start=1):
        assert f"Now speaking: {state}." in answer, answer
        await dispatcher.run_until_idle()
        inboxes.collect(presses)
        plenary.clock.advance(timedelta(minutes=3))
        answer = await desk.press(answer, "Next speaker")
    assert "The list is exhausted" in answer
    await dispatcher.run_until_idle()
    inboxes.collect(len(order) + 1)

    for number, state in enumerate(order, start=1):
        assert inboxes.when(state, "open for inscription") == [0], state
        assert inboxes.when(state, "is inscribed") == [0], state
        # "3 speakers before you" (the default) once, then "you are next" once, each as soon
        # as the press that makes it true: never late, never after the turn has come.
        # Before the first press nobody speaks: number 4 has 3 speakers before it; after press
        # p, number p speaks and number p + 3 has 3 before it.
        coming = [] if number == 1 else [0 if number <= 4 else number - 3]
        assert inboxes.when(state, "your turn is coming") == coming, state
        assert inboxes.when(state, "you are next") == [max(0, number - 1)], state
        texts = Counter(text for _presses, text in inboxes.of(state))
        assert max(texts.values()) == 1, f"{state} was told something twice: {texts}"
    (coming,) = [t for _p, t in inboxes.of(TOKYO) if "your turn is coming" in t]
    assert "about 10:03 New York time (00:03 Tokyo time)" in coming  # India, number 2
    placed = [t for _p, t in inboxes.of(PARIS) if "is inscribed" in t]
    assert (
        "Number 1: 0 speakers before you, about 10:00 New York time (16:00 Paris time)"
        in (placed[0])
    )
    assert any(
        f"Number {MOVED[1]}: {MOVED[1] - 1} speakers before you" in text
        for _p, text in inboxes.of(MOVED[0])
    )
    # Those the move pushed down a place were told their new number.
    assert any("Number 11:" in text for _p, text in inboxes.of(order[10]))
    floor = [
        presses
        for presses, text in inboxes.received[("telegram", str(WATCHER))]
        if "Brazil takes the floor at IGN meeting" in text
    ]
    assert floor == [order.index("Brazil") + 1], "the watcher hears Brazil take the floor once"


async def test_the_slack_app_home_shows_the_list_while_the_meeting_is_under_way(
    plenary, fake_slack, slack
):
    async def home() -> str:
        before = len(fake_slack.sent("views.publish"))
        opened = {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}
        assert (await post(slack, slack_api.event(opened))).status_code == 200
        call = (await fake_slack.wait_for(before + 1, "views.publish"))[-1]
        return check_blocks(call.params["view"]["blocks"], limit=100)

    await speakers_dialogue.a_list(plenary)  # 09:00, an hour before the meeting
    before = await home()
    assert "Wednesday 3 February 2016" in before and "List of speakers" not in before
    assert "No meeting with a list of speakers" not in before
    await at(plenary, "2016-02-03T10:01:00-05:00")
    await speakers_dialogue.says(plenary, speakers_dialogue.CHAIR, f"/speakers {MEETING} next")
    during = await home()
    assert "List of speakers: IGN meeting" in during
    assert "Speaking now: Sierra Leone (on behalf of African Group" in during
    assert "3. Brazil · 3 min · about 10:11 New York time" in during
    assert "[Refresh] /speakers ign70-1" in during and "Your settings" in during
    await at(plenary, "2016-02-03T18:30:00-05:00")  # the meeting is over, nobody speaking
    await speakers_dialogue.says(plenary, speakers_dialogue.CHAIR, f"/speakers {MEETING} next")
    for _ in range(4):
        await speakers_dialogue.says(plenary, speakers_dialogue.CHAIR, f"/speakers {MEETING} next")
    assert "List of speakers" not in await home()
