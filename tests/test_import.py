"""Importing programme files: all or nothing, idempotent, faults named by line and field."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from storage import meetings, meta
from storage.database import create_engine, session_factory, upgrade
from storage.files.faults import ProgrammeFileError
from storage.files.programme_toml import parse_programme, read_programme
from storage.importer import DEMO_FILE, import_programme
from storage.member_states import ensure_member_states
from storage.models import Delegation, Meeting, Membership, PositionVersion

NOW = datetime(2016, 1, 1, tzinfo=UTC)

SMALL = """
[programme]
key = "test"
name = "Test negotiations"
timezone = "America/New_York"

[[key_issues]]
key = "veto"
name = "the question of the veto"

[[meetings]]
key = "m1"
start = 2016-03-14T10:00:00-04:00
room = "Conference Room 4"
key_issues = ["veto"]

[[states]]
name = "Brazil"

[[groups]]
key = "g4"
name = "G4"
members = ["Brazil"]

[[positions]]
holder = "g4"
key_issue = "veto"
text = "First text."
stated_on = 2016-03-09
"""


@pytest.fixture
async def sessions(empty_url):
    engine = create_engine(empty_url)
    await upgrade(engine)
    yield session_factory(engine)
    await engine.dispose()


async def apply(sessions, source, commit=True):
    async with sessions() as session:
        changes = await import_programme(session, parse_programme(source), NOW)
        await (session.commit() if commit else session.rollback())
    return [str(change) for change in changes]


async def count(sessions, model):
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_import_twice_changes_nothing(sessions):
    first = await apply(sessions, SMALL)
    assert "add meeting m1: 2016-03-14 10:00 America/New_York (14:00 UTC), Conference Room 4" in (
        first
    )
    assert "add position g4/veto" in first
    assert await apply(sessions, SMALL) == []


async def test_demo_import_is_idempotent(sessions):
    demo = read_programme(DEMO_FILE)
    async with sessions() as session:
        assert len(await import_programme(session, demo, NOW)) > 50
        await session.commit()
    async with sessions() as session:
        assert await import_programme(session, demo, NOW) == []
    assert await count(sessions, Meeting) == 5


async def test_dry_run_stores_nothing(sessions):
    changes = await apply(sessions, SMALL, commit=False)
    assert any(change.startswith("add meeting m1: ") for change in changes)
    assert await count(sessions, Meeting) == 0


async def test_changed_meeting_and_new_position_version(sessions):
    await apply(sessions, SMALL)
    moved = SMALL.replace('room = "Conference Room 4"', 'room = "Trusteeship Council Chamber"')
    moved = moved.replace("First text.", "Second text.")
    changes = await apply(sessions, moved)
    assert "update meeting m1: room: 'Conference Room 4' → 'Trusteeship Council Chamber'" in changes
    assert "new version of position g4/veto" in changes
    async with sessions() as session:
        texts = list(
            await session.scalars(select(PositionVersion.text).order_by(PositionVersion.number))
        )
    assert texts == ["First text.", "Second text."]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            SMALL.replace('key = "m1"', 'key = "m1"\nrooom = "x"'),
            "line 11: meetings[1].rooom: unknown field",
        ),
        (
            SMALL.replace("start = 2016-03-14T10:00:00-04:00", "start = 2016-03-14T10:00:00"),
            "line 11: meetings[1].start: give the UTC offset",
        ),
        (
            SMALL.replace('key_issues = ["veto"]', 'key_issues = ["vetoo"]'),
            "meeting m1: unknown key issue 'vetoo'",
        ),
        (
            SMALL.replace('members = ["Brazil"]', 'members = ["Brasilia"]'),
            "member 'Brasilia' is not a State",
        ),
        (
            SMALL.replace('timezone = "America/New_York"', 'timezone = "Mars/Olympus"'),
            "programme.timezone: 'Mars/Olympus' is not an IANA time zone",
        ),
        (SMALL.replace("[[states]]", "[[statess]]"), "unknown section 'statess'"),
        (
            SMALL + '\n[[meetings]]\nkey = "m1"\ndate = 2016-03-15\nkey_issues = []\n',
            "line 31: meetings[2] appears twice ('m1')",
        ),
        (
            SMALL + '[[positions]]\nholder = "G4"\nkey_issue = "veto"\ntext = "Again."\n',
            "positions[2] appears twice (('g4', 'veto'))",
        ),
        (SMALL + '[[groups]]\nname = "Brazil"\n', "groups[2] appears twice ('brazil')"),
        (SMALL.replace('name = "Test negotiations"', 'name = "Test'), "not valid TOML"),
        (
            SMALL.replace("stated_on = 2016-03-09", 'stated_on = "last week"'),
            "positions[1].stated_on: expected a date",
        ),
    ],
)
async def test_malformed_file_is_named_and_imports_nothing(sessions, broken, message):
    with pytest.raises(ProgrammeFileError) as raised:
        await apply(sessions, broken)
    assert message in str(raised.value)
    assert await count(sessions, Meeting) == 0


async def test_members_who_left_a_group_are_removed(sessions):
    await apply(
        sessions,
        SMALL.replace(
            '[[states]]\nname = "Brazil"', '[[states]]\nname = "Brazil"\n[[states]]\nname = "India"'
        ).replace('members = ["Brazil"]', 'members = ["Brazil", "India"]'),
    )
    async with sessions() as session:
        before = await meta.revision(session)
    assert await apply(sessions, SMALL) == ["update membership g4: 1 members"]
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Membership)) == 1
        # Only a bulk DELETE changed: other processes learn it from the revision all the same.
        assert await meta.revision(session) == before + 1


async def test_a_postponed_meeting_is_not_the_next_one(sessions):
    later = SMALL + (
        '\n[[meetings]]\nkey = "m0"\nstart = 2016-03-10T10:00:00-05:00\n'
        'key_issues = ["veto"]\nstatus = "postponed"\n'
    )
    await apply(sessions, later)
    async with sessions() as session:
        assert (await meetings.next_meeting(session, NOW)).key == "m1"
        listed = [m.key for m in await meetings.upcoming(session, NOW)]
    assert listed == ["m0", "m1"]


async def test_a_real_programme_is_not_mixed_into_the_demo(sessions):
    async with sessions() as session:
        await import_programme(session, read_programme(DEMO_FILE), NOW)
        await session.commit()
    with pytest.raises(ProgrammeFileError, match="holds the demo programme"):
        await apply(sessions, SMALL)


async def test_a_state_the_file_names_otherwise_is_the_state_already_known(sessions):
    async with sessions() as session:
        await ensure_member_states(session)
        await session.commit()
    delegations = await count(sessions, Delegation)
    source = SMALL.replace(
        '[[states]]\nname = "Brazil"', '[[states]]\nname = "UK"\naliases = ["Royaume-Uni"]'
    ).replace('members = ["Brazil"]', 'members = ["Brazil", "Britain"]')
    changes = await apply(sessions, source)
    assert [c for c in changes if "delegation" in c] == [
        "update delegation united-kingdom-of-great-britain-and-northern-ireland: aliases: "
        "['United Kingdom', 'UK', 'Britain', 'Great Britain'] → "
        "['United Kingdom', 'UK', 'Britain', 'Great Britain', 'Royaume-Uni']",
        "add delegation g4",
    ]
    assert await count(sessions, Delegation) == delegations + 1
    async with sessions() as session:
        members = await session.scalars(
            select(Delegation)
            .join(Membership, Membership.member_id == Delegation.id)
            .order_by(Delegation.name)
        )
        brazil, uk = members
    assert (brazil.name, uk.name) == (
        "Brazil",
        "United Kingdom of Great Britain and Northern Ireland",
    )
    assert "UK" in uk.aliases
    assert await apply(sessions, source) == []
    observer = await apply(
        sessions, source.replace('name = "UK"\naliases = ["Royaume-Uni"]', 'name = "Vatican"')
    )
    assert [c for c in observer if "delegation" in c] == []  # still an observer State
