"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = Path(__file__).with_name("migrations")
EMBEDDED_URL = "sqlite+aiosqlite:///plenary.db"

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


def async_url(url: str) -> str:
    """Accept plain `sqlite:///` and `postgresql://` URLs and name the async driver; raise
    ValueError for anything else."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError("not a database URL (e.g. sqlite:///plenary.db)") from None
    parsed = parsed.set(drivername=_DRIVERS.get(parsed.drivername, parsed.drivername))
    if parsed.drivername not in _DRIVERS.values():
        raise ValueError("use sqlite:///FILE or postgresql://USER@HOST/DATABASE")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys and a WAL journal."""
    url = async_url(url)
    if url.startswith("sqlite"):
        # Connections kept for every task that may hold one at once (updates handled at once
        # on each platform, the dispatcher, new accounts): past the pool's size each one
        # returned is closed, and each one opened costs a thread and a reading of the schema.
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, pool_size=16, max_overflow=16
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def described_by_models(name: str | None, _type: str, _parents: object) -> bool:
    """Whether a schema object is one the models describe (Alembic's `include_name`): not the
    full-text search objects, `position_search*` (migration 0010), which are raw SQL."""
    return not (name or "").startswith("position_search")


MIGRATION_LOCK = 7_001_001  # PostgreSQL advisory lock: one process migrates at a time


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default). Safe to run from several
    processes at once: on PostgreSQL they take turns; SQLite locks the file."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def is_current(engine: AsyncEngine) -> bool:
    """Whether the schema is at the newest migration: `upgrade` would change nothing."""
    async with engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    return current == ScriptDirectory.from_config(alembic_config()).get_current_head()
