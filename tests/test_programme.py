"""Programme management by the Chair's office: add, edit, postpone, cancel; each change
re-plans reminders and notifies those already reminded."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.runtime.dispatcher import Dispatcher
from storage.meetings import by_key
from storage.models import AuditEntry, Meeting, MeetingStatus
from tests.recorder import Recorder
from tests.test_announcements import make_chair, make_focal_point, says
from tests.test_cli import plenary as cli
from tests.test_reminders import at

FIRST = "2016-02-03"  # the demo's meeting with a time: 3 February 2016, 10:00 New York


async def chair(plenary, text: str) -> str:
    return await says(plenary, "sylvie", text)


async def meeting(plenary, key: str) -> Meeting:
    async with plenary.sessions() as session:
        found = await by_key(session, key)
        await found.awaitable_attrs.key_issues
        return found


async def first_key(plenary) -> str:
    async with plenary.sessions() as session:
        return await session.scalar(
            select(Meeting.key).where(Meeting.starts_at.is_not(None)).order_by(Meeting.sort_at)
        )


async def test_the_chair_adds_a_meeting_that_everyone_then_sees(plenary):
    await make_chair(plenary)
    added = await chair(
        plenary, "/addmeeting 7 March 2016 3 p.m.; Conference Room 4; veto, size; Informal meeting"
    )
    assert "Added: Informal meeting" in added and "Reference: 2016-03-07" in added
    assert "Monday 7 March 2016, 15:00 New York time" in added
    stored = await meeting(plenary, "2016-03-07")
    assert stored.starts_at == datetime(2016, 3, 7, 20, 0, tzinfo=UTC)
    assert stored.room == "Conference Room 4"
    assert [i.key for i in stored.key_issues] == ["veto", "size"]
    shown = await says(plenary, "delegate", "/meeting 2016-03-07")
    assert "Conference Room 4" in shown and "the question of the veto" in shown
    again = await chair(plenary, "/addmeeting 7 March 2016; ; ; Second one")
    assert "Reference: 2016-03-07-2" in again and "time to be announced" in again


async def test_a_moved_meeting_notifies_those_reminded(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    key = await first_key(plenary)
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await make_chair(plenary)
    await says(plenary, "delegate", "/subscribe")
    await at(plenary, "2016-02-02T10:00:30-05:00")
    await dispatcher.run_until_idle()  # the 24-hour reminder
    changed = await chair(plenary, f"/editmeeting {key} time 3 p.m.")
    assert "Changed:" in changed and "starts at" in changed
    await chair(plenary, f"/editmeeting {key} room Conference Room 4")
    await dispatcher.run_until_idle()
    notices = recorder.texts()[1:]
    assert "Time: Wednesday 3 February 2016, 10:00 New York time → " in notices[0]
    assert "15:00 New York time" in notices[0]
    assert "Room: Trusteeship Council Chamber → Conference Room 4" in notices[1]
    assert "Nothing to change" in await chair(plenary, f"/editmeeting {key} room Conference Room 4")
    await at(plenary, "2016-02-03T14:00:30-05:00")  # one hour before the new time
    await dispatcher.run_until_idle()
    assert "Reminder: IGN meeting in 1 hour" in recorder.texts()[-1]


async def test_postponed_then_cancelled(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    key = await first_key(plenary)
    await make_chair(plenary)
    await says(plenary, "delegate", "/subscribe")
    assert "POSTPONED" in await chair(plenary, f"/postpone {key}")
    postponed = await meeting(plenary, key)
    assert postponed.status == MeetingStatus.POSTPONED and postponed.starts_at is None
    await at(plenary, "2016-02-03T09:00:30-05:00")
    assert await dispatcher.run_until_idle() == 0, "a postponed meeting has no reminders"
    assert "CANCELLED" in await chair(plenary, f"/cancelmeeting {key}")
    await dispatcher.run_until_idle()
    assert recorder.texts()[-1].startswith("Cancelled: IGN meeting")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/addmeeting", "Usage: /addmeeting"),
        ("/addmeeting next week; Room 1", "Give the date"),
        ("/addmeeting 30 February 2016", "There is no such day"),
        ("/addmeeting 7 March 2016; ; Atlantis", "I know no key issue"),
        ("/editmeeting nowhere room X", "I know no meeting with the reference"),
        ("/editmeeting ign70-1 colour blue", "Change what?"),
        ("/postpone", "Which meeting?"),
    ],
)
async def test_bad_programme_changes_change_nothing(plenary, text, expected):
    await make_chair(plenary)
    async with plenary.sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Meeting))
    assert expected in await chair(plenary, text)
    async with plenary.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == before


@pytest.mark.parametrize("text", ["/addmeeting 7 March 2016", "/postpone x", "/cancelmeeting x"])
async def test_only_the_chairs_office_manages_the_programme(plenary, text):
    await make_focal_point(plenary, "fp", "Brazil")
    for user in ("delegate", "fp"):
        assert "is not available to you" in await says(plenary, user, text)
    async with plenary.sessions() as session:
        refused = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.allowed.is_(False))
        )
    assert refused == 2


def test_the_command_line_manages_the_programme_and_reads_letters(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'programme.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path, stdin="").returncode == 0
    added = cli("meeting", "add", "7 March 2016 10:00; Conference Room 4; veto", *db, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "Monday 7 March 2016, 10:00 New York time" in added.stdout
    moved = cli("meeting", "edit", "2016-03-07", "room", "Conference Room 1", *db, cwd=tmp_path)
    assert moved.returncode == 0 and "Conference Room 4 → Conference Room 1" in moved.stdout
    again = cli("meeting", "edit", "2016-03-07", "room", "Conference Room 1", *db, cwd=tmp_path)
    assert again.returncode == 1 and "Nothing to change" in again.stdout
    assert cli("meeting", "cancel", "nowhere", *db, cwd=tmp_path).returncode == 1
    letter = tmp_path / "letter.md"
    letter.write_text(
        "New York, 1 March 2016\n\nThe next meeting of the IGN will be held on 21 March 2016 "
        "at 10 a.m. in the Trusteeship Council Chamber on regional representation."
    )
    read = cli("letter", str(letter), *db, cwd=tmp_path, stdin="n\n")
    assert "Proposed: 2016-03-21 10:00; Trusteeship Council Chamber; regional" in read.stdout
    assert "Added" not in read.stdout
    added = cli("letter", str(letter), "--yes", *db, cwd=tmp_path)
    assert "Added: IGN meeting" in added.stdout, added.stderr
    log = cli("audit", *db, cwd=tmp_path).stdout
    assert re.search(r"cli:\S+  add meeting 2016-03-07", log), log
    assert re.search(r"cli:\S+  add meeting 2016-03-21", log), log
    letter.write_text("Excellency, no date here.")
    undated = cli("letter", str(letter), *db, cwd=tmp_path)
    assert undated.returncode == 2 and "I found no meeting date" in undated.stderr
