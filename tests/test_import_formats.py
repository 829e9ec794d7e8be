"""Importing meetings from CSV and iCalendar files: rows as the TOML import makes them,
idempotent, faults named by line and column or by event, and nothing stored on a fault."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.core.file_names import ChatNames
from bot.core.names import NameIndex
from storage.database import create_engine, session_factory, upgrade
from storage.directory import IssueName, Names
from storage.files.faults import ProgrammeFileError
from storage.files.formats import read_any
from storage.files.programme_toml import parse_programme
from storage.importer import import_programme
from storage.models import Delivery, DeliveryStatus, Meeting, MeetingStatus, PositionVersion
from testkit.bulk import add_people
from tests.test_cli import plenary

NOW = datetime(2016, 1, 1, tzinfo=UTC)
ZONE = "America/New_York"

BASE = """
[programme]
key = "test"
name = "Test negotiations"
timezone = "America/New_York"

[[key_issues]]
key = "veto"
name = "the question of the veto"
aliases = ["veto power"]

[[key_issues]]
key = "size"
name = "size of an enlarged Security Council"
"""

CSV = """\
Key,Date,Time,End,Timezone,Room,Key_Issues,Title,Status,Notes
m1,2016-03-14,10:00,13:00,,Conference Room 4,veto; size,"First meeting, morning",,"two
lines"
m2,2016-03-15,,,,,veto,,Postponed,
m3,2016-03-16,09:30,,Europe/Zurich,Palais des Nations,size,,,
"""

ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Plenary tests//EN
BEGIN:VEVENT
UID:First@Example.org
DTSTAMP:20160101T000000Z
DTSTART;TZID=America/New_York:20160314T100000
DTEND;TZID=America/New_York:20160314T130000
SUMMARY:First meeting
LOCATION:Conference Room 4
DESCRIPTION:Line one\\nline two
CATEGORIES:veto,size
STATUS:TENTATIVE
END:VEVENT
BEGIN:VEVENT
UID:day-only
DTSTAMP:20160101T000000Z
DTSTART;VALUE=DATE:20160315
DTEND;VALUE=DATE:20160316
SUMMARY:Time to be announced
CATEGORIES:veto
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTAMP:20160101T000000Z
DTSTART:20160316T140000Z
DURATION:PT2H
STATUS:CANCELLED
CATEGORIES:size
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
async def sessions(empty_url):
    """A database holding a real programme with two key issues, and no meeting."""
    engine = create_engine(empty_url)
    await upgrade(engine)
    factory = session_factory(engine)
    async with factory() as session:
        await import_programme(session, parse_programme(BASE), NOW)
        await session.commit()
    yield factory
    await engine.dispose()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def load(sessions, path: Path, commit: bool = True) -> list[str]:
    async with sessions() as session:
        changes = await import_programme(session, read_any(path, ZONE), NOW)
        await (session.commit() if commit else session.rollback())
    return [str(change) for change in changes]


async def rows(sessions) -> dict[str, tuple]:
    """Each meeting as (date, UTC start, UTC end, zone, room, key issues, status, title)."""
    async with sessions() as session:
        meetings = await session.scalars(select(Meeting))
        return {
            m.key: (
                m.local_date,
                m.starts_at,
                m.ends_at,
                m.timezone,
                m.room,
                [i.key for i in await m.awaitable_attrs.key_issues],
                m.status,
                m.title,
            )
            for m in meetings
        }


async def count(sessions, model, *where) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_csv_adds_meetings_once(sessions, tmp_path):
    path = write(tmp_path, "programme.csv", CSV)
    assert await load(sessions, path) == [
        "add meeting m1: 2016-03-14 10:00 America/New_York (14:00 UTC), Conference Room 4",
        "add meeting m2: 2016-03-15, time to be announced, room to be announced, postponed",
        "add meeting m3: 2016-03-16 09:30 Europe/Zurich (08:30 UTC), Palais des Nations",
    ]
    assert await rows(sessions) == {
        "m1": (
            date(2016, 3, 14),
            utc("2016-03-14T14:00"),
            utc("2016-03-14T17:00"),
            ZONE,
            "Conference Room 4",
            ["veto", "size"],
            MeetingStatus.SCHEDULED,
            "First meeting, morning",
        ),
        "m2": (date(2016, 3, 15), None, None, ZONE, None, ["veto"], MeetingStatus.POSTPONED, None),
        "m3": (
            date(2016, 3, 16),
            utc("2016-03-16T08:30"),
            None,
            "Europe/Zurich",
            "Palais des Nations",
            ["size"],
            MeetingStatus.SCHEDULED,
            None,
        ),
    }
    async with sessions() as session:
        assert (await session.scalar(select(Meeting.notes).where(Meeting.key == "m1"))) == (
            "two\nlines"
        )
    assert await load(sessions, path) == []


async def test_ics_adds_meetings_once(sessions, tmp_path):
    path = write(tmp_path, "programme.ics", ICS)
    assert await load(sessions, path) == [
        "add meeting first-example-org: 2016-03-14 10:00 America/New_York (14:00 UTC), "
        "Conference Room 4",
        "add meeting day-only: 2016-03-15, time to be announced, room to be announced",
        "add meeting cancelled: 2016-03-16 10:00 America/New_York (14:00 UTC), "
        "room to be announced, cancelled",
    ]
    assert await rows(sessions) == {
        "first-example-org": (
            date(2016, 3, 14),
            utc("2016-03-14T14:00"),
            utc("2016-03-14T17:00"),
            ZONE,
            "Conference Room 4",
            ["veto", "size"],
            MeetingStatus.SCHEDULED,
            "First meeting",
        ),
        "day-only": (
            date(2016, 3, 15),
            None,
            None,
            ZONE,
            None,
            ["veto"],
            MeetingStatus.SCHEDULED,
            "Time to be announced",
        ),
        "cancelled": (
            date(2016, 3, 16),
            utc("2016-03-16T14:00"),
            utc("2016-03-16T16:00"),
            ZONE,
            None,
            ["size"],
            MeetingStatus.CANCELLED,
            None,
        ),
    }
    assert await load(sessions, path) == []


async def test_a_moved_meeting_is_an_update_and_a_notice_to_those_reminded(sessions, tmp_path):
    async with sessions() as session:
        await add_people(session, 1, NOW, "console", subscribed=True)
        await session.commit()
    await load(sessions, write(tmp_path, "programme.csv", CSV))
    async with sessions() as session:  # as if the dispatcher had sent the reminders
        await session.execute(update(Delivery).values(status=DeliveryStatus.SENT))
        await session.commit()
    moved = write(tmp_path, "moved.csv", CSV.replace("10:00,13:00", "11:00,13:00"))
    (change,) = await load(sessions, moved)
    assert change.startswith(
        "update meeting m1: starts_at: 2016-03-14T14:00:00+00:00 → 2016-03-14T11:00:00-04:00;"
    )
    assert await count(sessions, Delivery, Delivery.kind == "change") == 1


async def test_an_unknown_key_issue_is_refused_and_nothing_stored(sessions, tmp_path):
    path = write(tmp_path, "programme.csv", CSV.replace("size,,,", "sise,,,"))
    with pytest.raises(ProgrammeFileError, match="meeting m3: unknown key issue 'sise'"):
        await load(sessions, path)
    assert await count(sessions, Meeting) == 0


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.csv", CSV.replace("10:00,13:00", "25:00,13:00"), "line 2, column time: '25:00' is not"),
        ("p.csv", CSV.replace("2016-03-15", "15/03/2016"), "line 4, column date: '15/03/2016'"),
        ("p.csv", CSV.replace("Postponed", "delayed"), "line 4, column status: must be"),
        ("p.csv", CSV.replace("Europe/Zurich", "Mars/Olympus"), "line 5, column timezone:"),
        ("p.csv", CSV.replace("10:00,13:00", "10:00,09:00"), "line 2, column end: needs a start"),
        ("p.csv", CSV.replace("m3,", "m1,"), "line 5, column key: 'm1' appears twice"),
        ("p.csv", CSV.replace("m2,", "M 2,"), "line 4, column key: 'M 2' is not a valid key"),
        ("p.csv", CSV.replace("Notes", "Remarks"), "line 1, column remarks: unknown column"),
        ("p.csv", CSV.replace("Key,", "Id,"), "line 1, column id: unknown column"),
        ("p.csv", CSV.replace("Postponed,", "Postponed"), "line 4: 9 fields where the header"),
        ("p.csv", CSV + "m4,2016-03-13,02:30,,,,veto,,,\n", "line 6, column time: 02:30 does"),
        ("p.ics", ICS.replace("DTSTART:2016", "DTSTART:2O16"), "event 'cancelled': DTSTART:"),
        (
            "p.ics",
            ICS.replace("TZID=America/New_York:20160314T1000", "TZID=Nowhere:20160314T1000"),
            "event 'First@Example.org' (First meeting): DTSTART: unknown time zone 'Nowhere'",
        ),
        (
            "p.ics",
            ICS.replace("DTEND;TZID=America/New_York:20160314T13", "DTEND;TZID=UTC:20160314T13"),
            "(First meeting): DTEND: needs a start, and must come after it",
        ),
        ("p.ics", ICS.replace("STATUS:CANCELLED", "STATUS:MOVED"), "STATUS: 'MOVED' is not"),
        ("p.ics", ICS.replace("DURATION:PT2H", "RRULE:FREQ=WEEKLY"), "RRULE: repeating events"),
        ("p.ics", ICS.replace("UID:cancelled", "UID:day-only"), "UID: 'day-only' appears twice"),
        (
            "p.ics",
            ICS.replace("DTEND;VALUE=DATE:20160316", "DTEND;VALUE=DATE:20160318"),
            "(Time to be announced): DTEND: a meeting lasts one day at most",
        ),
        ("p.ics", ICS.replace("END:VCALENDAR", ""), "not a valid iCalendar file"),
        ("p.xlsx", CSV, "unsupported file type .xlsx: use .toml, .csv or .ics"),
    ],
)
def test_a_fault_names_where_it_is(tmp_path, name, text, message):
    with pytest.raises(ProgrammeFileError) as raised:
        read_any(write(tmp_path, name, text), ZONE)
    assert message in str(raised.value)


NAMES = ChatNames(
    NameIndex(
        Names(
            issues=(
                IssueName(1, "veto", "the question of the veto", "", ("veto power",)),
                IssueName(2, "size", "size of an enlarged Security Council", "", ()),
            ),
            delegations=(),
            members={},
        )
    )
)


def test_categories_may_name_key_issues_as_people_do(tmp_path):
    path = write(tmp_path, "p.ics", ICS.replace("CATEGORIES:veto,size", "CATEGORIES:Veto Power"))
    assert read_any(path, ZONE, NAMES).meetings[0].key_issues == ("veto",)
    with pytest.raises(ProgrammeFileError, match="CATEGORIES: 'Zebras' is not a key issue"):
        read_any(write(tmp_path, "q.ics", ICS.replace("veto,size", "Zebras")), ZONE, NAMES)


def test_cli_dry_run_stores_nothing_and_times_default_to_the_programme_zone(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'real.db'}"]
    base = write(tmp_path, "base.toml", BASE.replace(ZONE, "Europe/Zurich"))
    assert plenary("import", str(base), *db, cwd=tmp_path).returncode == 0
    floating = ICS.replace("DTSTART;TZID=America/New_York:", "DTSTART:").replace(
        "DTEND;TZID=America/New_York:", "DTEND:"
    )
    path = write(
        tmp_path, "p.ics", floating.replace("CATEGORIES:veto,size", "CATEGORIES:Veto Power")
    )
    dry = plenary("import", str(path), "--dry-run", *db, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert (
        "add meeting first-example-org: 2016-03-14 10:00 Europe/Zurich (09:00 UTC), "
        "Conference Room 4\n" in dry.stdout
    ), "a dry run shows each meeting's time and room"
    assert "Dry run: 3 change(s) would be made; nothing was stored." in dry.stdout
    real = plenary("import", str(path), *db, cwd=tmp_path)
    assert "Imported" in real.stdout and "add meeting first-example-org: " in real.stdout
    chat = plenary("chat", *db, "--as-of", "2016-03-01T12:00Z", cwd=tmp_path, stdin="/next\n")
    assert "Monday 14 March 2016, 10:00 Zurich time" in chat.stdout
    again = plenary("import", str(path), *db, cwd=tmp_path)
    assert "Nothing to change" in again.stdout


def test_cli_refuses_a_faulty_csv_and_an_unknown_file_type(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'real.db'}"]
    bad = write(tmp_path, "p.csv", CSV.replace("10:00,13:00", "25:00,13:00"))
    base = write(tmp_path, "base.toml", BASE)
    assert plenary("import", str(base), *db, cwd=tmp_path).returncode == 0
    result = plenary("import", str(bad), *db, cwd=tmp_path)
    assert result.returncode == 2
    assert "p.csv: line 2, column time: '25:00' is not a time HH:MM; nothing was imported" in (
        result.stderr
    )
    other = plenary("import", str(write(tmp_path, "p.xml", "")), *db, cwd=tmp_path)
    assert other.returncode == 2 and "unsupported file type .xml" in other.stderr


POSITIONS_CSV = """\
Holder,Issue,Text,Date,Source
Brazil,veto,"New permanent members with the veto, its use deferred.",2016-03-09,A/69/L.92
brazil,size,Twenty-five or twenty-six members.,,
"""


async def test_a_positions_csv_adds_versions_in_one_transaction(sessions, tmp_path):
    async with sessions() as session:
        await import_programme(
            session, parse_programme(BASE + '[[states]]\nname = "Brazil"\n'), NOW
        )
        await session.commit()
    path = write(tmp_path, "positions.csv", POSITIONS_CSV)
    assert await load(sessions, path) == ["add position brazil/veto", "add position brazil/size"]
    assert await load(sessions, path) == []
    changed = write(tmp_path, "changed.csv", POSITIONS_CSV.replace("Twenty-five", "Twenty-seven"))
    assert await load(sessions, changed) == ["new version of position brazil/size"]
    async with sessions() as session:
        cited = await session.scalar(
            select(PositionVersion.sources).where(PositionVersion.stated_on == date(2016, 3, 9))
        )
    assert cited == ["A/69/L.92"]
    wrong = write(tmp_path, "wrong.csv", POSITIONS_CSV + "Atlantis,veto,Hello,,\n")
    with pytest.raises(ProgrammeFileError, match="no delegation or group 'Atlantis'"):
        await load(sessions, wrong)
    assert await count(sessions, PositionVersion) == 3, "a fault stores nothing"
    empty = write(tmp_path, "empty.csv", "holder,issue,text\nBrazil,veto,\n")
    with pytest.raises(ProgrammeFileError, match="line 2, column text: is empty"):
        read_any(empty, ZONE)
