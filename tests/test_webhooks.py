"""The two webhooks at the door: a body too large is refused before it is read, a signature
or secret before the body is parsed, a malformed body with 400 and no trace; nothing of a
refused body is logged. Fuzzed with hypothesis: bodies, sizes and headers always get a 4xx."""

import asyncio
import json
import logging

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from bot.config import SlackConfig
from bot.runtime.http import HttpServer, build_app
from bot.transports.slack.transport import SlackTransport
from testkit.fakes.slack_api import SIGNING_SECRET, direct_message, event, signed
from testkit.fakes.telegram_api import private_message
from tests.conftest import start_telegram

SQLITE_ONLY = True  # the HTTP door; storage is covered elsewhere
SECRET = "s3cret-token_1"
LIMIT = 64 * 1024  # the test servers' body limit
MARKER = "PLENARY-MARKER-7"  # in every refused body: it must never reach the log
NESTED = "[" * 30_000 + "]" * 30_000  # within the limit, far past any parser's depth


@pytest.fixture
async def doors(plenary, fake_telegram, fake_slack):
    """Plenary's HTTP server with both webhooks, each transport on its fake platform."""
    telegram = await start_telegram(
        plenary,
        fake_telegram,
        mode="webhook",
        webhook_url="https://plenary.example/telegram/webhook",
        webhook_secret=SECRET,
    )
    slack = SlackTransport(
        SlackConfig(
            bot_token="xoxb-test", signing_secret=SIGNING_SECRET, api_base_url=fake_slack.base_url
        ),
        plenary.core,
    )
    routes = [
        Route("/telegram/webhook", telegram.webhook, methods=["POST"]),
        Route("/slack/events", slack.events, methods=["POST"]),
    ]
    server = HttpServer(build_app(plenary.core, routes, body_limit=LIMIT), "127.0.0.1", 0)
    await server.start()
    await slack.start()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        yield client
    await slack.stop()
    await server.stop()
    await telegram.stop()


def no_error_and_no_body(caplog) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage()[:300] for r in errors]
    assert MARKER not in caplog.text


async def to_telegram(client, body: bytes, secret: str = SECRET, **headers):
    return await client.post(
        "/telegram/webhook",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": secret, **headers},
    )


async def to_slack(client, body: str, secret: str = SIGNING_SECRET, **headers):
    content, signature = signed(body, secret=secret)
    return await client.post("/slack/events", content=content, headers={**signature, **headers})


@pytest.mark.parametrize(
    "body",
    [
        f'["{MARKER}"]',
        "null",
        f'"{MARKER}"',
        NESTED,
        '{"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": '
        '"private"}, "from": {"id": 5, "is_bot": false, "first_name": "x"}, "text": '
        f'"/next \\ud800{MARKER}"}}}}',
        f'{{"update_id": "{MARKER}"}}',
        f'{{"{MARKER}": 1}}',
        "{bad",
    ],
    ids=["array", "null", "string", "nested", "surrogate", "id-text", "no-id", "bad"],
)
async def test_telegram_answers_a_malformed_update_400(doors, caplog, body):
    """Issue 15, item 3: with the right secret these answered 500 and a traceback."""
    response = await to_telegram(doors, body.encode())
    assert response.status_code == 400
    no_error_and_no_body(caplog)


@pytest.mark.parametrize(
    ("body", "signed_with", "status"),
    [
        ("{bad" + MARKER, "wrong-secret-000000000000000000", 401),
        ("{bad" + MARKER, SIGNING_SECRET, 400),
        (NESTED, SIGNING_SECRET, 400),
        (NESTED, "wrong-secret-000000000000000000", 401),
        (f'["{MARKER}"]', SIGNING_SECRET, 400),
        ('{"type": "event_callback", "event": "' + MARKER + '\\ud800"}', SIGNING_SECRET, 400),
    ],
    ids=["bad-unsigned", "bad-signed", "nested-signed", "nested-unsigned", "array", "surrogate"],
)
async def test_slack_refuses_unsigned_then_malformed_bodies(
    doors, caplog, body, signed_with, status
):
    """Issue 15, item 3: `{bad` or deep nesting answered 500 with a traceback."""
    response = await to_slack(doors, body, secret=signed_with)
    assert response.status_code == status
    no_error_and_no_body(caplog)


async def test_slack_refuses_a_timestamp_that_is_no_number(doors, caplog):
    content, headers = signed(event(direct_message(MARKER)))
    headers["X-Slack-Request-Timestamp"] = "yesterday"
    response = await doors.post("/slack/events", content=content, headers=headers)
    assert response.status_code == 401
    no_error_and_no_body(caplog)


@pytest.mark.parametrize("path", ["/slack/events", "/telegram/webhook"])
async def test_a_body_over_the_limit_is_refused_before_it_is_read(doors, caplog, path):
    """Issue 15, item 3: 61 MB of JSON was read and parsed before its 401."""
    body = json.dumps({"text": MARKER * (LIMIT // len(MARKER) + 1)})
    content, headers = signed(body)
    response = await doors.post(
        path, content=content, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 413
    no_error_and_no_body(caplog)


async def test_a_body_sent_in_chunks_is_cut_at_the_limit(doors, caplog):
    """No Content-Length (chunked): counted as it comes, refused once past the limit."""
    host, port = doors.base_url.host, doors.base_url.port
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        b"POST /telegram/webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n\r\n".encode()
    )
    chunk = (MARKER * 100)[:1024].encode()
    for _ in range(LIMIT // len(chunk) + 4):
        writer.write(b"400\r\n" + chunk + b"\r\n")
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert status.startswith(b"HTTP/1.1 413"), status
    no_error_and_no_body(caplog)


async def test_a_well_formed_update_still_gets_its_answer(doors, fake_telegram, fake_slack):
    update = {"update_id": 4242, **private_message("/next", user_id=4242)}
    assert (await to_telegram(doors, json.dumps(update).encode())).status_code == 200
    assert (await to_slack(doors, event(direct_message("/next", user="U42")))).status_code == 200
    await fake_telegram.wait_for(1, chat_id=4242)
    await fake_slack.wait_for(1, channel="DU42")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
NOT_AN_UPDATE = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    JSON_VALUES.filter(lambda v: not isinstance(v, dict)).map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.text(max_size=8).filter(lambda k: k != "update_id"), JSON_VALUES).map(
        lambda v: json.dumps(v).encode()
    ),
    st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=LIMIT + 1, max_value=LIMIT * 3).map(lambda n: b"{" + b" " * n + b"}"),
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60).map(
    str.strip  # what a client can send at all
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(body=NOT_AN_UPDATE, secret=st.one_of(st.just(SECRET), HEADER_TEXT))
async def test_fuzzed_telegram_requests_get_a_4xx(doors, caplog, body, secret):
    caplog.clear()
    response = await to_telegram(doors, body, secret=secret)
    assert 400 <= response.status_code < 500
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@FUZZ
@given(
    body=NOT_AN_UPDATE,
    timestamp=st.one_of(HEADER_TEXT, st.integers().map(str)),
    signature=st.one_of(st.none(), HEADER_TEXT),
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "text/plain", ""]
    ),
)
async def test_fuzzed_slack_requests_get_a_4xx(
    doors, caplog, body, timestamp, signature, content_type
):
    caplog.clear()
    text = body.decode("utf-8", "replace")
    content, headers = signed(text, content_type=content_type)
    if signature is not None:  # else: a valid signature over a body that is not an event
        headers["X-Slack-Signature"] = signature
        headers["X-Slack-Request-Timestamp"] = timestamp
    response = await doors.post("/slack/events", content=content, headers=headers)
    assert 400 <= response.status_code < 500
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
