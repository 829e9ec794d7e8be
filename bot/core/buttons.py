"""Button payloads: a button carries its command, or a short token for a long command."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Reply
from storage import buttons

PAYLOAD_LIMIT = 64  # bytes: Telegram's callback_data limit
COMMAND_PREFIX = "c:"
TOKEN_PREFIX = "t:"


def long_commands(reply: Reply, limit: int = PAYLOAD_LIMIT) -> list[str]:
    """The buttons' commands that do not fit in a payload of `limit` bytes as they are."""
    return [
        button.command
        for row in reply.buttons
        for button in row
        if len((COMMAND_PREFIX + button.command).encode()) > limit
    ]


async def payloads(
    sessions: async_sessionmaker[AsyncSession], reply: Reply, limit: int = PAYLOAD_LIMIT
) -> dict[str, str]:
    """Each button's command mapped to a payload of at most `limit` bytes; the database is
    only touched when some command is too long."""
    result = {
        button.command: COMMAND_PREFIX + button.command for row in reply.buttons for button in row
    }
    long = long_commands(reply, limit)
    if long:
        async with sessions() as session:
            for command in long:
                result[command] = TOKEN_PREFIX + await buttons.token_for(session, command)
            await session.commit()
    return result


async def command_for(session: AsyncSession, payload: str) -> str | None:
    """The command a pressed button stands for; None when the payload is unknown (stale)."""
    if payload.startswith(COMMAND_PREFIX):
        return payload[len(COMMAND_PREFIX) :]
    if payload.startswith(TOKEN_PREFIX):
        return await buttons.command_for(session, payload[len(TOKEN_PREFIX) :])
    return None
