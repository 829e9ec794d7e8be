"""Long button commands, stored once under a short token."""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ButtonCommand
from storage.once import insert_if_absent


def _token(command: str) -> str:
    return hashlib.blake2b(command.encode(), digest_size=12).hexdigest()


async def token_for(session: AsyncSession, command: str) -> str:
    """The token of a command, stored the first time it is needed."""
    token = _token(command)
    await insert_if_absent(session, ButtonCommand, {"token": token, "command": command})
    return token


async def command_for(session: AsyncSession, token: str) -> str | None:
    found = await session.get(ButtonCommand, token)
    return found.command if found else None
