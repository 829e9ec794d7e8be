"""Slack: the real slack-bolt AsyncApp in Plenary's Starlette app, against a fake_slack Web API."""

import asyncio
import json
import time

import httpx
import pytest
from sqlalchemy import select

from bot.config import SlackConfig
from bot.core.messages import Button, Reply
from bot.render.slack import render_messages
from bot.transports.slack.receiving import USER_TTL, as_command
from bot.transports.slack.transport import SlackTransport
from storage.models import Account, Role
from testkit.fakes.slack_api import (
    SIGNING_SECRET,
    button_press,
    direct_message,
    event,
    slash_command,
    typed,
)
from testkit.fakes.slack_socket import FakeSocketMode
from testkit.service import plenary_run
from testkit.slack_blocks import check_blocks
from tests import slack_chat
from tests.slack_chat import FORM, converse, post, seen
from tests.test_dialogues import BAD_INPUT, GENERAL, ISSUES_AND_GROUPS, MEETINGS, POSITIONS
from tests.test_letter_flow import OWN_LETTER
from tests.test_roles import invitation

SQLITE_ONLY = True  # transport tests; the storage tests cover PostgreSQL


@pytest.mark.parametrize(
    ("said", "expected"),
    MEETINGS + POSITIONS + ISSUES_AND_GROUPS + GENERAL + BAD_INPUT[2:],
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
async def test_dialogue_over_slack_direct_messages(fake_slack, slack, said, expected):
    answer = await converse(fake_slack, slack, event(direct_message(typed(said))))
    for fragment in expected:
        assert fragment in answer, f"{fragment!r} missing from:\n{answer}"


async def test_url_verification(slack):
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    response = await post(slack, body)
    assert response.status_code == 200 and "c-123" in response.text


@pytest.mark.parametrize(
    ("secret", "age"), [("wrong-secret-000000000000000000", 0), (SIGNING_SECRET, 6 * 60)]
)
async def test_bad_signature_or_stale_timestamp_is_refused(fake_slack, slack, secret, age):
    response = await post(slack, event(direct_message("/next")), secret=secret, age=age)
    assert response.status_code == 401
    # Refused before any handling: an answer to a sentinel is all that comes.
    assert "I don't know the command /zzsentinel" in await converse(
        fake_slack, slack, event(direct_message("/zzsentinel"))
    )
    assert len(fake_slack.sent()) == 1


async def test_a_mention_is_answered_in_a_thread(fake_slack, slack):
    mention = {
        "type": "app_mention",
        "channel": "C1",
        "user": "U1",
        "ts": "1700000000.000777",
        "text": "<@UPLENARY> when is the next meeting?",
    }
    answer = await converse(fake_slack, slack, event(mention), channel="C1")
    assert "Wednesday 3 February 2016" in answer
    assert fake_slack.sent(channel="C1")[0].params["thread_ts"] == "1700000000.000777"


async def test_slash_command_answers_ephemerally(fake_slack, slack):
    answer = await converse(
        fake_slack, slack, slash_command("positions veto"), channel="C1", content_type=FORM
    )
    assert "Positions on the question of the veto" in answer
    (call,) = fake_slack.sent("chat.postEphemeral", channel="C1")
    assert call.params["user"] == "U1"
    answer = await converse(
        fake_slack,
        slack,
        slash_command("when is the next meeting?"),
        channel="C1",
        content_type=FORM,
    )
    assert "Wednesday 3 February 2016" in answer


async def test_buttons_answer_in_the_channel(fake_slack, slack):
    answer = await converse(
        fake_slack, slack, button_press("c:/meeting ign70-3"), content_type=FORM
    )
    assert "Wednesday 9 March 2016" in answer


async def test_buttons_from_an_ephemeral_answer_stay_ephemeral(fake_slack, slack):
    await converse(
        fake_slack,
        slack,
        button_press("c:/issues", channel="C1", ephemeral=True),
        channel="C1",
        content_type=FORM,
    )
    assert fake_slack.sent("chat.postEphemeral", channel="C1")


@pytest.mark.parametrize("value", ["t:0123456789abcdef01234567", "c:/meeting ign70-99"])
async def test_a_stale_button_gets_a_polite_answer(fake_slack, slack, value):
    answer = await converse(fake_slack, slack, button_press(value), content_type=FORM)
    assert "This list has changed since it was sent" in answer


async def test_app_home_shows_meetings_issues_and_settings(fake_slack, slack):
    opened = {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}
    assert (await post(slack, event(opened))).status_code == 200
    (call,) = await fake_slack.wait_for(1, "views.publish")
    view = call.params["view"]
    assert view["type"] == "home" and call.params["user_id"] == "U1"
    shown = check_blocks(view["blocks"], limit=100)
    for fragment in (
        "Wednesday 3 February 2016",
        "the question of the veto",
        "Your settings",
        "[Details] /meeting ign70-1",
    ):
        assert fragment in shown


@pytest.mark.postgres
async def test_a_retried_event_is_answered_once(plenary, fake_slack, slack):
    body = event(direct_message("/next"), event_id="Ev-retried")
    await converse(fake_slack, slack, body)
    for attempt in (1, 2):
        response = await post(
            slack,
            body,
            **{"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"},
        )
        assert response.status_code == 200  # the inbox found its key taken before answering
    # A sentinel after the retries: its answer comes once theirs would have.
    assert "Key issues" in await converse(fake_slack, slack, event(direct_message("/issues")))
    answers = [c.params["text"] for c in fake_slack.sent(channel="DU1")]
    assert sum(a.startswith("Next meeting") for a in answers) == 1, answers


async def test_bots_edits_deletions_and_files(fake_slack, slack):
    for inner in (
        direct_message("/next", bot_id="B2"),
        direct_message("/next", subtype="bot_message"),
        direct_message("/next", user="UPLENARY"),
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": "DU1",
            "channel_type": "im",
            "ts": "1.1",
        },
    ):
        assert (await post(slack, event(inner))).status_code == 200
    # Ignored events are dropped as they arrive, before any work: by the time a sentinel
    # (which needs some) is answered, they would have been answered too.
    sentinel = await converse(fake_slack, slack, event(direct_message("/zzsentinel")))
    assert "I don't know the command /zzsentinel" in sentinel
    assert len(fake_slack.sent()) == 1
    files = direct_message("", subtype="file_share", files=[{"id": "F1"}])
    assert "I only read text" in await converse(fake_slack, slack, event(files))
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": "DU1",
        "channel_type": "im",
        "ts": "1.2",
        "message": {"type": "message", "user": "U1", "text": "/next", "ts": "1.0"},
    }
    assert "not edits" in await converse(fake_slack, slack, event(edited))


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("/position <!channel> <@U999>", "@channel @U999"),  # a ping and a mention, as read
        (typed("/position <!channel> <@U999>"), "<!channel> <@U999>"),  # typed as such
    ],
)
async def test_mentions_and_channel_pings_are_never_echoed(fake_slack, slack, sent, shown):
    answer = await converse(fake_slack, slack, event(direct_message(sent)))
    assert shown in answer
    raw = json.dumps(fake_slack.sent(channel="DU1")[-1].params)
    assert "<!channel>" not in raw and "<@U999>" not in raw


async def test_a_40000_character_message(fake_slack, slack):
    answer = await converse(fake_slack, slack, event(direct_message("veto " * 8000)))
    assert "That message is too long (39,999 characters)" in answer


async def test_429_is_retried_and_everything_arrives_once(fake_slack, slack):
    fake_slack.rate_limit_every = 2
    for user in ("U21", "U22", "U23", "U24"):
        assert (await post(slack, event(direct_message("/next", user=user)))).status_code == 200
    await slack_chat.FINISHED.reach(4, timeout=30)
    assert [len(fake_slack.sent(channel=f"D{u}")) for u in ("U21", "U22", "U23", "U24")] == [1] * 4
    assert fake_slack.sent("chat.postMessage:429"), "the fake_slack server never answered 429"


async def test_an_unreachable_channel_deactivates_its_account(plenary, fake_slack, slack):
    await converse(
        fake_slack,
        slack,
        event(direct_message("/timezone Europe/Paris", user="U31")),
        channel="DU31",
    )
    fake_slack.unreachable_channels.add("DU31")
    answered = slack_chat.FINISHED.count
    assert (await post(slack, event(direct_message("/next", user="U31")))).status_code == 200
    await slack_chat.FINISHED.reach(answered + 1)  # its answer refused, the account deactivated
    async with plenary.sessions() as session:
        account = await session.scalar(select(Account).where(Account.external_id == "U31"))
    assert account.active is False


def test_slash_command_words_become_commands():
    assert as_command("next") == "/next"
    assert as_command("positions veto") == "/positions veto"
    assert as_command("when is the next meeting?") == "when is the next meeting?"


def test_long_answers_split_across_messages_within_limits():
    reply = Reply().heading("Positions " + "& <x> " * 40)
    for n in range(400):
        reply.item(f"Delegation {n} <@U1> & co: ", "text " * 30)
        reply.note(f"note {n}")
    reply.paragraph("y" * 7000)
    for n in range(30):
        reply.button_row(Button(f"Button {n} " + "z" * 90, f"/position d{n}"))
    payloads = {b.command: f"c:{b.command}" for row in reply.buttons for b in row}
    messages = render_messages(reply, payloads)
    assert len(messages) > 2
    shown = "\n".join(check_blocks(m.blocks) for m in messages)
    assert "Delegation 399 <@U1> & co" in shown and "note 399" in shown
    assert shown.count("y") >= 7000 and "[Button 29" in shown
    assert all(len(m.text) <= 3000 for m in messages)


async def test_socket_mode_receives_acknowledges_and_answers(plenary, fake_slack):
    socket = await FakeSocketMode().serve()
    fake_slack.socket_url = socket.url
    transport = SlackTransport(
        SlackConfig(
            bot_token=fake_slack.token,
            app_token=fake_slack.app_token,
            api_base_url=fake_slack.base_url,
        ),
        plenary.core,
    )
    await transport.start()
    try:
        await socket.send_event(json.loads(event(direct_message("/next"))), "env-1")
        await socket.wait_for_ack("env-1")
        (call,) = await fake_slack.wait_for(1, channel="DU1")
        assert "Wednesday 3 February 2016" in seen([call])
        assert fake_slack.sent("apps.connections.open")
    finally:
        await transport.stop()
        await socket.close()


async def test_plenary_run_serves_slack_events_until_sigterm(fake_slack, tmp_path):
    config = f'[slack]\napi_base_url = "{fake_slack.base_url}"\n'
    fake_slack.token = "xoxb-secret-token"
    secrets = {
        "PLENARY_SLACK_BOT_TOKEN": "xoxb-secret-token",
        "PLENARY_SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    async with (
        plenary_run(tmp_path, config, secrets) as run,
        httpx.AsyncClient(base_url=run.url) as client,
    ):
        assert "Wednesday 3 February 2016" in await converse(
            fake_slack, client, event(direct_message("/next")), in_process=False
        )
        bad = await post(client, event(direct_message("/next")), secret="x" * 32)
        assert bad.status_code == 401
    assert run.process.returncode == 0, run.stderr
    assert "xoxb-secret-token" not in run.stderr and SIGNING_SECRET not in run.stderr


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (slash_command("next"), FORM),
        (button_press("c:/next"), FORM),
        (event(direct_message("/next")), "application/json"),
    ],
)
async def test_requests_are_acknowledged_before_the_slow_work(
    fake_slack, slack, body, content_type
):
    fake_slack.gate = asyncio.Event()  # Slack's side holds every answer back...
    response = await asyncio.wait_for(post(slack, body, content_type), 2.5)
    assert response.status_code == 200  # ...and the request is acknowledged all the same
    assert fake_slack.sent() == []
    fake_slack.gate.set()
    await fake_slack.wait_for(1)


async def test_only_a_workspace_admin_subscribes_a_channel(fake_slack, slack):
    refused = await converse(
        fake_slack,
        slack,
        slash_command("subscribe", user="U1", channel="C9"),
        channel="C9",
        content_type=FORM,
    )
    assert "Only an admin of this group can change its reminders" in refused
    fake_slack.admins.add("U2")
    accepted = await converse(
        fake_slack,
        slack,
        slash_command("subscribe", user="U2", channel="C9"),
        channel="C9",
        content_type=FORM,
    )
    assert "You follow: all meetings" in accepted


async def test_a_chairs_letter_shared_as_a_file_is_read(plenary, fake_slack, slack):
    def sharing(*files) -> str:
        return event(direct_message("", subtype="file_share", files=list(files)))

    code = await invitation(plenary, Role.CHAIR)
    registered = await converse(fake_slack, slack, event(direct_message(f"/register {code}")))
    assert "Chair's office" in registered
    answer = await converse(
        fake_slack, slack, sharing(fake_slack.share("letter.md", OWN_LETTER.encode()))
    )
    assert "This letter announces 1 meeting:" in answer and "Conference Room 4" in answer
    assert fake_slack.downloads == ["Bearer xoxb-test"]
    big = {**fake_slack.share("big.md", b"x"), "size": 2 * 1024 * 1024}
    assert "That file is too large" in await converse(fake_slack, slack, sharing(big))
    assert len(fake_slack.downloads) == 1, "a file over the limit is not fetched"


async def test_a_transient_users_info_error_is_not_kept(fake_slack, slack):
    """A users.info error once made an admin a stranger for the life of the process."""
    fake_slack.admins.add("U3")
    fake_slack.failing["users.info"] = 3  # the first call and its two retries
    first = await converse(
        fake_slack, slack, slash_command("subscribe", user="U3", channel="C8"), "C8", FORM
    )
    assert "Only an admin of this group can change its reminders" in first
    again = await converse(
        fake_slack, slack, slash_command("subscribe", user="U3", channel="C8"), "C8", FORM
    )
    assert "You follow: all meetings" in again


async def test_an_admin_flag_taken_away_shows_once_the_user_is_asked_again(plenary, fake_slack):
    transport = SlackTransport(
        SlackConfig(
            bot_token="xoxb-test", signing_secret=SIGNING_SECRET, api_base_url=fake_slack.base_url
        ),
        plenary.core,
    )
    fake_slack.admins.add("U4")
    assert (await transport.receiver._user("U4")).admin
    fake_slack.admins.discard("U4")
    assert (await transport.receiver._user("U4")).admin, "kept for a while"
    transport.receiver._users.expire(time.monotonic() + USER_TTL)  # ...and that while is over
    assert not (await transport.receiver._user("U4")).admin
    assert len(fake_slack.sent("users.info")) == 2


async def test_a_position_typed_on_slack_is_shown_as_typed(plenary, fake_slack, slack):
    """Issue 15, item 6: `*`, `_`, `~` and backticks acted as formatting for every reader,
    and "R&D" typed on Slack came back as "R&amp;amp;D"."""
    written = "We say *no* to _that_, ~never~ `now`. R&D <!channel>"
    code = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    await converse(fake_slack, slack, event(direct_message(f"/register {code}")))
    preview = await converse(
        fake_slack, slack, event(direct_message(typed(f"/submit veto {written}")))
    )
    assert written in preview, preview
    stored = await converse(fake_slack, slack, event(direct_message("/submit confirm")))
    assert "Submitted: version 1 of Brazil" in stored
    shown = await converse(fake_slack, slack, event(direct_message("/position Brazil veto")))
    assert written in shown, shown
