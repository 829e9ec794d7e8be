"""Insert-if-absent, on SQLite and PostgreSQL alike: the basis of doing things only once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate


async def insert_if_absent(session: AsyncSession, model: type, values: dict[str, Any]) -> bool:
    """Insert a row unless its key exists; True when this call inserted it."""
    dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing()
    result = await session.execute(statement)
    return result.rowcount == 1


async def first_delivery(session: AsyncSession, platform: str, key: str, now: datetime) -> bool:
    """True the first time an update (or event) key is seen on a platform."""
    return await insert_if_absent(
        session, ProcessedUpdate, {"platform": platform, "key": key, "received_at": now}
    )
