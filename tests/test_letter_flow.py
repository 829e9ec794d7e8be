"""A Chair's letter in chat: the meetings it announces proposed, stored only on confirmation."""

from sqlalchemy import func, select

from bot.core.messages import Incoming
from storage.models import Announcement, Meeting
from tests.test_announcements import CHAIR, make_chair, says
from tests.test_cli import plenary as cli
from tests.test_letters import REFERENCE_LETTER
from tests.test_positions_writes import confirm_command, preview
from tests.test_roles import CODE

OWN_LETTER = """New York, 1 February 2016

Excellency,

I have the honour to inform you that the IGN will meet on Monday, 7 March 2016 at 3 p.m. in
Conference Room 4. The meeting will focus on the question of the veto.

Please accept the assurances of my highest consideration."""


async def meetings(plenary) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Meeting))


async def letter_reply(plenary, text: str):
    incoming = Incoming("console", CHAIR, f"/letter {text}", chat_id=CHAIR, direct_chat_id=CHAIR)
    return await plenary.core.answer(incoming)


async def test_the_reference_letter_proposes_the_3_february_meeting(plenary):
    await make_chair(plenary)
    before = await meetings(plenary)
    reply = await letter_reply(plenary, REFERENCE_LETTER)
    assert "This letter announces 1 meeting:" in reply.text
    assert "Wednesday 3 February 2016, 10:00 New York time" in reply.text
    assert "Room: Trusteeship Council Chamber" in reply.text
    assert "Focus: the relationship between the Council and the General Assembly" in reply.text
    assert "Already in the programme as ign70-1" in reply.text
    assert await meetings(plenary) == before


async def test_a_new_meeting_is_added_only_when_confirmed(plenary):
    await make_chair(plenary)
    before = await meetings(plenary)
    reply = await letter_reply(plenary, OWN_LETTER)
    assert "Monday 7 March 2016, 15:00 New York time" in reply.text
    assert await meetings(plenary) == before, "nothing is stored before a button is pressed"
    labels = {b.label: b.command for row in reply.buttons for b in row}
    add = labels["Add meeting 1"]
    assert add == "/addmeeting 2016-03-07 15:00; Conference Room 4; veto"
    shown = await preview(plenary, CHAIR, add)
    assert "Preview: new meeting" in shown.text
    assert await meetings(plenary) == before, "Add previews; Confirm adds"
    assert "Added:" in await says(plenary, CHAIR, confirm_command(shown.buttons))
    assert await meetings(plenary) == before + 1
    again = await letter_reply(plenary, OWN_LETTER)
    assert "Already in the programme as ign70-6." in again.text
    assert "Add meeting 1" not in {b.label for row in again.buttons for b in row}
    announced = await says(plenary, CHAIR, labels["Broadcast this letter"])
    assert "Preview of announcement #1" in announced and "Conference Room 4" in announced


async def test_a_letter_without_a_date_stores_nothing(plenary):
    await make_chair(plenary)
    before = await meetings(plenary)
    text = (await letter_reply(plenary, "Excellency, I hope to see you soon.")).text
    assert "I found no meeting date in this letter." in text and "Nothing was stored." in text
    assert await meetings(plenary) == before
    async with plenary.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Announcement)) == 0
    assert "is not available to you" in await says(plenary, "delegate", "/letter hello")


def test_a_letter_pasted_into_the_terminal_is_read_whole(tmp_path):
    """Issue 18, item 7: each line of a pasted letter was answered on its own; now `/letter`
    alone takes the lines up to one holding a single "."; "23 March" takes the letter's year."""
    db = ["--db", f"sqlite:///{tmp_path / 'letter.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path).returncode == 0
    code = CODE.search(cli("invite", "--role", "chair", *db, cwd=tmp_path).stdout).group()
    pasted = (
        f"/register {code}\n/letter\nNew York, 20 January 2016\n\nExcellency,\n\n"
        "The next meeting will be held on 23 March at 10 a.m. in the Trusteeship Council "
        "Chamber, on the question of the veto.\n.\n/next\n"
    )
    out = cli("chat", *db, cwd=tmp_path, stdin=pasted).stdout
    assert "This letter announces 1 meeting" in out
    assert "Wednesday 23 March 2016, 10:00 New York time" in out
    assert "> Excellency," not in out, "no line of the letter answered on its own"
    assert "> /next" in out, "the chat goes on after the paste"
