"""Property-based tests: arbitrary Unicode, markup, sizes and button payloads through the
router and the three renderers never raise, and always give output valid for its platform."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.buttons import COMMAND_PREFIX, PAYLOAD_LIMIT, long_commands
from bot.core.messages import Block, BlockKind, Button, Incoming, Reply, Span
from bot.render.plain import render_plain
from bot.render.slack import render_messages as slack_messages
from bot.render.telegram import MESSAGE_LIMIT, keyboard
from bot.render.telegram import render_messages as telegram_messages
from testkit.slack_blocks import check_blocks
from testkit.telegram_html import check_message

SQLITE_ONLY = True  # the router's answers; storage is covered elsewhere
MARKUP = st.sampled_from(
    ["<b>", "</i>", "&", "&amp;", "<a href='x'>", "*", "_", "~", "`", "<@U123>", "<!channel>"]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), MARKUP), max_size=30).map("".join)
LONG_WORD = st.integers(min_value=1, max_value=9000).map(lambda n: "x" * n)
SPAN = st.builds(  # a span always has text: Reply drops empty ones
    Span,
    st.one_of(TEXT.filter(bool), LONG_WORD),
    st.booleans(),
    st.booleans(),
    st.one_of(
        st.none(),
        st.just("https://example.org/" + "a" * 30),
        TEXT.map(lambda t: "https://e.org/" + t),
    ),
)
BLOCK = st.builds(
    Block, st.sampled_from(list(BlockKind)), st.lists(SPAN, min_size=1, max_size=4).map(tuple)
)
BUTTON = st.builds(
    Button,
    TEXT.filter(bool),
    st.one_of(TEXT, st.text(min_size=60, max_size=300)).map(lambda t: "/x " + t),
)
REPLIES = st.builds(
    Reply,
    st.lists(BLOCK, max_size=12),
    st.lists(st.lists(BUTTON, min_size=1, max_size=4), max_size=6),
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _short_payloads(reply: Reply) -> dict[str, str]:
    """Payloads as bot.core.buttons makes them: the command, or a token for a long one."""
    long = set(long_commands(reply))
    return {
        b.command: f"t:{i:08d}" if b.command in long else COMMAND_PREFIX + b.command
        for i, b in enumerate(b for row in reply.buttons for b in row)
    }


@FUZZ
@given(REPLIES)
def test_telegram_rendering_is_always_valid(reply):
    for message in telegram_messages(reply):
        assert len(message) <= MESSAGE_LIMIT
        check_message(message)
    for row in keyboard(reply.buttons, _short_payloads(reply)):
        for button in row:
            assert len(button.payload.encode()) <= PAYLOAD_LIMIT


@FUZZ
@given(REPLIES)
def test_slack_rendering_is_always_valid(reply):
    for message in slack_messages(reply, _short_payloads(reply)):
        check_blocks(message.blocks)
        assert 1 <= len(message.text) <= 3000


@FUZZ
@given(REPLIES)
def test_plain_rendering_never_fails(reply):
    assert isinstance(render_plain(reply), str)


QUESTIONS = st.one_of(
    TEXT,
    st.sampled_from(["/next", "/meetings", "/positions", "/position", "/history", "/ics"]).flatmap(
        lambda command: TEXT.map(lambda rest: f"{command} {rest}")
    ),
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(question=QUESTIONS)
async def test_the_router_answers_anything_with_valid_output(plenary, question):
    reply = await plenary.core.answer(Incoming("telegram", "501", question, chat_id="501"))
    assert reply.blocks, "always an answer"
    assert not re.search(r"Traceback|Exception", reply.text)
    # The core turns a crash into an apology (and an ERROR, which fails any test): neither.
    assert "Sorry, something went wrong" not in reply.text
    for message in telegram_messages(reply):
        check_message(message)
    for message in slack_messages(reply, _short_payloads(reply)):
        check_blocks(message.blocks)
