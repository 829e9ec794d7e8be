"""The Chair's office on Slack (issue 18 on a platform): a postponement previewed and
confirmed by its button, then listed apart; the audit naming who did it; a position's history
naming its source."""

import re

from storage.models import Role
from testkit.fakes.slack_api import button_press, direct_message, event
from tests.slack_chat import FORM, converse
from tests.test_roles import invitation

SQLITE_ONLY = True  # a transport test; the storage tests cover PostgreSQL


async def test_the_chairs_office_on_slack(plenary, fake_slack, slack):
    async def says(text: str) -> str:
        return await converse(fake_slack, slack, event(direct_message(text)))

    code = await invitation(plenary, Role.CHAIR)
    assert "Chair's office" in await says(f"/register {code}")
    shown = await says("/postpone ign70-1")
    assert "1 subscriber" not in shown and "will be told, and will read:" in shown
    confirm = re.search(r"\[Confirm\] (/confirm \S+)", shown).group(1)
    pressed = button_press(f"c:{confirm}")
    assert "POSTPONED" in await converse(fake_slack, slack, pressed, content_type=FORM)
    again = button_press(f"c:{confirm}")
    assert "Changed" not in await converse(fake_slack, slack, again, content_type=FORM)
    listed = await says("/meetings")
    held, apart = listed.split("Postponed or cancelled")
    assert "3 February" not in held and "3 February 2016" in apart
    log = await says("/audit")
    assert "(#1, chair, Slack U1): postpone meeting ign70-1" in log
    assert "status: scheduled → postponed" in log and "None" not in log
    history = await says("/history African Group veto")
    assert re.search(r"Version 1 · 30 October 2015 · .*General Assembly", history), history
