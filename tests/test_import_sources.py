"""Importing files as other programs write them: Plenary's own calendar (a round trip changes
nothing), Outlook's Windows zone names, Google's X-WR-TIMEZONE, Latin-1 and Windows-1252 text,
Excel's semicolons; wall times the clocks skip or repeat, oversized files and fields, every
fault listed; names understood as the chat understands them, a shared one refused."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.core.file_names import ChatNames
from bot.core.issue_names import understood_names
from bot.core.messages import Incoming
from bot.core.names import NameIndex
from bot.runtime.calendar_feed import calendar_of
from storage.database import create_engine, session_factory, upgrade
from storage.files.faults import ProgrammeFileError
from storage.files.formats import read_any
from storage.files.programme_toml import read_programme
from storage.importer import DEMO_FILE, import_programme
from storage.member_states import ensure_member_states
from storage.models import Meeting, PositionVersion
from tests.test_cli import plenary as cli
from tests.test_import_formats import BASE, ZONE, rows, utc, write
from tests.test_programme import operator_changes

NOW = datetime(2016, 1, 15, 17, tzinfo=UTC)
FEED = re.compile(r"http://\S+/calendar/(\S+)\.ics")


@pytest.fixture
async def sessions(empty_url):
    """A real programme's database (the demo's own, without its clock: it refuses imports)."""
    engine = create_engine(empty_url)
    await upgrade(engine)
    factory = session_factory(engine)
    programme = read_programme(DEMO_FILE)
    programme.demo_clock = None
    async with factory() as session:
        await ensure_member_states(session)  # as opening the database does
        await import_programme(session, programme, NOW)
        await session.commit()
    yield factory
    await engine.dispose()


async def names(sessions) -> ChatNames:
    async with sessions() as session:
        return ChatNames(NameIndex(await understood_names(session)))


async def load(sessions, path, commit: bool = True) -> list[str]:
    found = await names(sessions)
    async with sessions() as session:
        changes = await import_programme(session, read_any(path, ZONE, found), NOW)
        await (session.commit() if commit else session.rollback())
    return [str(change) for change in changes]


async def test_plenarys_own_feed_imported_back_changes_nothing(sessions, tmp_path):
    """A moved, a cancelled and a postponed meeting, one with an end, in French: the feed
    read back updates the same meetings, and none of them changes."""
    core = Core(sessions, FixedClock(NOW))
    for command in (
        "/editmeeting ign70-1 date 14 March 2016",
        "/editmeeting ign70-4 time 15:00",
        "/cancelmeeting ign70-3",
        "/postpone ign70-5",
        "/editmeeting ign70-2 notes Informal consultations; bring the framework document",
    ):
        await operator_changes(core, command)
    async with sessions() as session:
        meeting = await session.scalar(select(Meeting).where(Meeting.key == "ign70-1"))
        meeting.ends_at = utc("2016-03-14T17:30")
        await session.commit()
    for line in ("/language fr", "/subscribe", "/calendar"):
        answer = await core.answer(Incoming("console", "reader", line, chat_id="reader"))
    body, _changed = await calendar_of(core, FEED.search(answer.text).group(1))
    assert "SUMMARY:ANNULÉE : ".encode() in body, "the status in French"
    before = await rows(sessions)
    path = tmp_path / "plenary.ics"
    path.write_bytes(body)
    assert await load(sessions, path) == []
    assert await rows(sessions) == before
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 5


OUTLOOK = """\
BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E00800000000
DTSTAMP:20160101T000000Z
DTSTART;TZID="W. Europe Standard Time":20160314T100000
DTEND;TZID="W. Europe Standard Time":20160314T130000
SUMMARY:Consultations in Geneva
LOCATION:Salle de conférence XVII
CATEGORIES:Veto
END:VEVENT
END:VCALENDAR
"""


async def test_outlooks_windows_zone_keeps_the_venue_zone(sessions, tmp_path):
    await load(sessions, write(tmp_path, "outlook.ics", OUTLOOK))
    (found,) = [r for key, r in (await rows(sessions)).items() if key.startswith("040000")]
    assert found[1:4] == (utc("2016-03-14T09:00"), utc("2016-03-14T12:00"), "Europe/Berlin")
    assert found[5] == ["veto"], "a key issue written 'Veto', as the chat understands it"


GOOGLE = """\
BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
X-WR-CALNAME:IGN Geneva
X-WR-TIMEZONE:Europe/Zurich
BEGIN:VEVENT
UID:floating@google.com
DTSTAMP:20160101T000000Z
DTSTART:20160314T100000
DTEND:20160314T130000
SUMMARY:Floating
CATEGORIES:veto
END:VEVENT
BEGIN:VEVENT
UID:utc@google.com
DTSTAMP:20160101T000000Z
DTSTART:20160315T090000Z
SUMMARY:In UTC
CATEGORIES:veto
END:VEVENT
END:VCALENDAR
"""


async def test_google_x_wr_timezone_gives_floating_and_utc_times_their_zone(sessions, tmp_path):
    await load(sessions, write(tmp_path, "google.ics", GOOGLE))
    found = await rows(sessions)
    assert found["floating-google-com"][1:4] == (
        utc("2016-03-14T09:00"),
        utc("2016-03-14T12:00"),
        "Europe/Zurich",
    ), "10:00 in Zurich, not in New York"
    assert found["utc-google-com"][1] == utc("2016-03-15T09:00")
    assert found["utc-google-com"][3] == "Europe/Zurich"


EVENT = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Plenary tests//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20160101T000000Z
DTSTART;TZID=America/New_York:{start}
SUMMARY:{summary}
DESCRIPTION:{description}
CATEGORIES:veto
END:VEVENT
END:VCALENDAR
"""


def event(uid="m", start="20160314T100000", summary="Meeting", description="Notes") -> str:
    return EVENT.format(uid=uid, start=start, summary=summary, description=description)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("20160313T023000", "02:30 does not exist on 2016-03-13 in America/New_York"),
        ("20161106T013000", "01:30 happens twice on 2016-11-06 in America/New_York"),
    ],
)
def test_a_wall_time_the_clocks_skip_or_repeat_is_refused_as_in_csv(tmp_path, start, message):
    with pytest.raises(ProgrammeFileError, match=message):
        read_any(write(tmp_path, "p.ics", event(start=start)), ZONE)
    day, at = f"{start[:4]}-{start[4:6]}-{start[6:8]}", f"{start[9:11]}:{start[11:13]}"
    csv = f"key,date,time,key_issues\nm,{day},{at},veto\n"
    with pytest.raises(ProgrammeFileError, match=f"line 2, column time: {message}"):
        read_any(write(tmp_path, "p.csv", csv), ZONE)


def test_latin_1_and_windows_1252_are_read_and_named(tmp_path):
    path = tmp_path / "p.ics"
    path.write_bytes(
        event(summary="Réunion à Genève", description="Côte d'Ivoire").encode("latin-1")
    )
    programme = read_any(path, ZONE)
    assert programme.meetings[0].title == "Réunion à Genève"
    (warning,) = programme.warnings
    assert "not UTF-8: it was read as windows-1252" in warning
    excel = tmp_path / "excel.csv"
    excel.write_bytes(
        "key;date;time;room;key_issues;title\n"
        "m1;2016-03-14;10:00;Salle de conférence 4;veto;Réunion d’information — débat\n".encode(
            "cp1252"
        )
    )
    spreadsheet = read_any(excel, ZONE)
    assert spreadsheet.meetings[0].room == "Salle de conférence 4"
    assert spreadsheet.meetings[0].title == "Réunion d’information — débat"
    assert "windows-1252" in spreadsheet.warnings[0]


def test_oversized_files_and_fields_are_refused_with_their_size(tmp_path):
    with pytest.raises(ProgrammeFileError, match=r"the file has 5.0 MB; at most 2.1 MB is read"):
        read_any(write(tmp_path, "big.ics", event(description="x" * 5_000_000)), ZONE)
    with pytest.raises(ProgrammeFileError, match=r"DESCRIPTION: 50,000 characters; at most 10,000"):
        read_any(write(tmp_path, "long.ics", event(description="x" * 50_000)), ZONE)
    long_title = "key,date,title\nm,2016-03-14," + "t" * 400 + "\n"
    with pytest.raises(ProgrammeFileError, match=r"line 2, column title: 400 characters; at most"):
        read_any(write(tmp_path, "long.csv", long_title), ZONE)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BEGIN:VCALENDAR\nVERSION:2.0\nGARBAGE\nEND:VCALENDAR\n", "line 3: not an iCalendar line"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n", "no calendar from BEGIN:VCALENDAR to END"),
    ],
)
def test_file_level_faults_name_the_line_not_a_python_repr(tmp_path, text, message):
    with pytest.raises(ProgrammeFileError) as raised:
        read_any(write(tmp_path, "p.ics", text), ZONE)
    assert message in str(raised.value) and "b'" not in str(raised.value)


def test_a_zone_only_the_file_defines_is_used_and_named_in_a_warning(tmp_path):
    own = OUTLOOK.replace("W. Europe Standard Time", "Customized Time Zone")
    programme = read_any(write(tmp_path, "p.ics", own), ZONE)
    assert programme.meetings[0].start == utc("2016-03-14T09:00")
    assert "'Customized Time Zone' is not one Plenary knows" in programme.warnings[0]


SPREADSHEET = """\
key;date;time;room;key_issues;title
m1;2016-03-14;25:00;Room 1;Veto;One
m2;14/03/2016;10:00;Room 2;Droit de veto;Two
m3;2016-03-16;10:00;Room 3;zebras;Three
m4;2016-03-17;10:00;Room 4;вето;Four
"""


async def test_a_semicolon_spreadsheet_lists_every_fault_and_understands_names(sessions, tmp_path):
    path = write(tmp_path, "p.csv", SPREADSHEET)
    with pytest.raises(ProgrammeFileError) as raised:
        await load(sessions, path)
    first, second, third = raised.value.problems
    assert first == "line 2, column time: '25:00' is not a time HH:MM"
    assert second == "line 3, column date: '14/03/2016' is not a date YYYY-MM-DD"
    assert third.startswith("line 4, column key_issues: 'zebras' is not a key issue Plenary knows")
    fixed = SPREADSHEET.replace("25:00", "09:00").replace("14/03/2016", "2016-03-15")
    fixed = fixed.replace("zebras", "size")
    assert len(await load(sessions, write(tmp_path, "q.csv", fixed))) == 4
    found = await rows(sessions)
    assert [found[k][5] for k in ("m1", "m2", "m3", "m4")] == [
        ["veto"],
        ["veto"],
        ["size"],
        ["veto"],
    ]


INDIA = "Statement by the Permanent Representative of India, 9 March 2016"
POSITIONS = f"""\
holder,issue,text,date,source
Brasil,veto,Veto for new members.,2016-03-09,"{INDIA}; A/69/L.92"
"""


async def test_positions_name_states_as_the_chat_does_and_refuse_a_shared_name(sessions, tmp_path):
    assert await load(sessions, write(tmp_path, "p.csv", POSITIONS)) == ["add position brazil/veto"]
    async with sessions() as session:
        cited = await session.scalar(
            select(PositionVersion.sources).where(PositionVersion.text == "Veto for new members.")
        )
    assert cited == ["in_0309", "A/69/L.92"], "a document by its title, a symbol as written"
    shared = POSITIONS.replace("Brasil", "Congo")
    with pytest.raises(ProgrammeFileError) as raised:
        await load(sessions, write(tmp_path, "q.csv", shared))
    (problem,) = raised.value.problems
    assert problem.startswith("line 2, column holder: 'Congo' may be ")
    assert "(republic-of-the-congo)" in problem and "Democratic Republic of the Congo" in problem


def test_the_command_line_lists_every_fault(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'real.db'}"]
    assert cli("import", str(write(tmp_path, "base.toml", BASE)), *db, cwd=tmp_path).returncode == 0
    bad = write(tmp_path, "bad.csv", "key,date,time,key_issues\nm1,2016-03-14,25:00,veto\n"
                "m2,2016-13-01,10:00,vetoo\n")  # fmt: skip
    result = cli("import", str(bad), *db, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"plenary: {bad}: 3 problems; nothing was imported:",
        "  line 2, column time: '25:00' is not a time HH:MM",
        "  line 3, column date: '2016-13-01' is not a date YYYY-MM-DD",
        "  line 3, column key_issues: 'vetoo' is not a key issue Plenary knows "
        "(did you mean 'the question of the veto'?)",
    ]
