"""A list of speakers sent as a file (.txt, .md, .docx, .pdf) with `/speakers MEETING paste`:
from the terminal (`< PATH`), as a Telegram document's caption and as a Slack file share; the
same preview and Confirm as a pasted list, the file's title and notes left out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.files.speaker_lines import read_file_text
from storage.models import Role, Speaker
from testkit import documents
from testkit.fakes import slack_api, telegram_api
from tests.slack_chat import converse as slack_converse
from tests.test_announcements import CHAIR, make_chair
from tests.test_roles import invitation
from tests.test_speakers_platforms import CHAIR_CHAT, CHAIR_SLACK, desk_on
from tests.test_telegram import converse as telegram_converse

SQLITE_ONLY = True  # transport tests; the storage tests cover PostgreSQL

MEETING = "ign70-1"
CIRCULATED = [
    "List of speakers",
    "IGN meeting, 3 February 2016 (as of 2 February, 18:00)",
    "1. Sierra Leone (on behalf of the African Group)",
    "2. Italy (on behalf of Uniting for Consensus) 5 min",
    "3. Brazil",
    "4. India",
    "Late additions are marked.",
    "5. Japan (late)",
]
SHOWN = [
    "1. Sierra Leone (on behalf of African Group",
    "2. Italy (on behalf of Uniting for Consensus (UfC)) · 5 min · new",
    "3. Brazil · 3 min · new",
    "5. Japan · 3 min · late addition · new",
]
FILES = {
    "list.txt": "\n".join(CIRCULATED).encode(),
    "list.md": ("# " + "\n\n".join(CIRCULATED)).encode(),
    "list.docx": documents.word(["\n\n".join(CIRCULATED)]),  # a paragraph a line
    "list.pdf": documents.pdf(["\n".join(CIRCULATED)]),
}


async def turns(plenary) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Speaker))


def test_a_files_title_and_notes_are_left_out_when_its_items_are_numbered():
    names = [line.name for line in read_file_text("\n".join(CIRCULATED))]
    assert names == ["Sierra Leone", "Italy", "Brazil", "India", "Japan"]
    assert [line.name for line in read_file_text("Brazil\nIndia")] == ["Brazil", "India"]


@pytest.mark.parametrize("name", sorted(FILES))
async def test_the_terminal_sends_a_file_after_a_less_than_sign(plenary, tmp_path, name):
    await make_chair(plenary)
    path = tmp_path / name
    path.write_bytes(FILES[name])
    (preview,) = await plenary.say(f"/speakers {MEETING} paste < {path}", user=CHAIR)
    for fragment in SHOWN:
        assert fragment in preview, preview
    assert "Line" not in preview and "Nothing changes before you confirm" in preview
    assert await turns(plenary) == 0


async def test_a_file_the_terminal_cannot_read_or_find_changes_nothing(plenary, tmp_path):
    await make_chair(plenary)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(documents.scanned_pdf())
    missing = tmp_path / "nowhere.txt"
    refused, unknown = await plenary.say(
        f"/speakers {MEETING} paste < {scan}", f"/speakers {MEETING} paste < {missing}", user=CHAIR
    )
    assert "That file has no text I can read" in refused and "Nothing was stored" in refused
    assert "Some lines need a clearer name. Nothing was changed." in unknown
    assert await turns(plenary) == 0


async def test_a_telegram_document_captioned_paste_is_previewed_then_confirmed(
    plenary, fake_telegram, telegram
):
    desk = desk_on("telegram", fake_telegram, None, None)
    assert "Chair's office" in await desk.says(f"/register {await invitation(plenary, Role.CHAIR)}")
    update = telegram_api.document_message(
        fake_telegram,
        "list.docx",
        FILES["list.docx"],
        caption=f"/speakers {MEETING} paste",
        user_id=CHAIR_CHAT,
    )
    preview = await telegram_converse(fake_telegram, update, CHAIR_CHAT)
    for fragment in SHOWN:
        assert fragment in preview, preview
    assert "5 turns to come" in await desk.press(preview, "Confirm")
    assert await turns(plenary) == 5
    delegate = telegram_api.document_message(
        fake_telegram, "list.docx", FILES["list.docx"], caption=f"/speakers {MEETING} paste"
    )
    assert "Only the Chair's office" in await telegram_converse(fake_telegram, delegate)


async def test_a_slack_file_shared_with_paste_is_previewed_then_confirmed(
    plenary, fake_slack, slack
):
    desk = desk_on("slack", None, fake_slack, slack)
    assert "Chair's office" in await desk.says(f"/register {await invitation(plenary, Role.CHAIR)}")
    shared = slack_api.direct_message(
        f"/speakers {MEETING} paste",
        CHAIR_SLACK,
        subtype="file_share",
        files=[fake_slack.share("list.pdf", FILES["list.pdf"])],
    )
    preview = await slack_converse(fake_slack, slack, slack_api.event(shared), f"D{CHAIR_SLACK}")
    for fragment in SHOWN:
        assert fragment in preview, preview
    assert "5 turns to come" in await desk.press(preview, "Confirm")
    assert await turns(plenary) == 5
