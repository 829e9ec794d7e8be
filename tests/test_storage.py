"""Storage: the migrations build exactly the models' schema; instants come back in UTC."""

from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage import meetings, meta
from storage.database import create_engine, described_by_models, upgrade
from storage.models import Base


async def test_migrations_build_the_models_schema(empty_url):
    engine = create_engine(empty_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_name": described_by_models}),
                    Base.metadata,
                )
            )
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert differences == []
        assert {
            "meetings",
            "key_issues",
            "delegations",
            "positions",
            "position_versions",
            "persons",
            "accounts",
            "subscriptions",
            "documents",
        } <= set(tables)
        await upgrade(engine)  # a second upgrade is a no-op
    finally:
        await engine.dispose()


async def test_demo_meetings_are_stored_in_utc_with_dates(session):
    first = await meetings.by_key(session, "ign70-1")
    tba = await meetings.by_key(session, "ign70-2")
    assert first.starts_at == datetime(2016, 2, 3, 15, 0, tzinfo=UTC)
    assert first.room == "Trusteeship Council Chamber"
    assert (tba.starts_at, tba.room, tba.local_date) == (None, None, date(2016, 2, 22))


async def test_upcoming_skips_started_meetings_but_keeps_todays_tba(session):
    after_first = datetime(2016, 2, 3, 15, 1, tzinfo=UTC)
    assert (await meetings.next_meeting(session, after_first)).key == "ign70-2"
    # 22 February, 23:00 in New York: the date-only meeting of that day still counts.
    late = datetime(2016, 2, 23, 4, 0, tzinfo=UTC)
    assert (await meetings.next_meeting(session, late)).key == "ign70-2"
    next_day = datetime(2016, 2, 23, 5, 0, tzinfo=UTC)
    assert (await meetings.next_meeting(session, next_day)).key == "ign70-3"
    assert len(await meetings.upcoming(session, next_day)) == 3


async def test_every_programme_change_bumps_the_revision(session):
    before = await meta.revision(session)
    meeting = await meetings.by_key(session, "ign70-2")
    meeting.room = "Conference Room 4"
    await session.commit()
    assert await meta.revision(session) == before + 1
    meeting.notes = "Bring the text."
    meeting.room = "Conference Room 1"
    await session.commit()
    assert await meta.revision(session) == before + 2
