"""Putting a process together: the database (migrated, demo loaded if asked), clock, core."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Config, parse_duration
from bot.core.answering import Core
from bot.core.clock import Clock
from storage import meta, reminders
from storage.database import create_engine, session_factory, upgrade
from storage.importer import import_demo
from storage.member_states import ensure_member_states
from storage.models import KeyIssue, Meeting

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    core: Core
    notices: list[str]

    async def close(self) -> None:
        await self.engine.dispose()


async def prepare(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database brought to the newest schema and holding every UN State."""
    await upgrade(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        await ensure_member_states(session)
        await session.commit()
    return sessions


@contextlib.asynccontextmanager
async def migrated(config: Config) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the configured database, prepared first (see `prepare`)."""
    engine = create_engine(config.database.url)
    try:
        yield await prepare(engine)
    finally:
        await engine.dispose()


async def is_empty(session: AsyncSession) -> bool:
    for model in (KeyIssue, Meeting):
        if await session.scalar(select(func.count()).select_from(model)):
            return False
    return True


async def load_demo_if_empty(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> str | None:
    """Load the demo into an empty database; a database holding a programme is left alone."""
    async with sessions() as session:
        if not await is_empty(session):
            if await meta.demo_clock_start(session) is None:
                return "The database already holds a programme: the demo was not loaded."
            return None
        await import_demo(session, clock.now())
        await session.commit()
    return None


async def start_runtime(
    config: Config, demo: bool = False, as_of: datetime | None = None
) -> Runtime:
    """Migrate the database, load the demo where wanted, and set the clock.

    The embedded default database gets the demo on first start; any other gets it only with
    `demo=True`. On demo data the clock starts where the demo says, unless `as_of` is given.
    """
    engine = create_engine(config.database.url)
    sessions = await prepare(engine)
    notices = []
    if demo or config.embedded:
        notice = await load_demo_if_empty(sessions, Clock())
        if notice and demo:
            notices.append(notice)
    async with sessions() as session:
        leads = [int(parse_duration(t).total_seconds() // 60) for t in config.reminders.lead_times]
        await reminders.set_default_leads(session, leads)
        if as_of is None:
            as_of = await meta.demo_clock_start(session)
        await session.commit()
    clock = Clock(as_of)
    core = Core(
        sessions,
        clock,
        public_url=config.http.base_url,
        meeting_length=config.calendar.meeting_length,
    )
    return Runtime(engine, sessions, clock, core, notices)
