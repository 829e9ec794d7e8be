"""Markup from users reaches nobody as markup: Slack's formatting characters show as typed,
text from Slack is read as typed (entities decoded once), and the terminal prints no control
characters of the names people chose."""

import re
import sqlite3

import pytest
from sqlalchemy import select

from bot.core.messages import Incoming, Reply, link
from bot.render.mrkdwn import LOOKALIKES, to_plain
from bot.render.plain import render_plain
from bot.render.slack import render_messages
from storage.models import Person, Role
from testkit.slack_blocks import check_blocks
from tests.test_cli import plenary as cli
from tests.test_roles import invitation

SQLITE_ONLY = True
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]")


def test_what_slack_sends_is_read_as_typed():
    assert to_plain("R&amp;D &lt;b&gt; &amp;amp;") == "R&D <b> &amp;"
    assert to_plain("see <https://un.org|un.org> or <https://un.org/x>") == (
        "see un.org or https://un.org/x"
    )
    assert to_plain("<@U1> in <#C1|general>, <!here> <!subteam^S1|@g4>") == (
        "@U1 in #general, @here @g4"
    )


@pytest.mark.parametrize(
    "text", ["*no* _that_ ~x~ `y`", "*", "_x_", "a_b_c", "`", "~~", "> quoted?", "a\n>b", "&gt;"]
)
def test_slack_shows_any_text_as_written(text):
    """Issue 15, item 6: what a reader sees (testkit.slack_blocks: markers at word edges
    format, the rest shows) is what was written, in text and in a link's label."""
    (message,) = render_messages(Reply().paragraph(text), {})
    assert check_blocks(message.blocks) == text
    (message,) = render_messages(Reply().paragraph(link(text, "https://un.org")), {})
    assert check_blocks(message.blocks) == text.translate(LOOKALIKES)


async def test_names_reach_the_terminal_without_control_characters(plenary):
    """Issue 15, item 6: display names were printed raw (`\\x1b[2J` clears a terminal)."""
    name = "Eve\x1b[2J\x1b]0;owned\x07\r\u202eevil"
    code = await invitation(plenary, Role.CHAIR)
    await plenary.core.answer(
        Incoming("telegram", "666", f"/register {code}", display_name=name, chat_id="666")
    )
    async with plenary.sessions() as session:
        stored = await session.scalar(select(Person.display_name))
    assert stored == "Eve[2J]0;owned evil"
    shown = render_plain(await plenary.core.answer(Incoming("telegram", "666", "/roles")))
    assert "Eve" in shown and not CONTROL.search(shown)


def test_the_command_line_prints_no_control_characters(tmp_path):
    """`plenary roles` and `plenary audit`, with a name stored raw (as before this fix)."""
    db = ["--db", f"sqlite:///{tmp_path / 'roles.db'}"]
    invited = cli("invite", "--role", "chair", *db, cwd=tmp_path)
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", invited.stdout).group()
    cli("chat", *db, cwd=tmp_path, stdin=f"/register {code}\n")
    with sqlite3.connect(tmp_path / "roles.db") as connection:
        connection.execute("UPDATE persons SET display_name = ?", ("Eve\x1b[2J\r\u202e",))
        connection.execute("UPDATE audit_entries SET target = ?", ("\x1b[31mred",))
    for command in ("roles", "audit"):
        shown = cli(command, *db, cwd=tmp_path).stdout
        assert not CONTROL.search(shown.replace("\n", "")), repr(shown)
    assert "Eve[2J" in cli("roles", *db, cwd=tmp_path).stdout
