"""The demo programme in a database, as the tests and benchmarks start from it."""

from __future__ import annotations

from datetime import datetime

from bot.runtime.process import prepare
from storage.database import create_engine
from storage.importer import import_demo

DEMO_NOW = datetime.fromisoformat("2016-01-15T12:00:00-05:00")


async def migrated_demo(url: str) -> None:
    """Migrate the database at `url` and load the demo programme (also for benchmarks)."""
    engine = create_engine(url)
    try:
        async with (await prepare(engine))() as session:
            await import_demo(session, DEMO_NOW)
            await session.commit()
    finally:
        await engine.dispose()
