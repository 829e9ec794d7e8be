"""Versioned statements (a position's text, a stance on an element): a new version is added
after the latest one, unless it would repeat it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

V = TypeVar("V")


async def append(
    session: AsyncSession,
    model: type[V],
    latest: Any | None,
    said: dict[str, Any],
    stated_on: date | None,
    sources: list[str],
    author_id: int | None,
    now: datetime,
    **owner: Any,
) -> V | None:
    """The version after `latest` (None: the first) saying `said` ({column: value}); None
    when `latest` already says it, on the same date, from the same sources."""
    if latest is not None and (
        [getattr(latest, column) for column in said],
        latest.stated_on,
        latest.sources,
    ) == (list(said.values()), stated_on, sources):
        return None
    version = model(
        **owner,
        **said,
        number=(latest.number if latest else 0) + 1,
        stated_on=stated_on,
        sources=sources,
        author_id=author_id,
        created_at=now,
    )
    session.add(version)
    await session.flush()
    return version
