"""Programme management by the Chair's office: add, edit, postpone, cancel, each previewed with
the notice its subscribers will read and how many will read it, made on Confirm; nothing added
twice; times that the venue's clocks skip or show twice asked about."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.runtime.dispatcher import Dispatcher
from storage.meetings import by_key
from storage.models import AuditEntry, Meeting, MeetingStatus
from testkit.fakes.telegram_api import button_press, private_message
from tests.recorder import Recorder
from tests.test_announcements import make_chair, make_focal_point, says
from tests.test_cli import plenary as cli
from tests.test_positions_writes import confirm_command, preview
from tests.test_reminders import at
from tests.test_telegram import CHAIR_CHAT, chair_on_telegram
from tests.test_telegram import converse as tg_converse

FIRST = "ign70-1"  # the demo's first meeting: 3 February 2016, 10:00 New York
ADD = "/addmeeting 7 March 2016 3 p.m.; Conference Room 4; veto, size; Informal meeting"


async def chair(plenary, text: str) -> str:
    return await says(plenary, "sylvie", text)


async def confirmed(plenary, text: str) -> tuple[str, str]:
    """The Chair's office's preview of a change, and the answer to pressing its Confirm."""
    shown = await preview(plenary, "sylvie", text)
    return shown.text, await chair(plenary, confirm_command(shown.buttons))


async def change(plenary, text: str) -> str:
    """A change to the programme as the Chair's office makes it: previewed, then confirmed."""
    return (await confirmed(plenary, text))[1]


async def operator_changes(core, text: str) -> str:
    """The same at the command line (as the operator)."""
    shown = await core.answer_as_operator(text)
    return (await core.answer_as_operator(confirm_command(shown.buttons))).text


async def meeting(plenary, key: str) -> Meeting:
    async with plenary.sessions() as session:
        found = await by_key(session, key)
        await found.awaitable_attrs.key_issues
        return found


async def meetings(plenary) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Meeting))


async def test_a_meeting_is_previewed_then_added_once(plenary):
    await make_chair(plenary)
    before = await meetings(plenary)
    shown = await preview(plenary, "sylvie", ADD)
    assert "Preview: new meeting ign70-6" in shown.text
    assert "New meeting: Informal meeting" in shown.text
    assert "Nothing changes before you confirm" in shown.text
    assert await meetings(plenary) == before, "a preview stores nothing"
    confirm = confirm_command(shown.buttons)
    added = await chair(plenary, confirm)
    assert "Added: Informal meeting" in added and "Reference: ign70-6" in added
    assert "Monday 7 March 2016, 15:00 New York time" in added
    stored = await meeting(plenary, "ign70-6")
    assert stored.starts_at == datetime(2016, 3, 7, 20, 0, tzinfo=UTC)
    assert stored.room == "Conference Room 4"
    assert [i.key for i in stored.key_issues] == ["veto", "size"]
    shown_to_all = await says(plenary, "delegate", "/meeting ign70-6")
    assert "Conference Room 4" in shown_to_all and "the question of the veto" in shown_to_all
    # Confirm pressed twice, the same command sent again: still one meeting.
    assert "Added" not in await chair(plenary, confirm)
    assert "Already in the programme as ign70-6" in await chair(plenary, ADD)
    assert await meetings(plenary) == before + 1
    # Another room at the same time is asked about, not refused.
    other = await chair(plenary, ADD.replace("Conference Room 4", "Conference Room 1"))
    assert "Already in the programme at that time: ign70-6" in other


async def test_subscribers_of_a_new_meetings_issues_are_told(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await make_chair(plenary)
    await says(plenary, "delegate", "/subscribe")
    await says(plenary, "veto_reader", "/subscribe veto")
    await says(plenary, "region_reader", "/subscribe regional")
    await dispatcher.run_until_idle()
    shown, added = await confirmed(plenary, ADD)
    assert "2 subscribers will be told, and will read:" in shown
    assert "2 subscribers are told." in added
    await dispatcher.run_until_idle()
    for reader in ("delegate", "veto_reader"):
        (notice,) = recorder.texts(reader)
        assert notice.startswith("New meeting: Informal meeting"), notice
        assert "Monday 7 March 2016, 15:00 New York time" in notice
    assert recorder.texts("region_reader") == []


async def test_a_change_before_any_reminder_tells_every_subscriber(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await make_chair(plenary)
    await says(plenary, "delegate", "/subscribe")
    shown, changed = await confirmed(plenary, f"/editmeeting {FIRST} time 3 p.m.")
    assert "Preview: change to IGN meeting of Wednesday 3 February 2016" in shown
    assert "1 subscriber will be told" in shown
    assert "Time: Wednesday 3 February 2016, 10:00 New York time → " in changed
    assert "T15:00" not in changed and "+00:00" not in changed, "times as people write them"
    await dispatcher.run_until_idle()
    (notice,) = recorder.texts()
    assert notice.startswith("Changed: IGN meeting of Wednesday 3 February 2016")
    assert "15:00 New York time" in notice


async def test_a_moved_meeting_notifies_those_reminded(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await make_chair(plenary)
    await says(plenary, "delegate", "/subscribe")
    await at(plenary, "2016-02-02T10:00:30-05:00")
    await dispatcher.run_until_idle()  # the 24-hour reminder
    await confirmed(plenary, f"/editmeeting {FIRST} time 3 p.m.")
    await confirmed(plenary, f"/editmeeting {FIRST} room Conference Room 4")
    await dispatcher.run_until_idle()
    notices = recorder.texts()[1:]
    assert "Time: Wednesday 3 February 2016, 10:00 New York time → " in notices[0]
    assert "15:00 New York time" in notices[0]
    assert "Room: Trusteeship Council Chamber → Conference Room 4" in notices[1]
    assert "Nothing to change" in await chair(
        plenary, f"/editmeeting {FIRST} room Conference Room 4"
    )
    await at(plenary, "2016-02-03T14:00:30-05:00")  # one hour before the new time
    await dispatcher.run_until_idle()
    assert "Reminder: IGN meeting in 1 hour" in recorder.texts()[-1]


async def test_postponed_then_cancelled(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await make_chair(plenary)
    await says(plenary, "delegate", "/subscribe")
    await dispatcher.run_until_idle()
    assert "POSTPONED" in (await confirmed(plenary, f"/postpone {FIRST}"))[1]
    postponed = await meeting(plenary, FIRST)
    assert postponed.status == MeetingStatus.POSTPONED and postponed.starts_at is None
    listed = await says(plenary, "delegate", "/meetings")
    held, apart = listed.split("Postponed or cancelled")
    assert "3 February" not in held and "Wednesday 3 February 2016" in apart, listed
    await at(plenary, "2016-02-03T09:00:30-05:00")
    await dispatcher.run_until_idle()
    assert "Status: scheduled → postponed" in recorder.texts()[-1]
    assert not any(t.startswith("Reminder") for t in recorder.texts()), "no reminder of it"
    shown, cancelled = await confirmed(plenary, f"/cancelmeeting {FIRST}")
    assert "Cancelled: IGN meeting" in shown and "CANCELLED" in cancelled
    await dispatcher.run_until_idle()
    assert recorder.texts()[-1].startswith("Cancelled: IGN meeting")


async def test_a_time_the_clocks_show_twice_is_said_with_its_offset(plenary):
    await make_chair(plenary)
    asked = await chair(plenary, "/addmeeting 6 November 2016 1:30")
    assert "01:30 happens twice on Sunday 6 November 2016" in asked
    assert "UTC-4" in asked
    _shown, added = await confirmed(plenary, "/addmeeting 6 November 2016 1:30 UTC-5")
    assert "Added" in added
    (key,) = re.findall(r"Reference: (\S+)", added)
    assert (await meeting(plenary, key)).starts_at == datetime(2016, 11, 6, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/addmeeting", "Usage: /addmeeting"),
        ("/addmeeting next week; Room 1", "Give the date"),
        ("/addmeeting 30 February 2016", "There is no such day"),
        ("/addmeeting 7 March 2016 25:00", "“25:00” is not a time of day"),
        ("/addmeeting 13 March 2016 2:30", "02:30 does not exist on Sunday 13 March 2016"),
        ("/addmeeting 6 November 2016 1:30", "01:30 happens twice"),
        ("/addmeeting 7 March 2016; ; Atlantis", "I know no key issue"),
        ("/editmeeting nowhere room X", "I know no meeting with the reference"),
        ("/editmeeting ign70-1 colour blue", "Change what?"),
        ("/editmeeting ign70-1 time 13 p.m.", "is not a time of day"),
        ("/postpone", "Which meeting?"),
    ],
)
async def test_bad_programme_changes_change_nothing(plenary, text, expected):
    await make_chair(plenary)
    before = await meetings(plenary)
    answer = await preview(plenary, "sylvie", text)
    assert expected in answer.text
    assert not answer.buttons, "nothing to confirm"
    assert await meetings(plenary) == before


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


def test_a_fresh_programme_at_the_command_line(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'fresh.db'}"]
    added = cli(
        "meeting", "add", "7 March 2027 10:00; Conference Room 4", "--yes", *db, cwd=tmp_path
    )
    assert added.returncode == 1 and "no venue time zone yet" in added.stdout
    csv = tmp_path / "programme.csv"
    csv.write_text("date,time,room\n2027-03-07,10:00,Conference Room 4\n")
    guessed = cli("import", str(csv), *db, cwd=tmp_path)
    assert guessed.returncode == 2 and "no venue time zone yet" in guessed.stderr
    wrong = cli("programme", "init", "--timezone", "New York", *db, cwd=tmp_path)
    assert wrong.returncode == 2 and "not a time zone" in wrong.stderr
    init = ["programme", "init", "--timezone", "America/New_York", "--key", "ign81"]
    made = cli(*init, "--ign-key-issues", *db, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "timezone: (none) → America/New_York" in made.stdout
    assert "add key issue veto" in made.stdout
    assert cli(*init, *db, cwd=tmp_path).returncode == 1, "nothing to change the second time"
    meeting = "7 March 2027 10:00; Conference Room 4; veto"
    asked = cli("meeting", "add", meeting, *db, cwd=tmp_path, stdin="n\n")
    assert "Preview: new meeting ign81-1" in asked.stdout and "/confirm" not in asked.stdout
    assert asked.returncode == 1 and "Nothing was changed." in asked.stdout
    added = cli("meeting", "add", meeting, *db, cwd=tmp_path, stdin="y\n")
    assert added.returncode == 0 and "Reference: ign81-1" in added.stdout, added.stdout
    again = cli("meeting", "add", meeting, "--yes", *db, cwd=tmp_path)
    assert again.returncode == 1 and "Already in the programme as ign81-1." in again.stdout
    listed = cli("meetings", *db, cwd=tmp_path).stdout
    assert re.search(r"ign81-1\s+2027-03-07 10:00\s+Conference Room 4", listed), listed


def test_the_command_line_manages_the_programme_and_reads_letters(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'programme.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path, stdin="").returncode == 0
    added = cli(
        "meeting", "add", "7 March 2016 10:00; Conference Room 4; veto", "--yes", *db, cwd=tmp_path
    )
    assert added.returncode == 0, added.stderr
    assert "Monday 7 March 2016, 10:00 New York time" in added.stdout
    (key,) = re.findall(r"Reference: (\S+)", added.stdout)
    moved = cli("meeting", "edit", key, "room", "Conference Room 1", "--yes", *db, cwd=tmp_path)
    assert moved.returncode == 0 and "Conference Room 4 → Conference Room 1" in moved.stdout
    again = cli("meeting", "edit", key, "room", "Conference Room 1", "--yes", *db, cwd=tmp_path)
    assert again.returncode == 1 and "Nothing to change" in again.stdout
    missing = cli("meeting", "cancel", "nowhere", *db, cwd=tmp_path)
    assert missing.returncode == 1 and "(see plenary meetings)" in missing.stdout
    letter = tmp_path / "letter.md"
    letter.write_text(
        "New York, 20 January 2016\n\nThe next meeting of the IGN will be held on 3 February "
        "2016 at 10 a.m. in the Trusteeship Council Chamber.\n\nA further meeting will be held "
        "on 21 March 2016 at 10 a.m. in the Trusteeship Council Chamber on regional "
        "representation."
    )
    read = cli("letter", str(letter), *db, cwd=tmp_path, stdin="n\n")
    assert "Proposed: 2016-03-21 10:00; Trusteeship Council Chamber; regional" in read.stdout
    assert "Already in the programme as ign70-1." in read.stdout
    assert "Added" not in read.stdout
    added = cli("letter", str(letter), "--yes", *db, cwd=tmp_path)
    assert added.stdout.count("Added: IGN meeting") == 1, added.stdout
    log = cli("audit", *db, cwd=tmp_path).stdout
    assert re.search(
        rf"operator \S+ at the command line: add meeting {key}  \(date: 2016-03-07", log
    )
    assert "room: Conference Room 4 → Conference Room 1" in log
    letter.write_text("Excellency, no date here.")
    undated = cli("letter", str(letter), *db, cwd=tmp_path)
    assert undated.returncode == 2 and "I found no meeting date" in undated.stderr


async def test_on_telegram_a_meeting_is_previewed_confirmed_once_and_told(
    plenary, fake_telegram, telegram
):
    """Issue 18, items 3-4, on a platform: the Confirm button acts once; a Telegram subscriber
    reads the new meeting's notice."""
    await chair_on_telegram(plenary, fake_telegram)
    assert "Your reminders" in await tg_converse(
        fake_telegram, private_message("/subscribe", 502), 502
    )
    shown = await tg_converse(fake_telegram, private_message(ADD, CHAIR_CHAT), CHAIR_CHAT)
    assert "1 subscriber will be told, and will read:" in shown
    confirm = re.search(r"\[Confirm\] (/confirm \S+)", shown).group(1)
    pressed = button_press(f"c:{confirm}", CHAIR_CHAT)
    assert "Added: Informal meeting" in await tg_converse(fake_telegram, pressed, CHAIR_CHAT)
    twice = button_press(f"c:{confirm}", CHAIR_CHAT)
    assert "Added" not in await tg_converse(fake_telegram, twice, CHAIR_CHAT)
    await Dispatcher(plenary.core, {"telegram": telegram}).run_until_idle()
    (notice,) = [c.params["text"] for c in fake_telegram.sent(chat_id=502)][-1:]
    assert "New meeting: Informal meeting" in notice and "Conference Room 4" in notice
    assert await meetings(plenary) == 6
