"""Long button commands, stored once under a short token."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ButtonCommand

# A token's use time is refreshed at most this often: rendering a popular button does not
# write each time, and retention (days) does not need the minute.
REFRESH_USE = timedelta(days=1)


def _token(command: str) -> str:
    return hashlib.blake2b(command.encode(), digest_size=12).hexdigest()


async def token_for(session: AsyncSession, command: str, now: datetime | None = None) -> str:
    """The token of a command, stored the first time it is needed; each use (in wall-clock
    time by default) keeps it from being pruned."""
    now = now or datetime.now(UTC)
    token = _token(command)
    dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(ButtonCommand).values(token=token, command=command, used_at=now)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ButtonCommand.token],
            set_={"used_at": now},
            where=ButtonCommand.used_at < now - REFRESH_USE,
        )
    )
    return token


async def command_for(session: AsyncSession, token: str) -> str | None:
    found = await session.get(ButtonCommand, token)
    return found.command if found else None
