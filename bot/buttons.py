"""Button payloads: a button carries its command, or a short token for a long command."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply
from storage import buttons

PAYLOAD_LIMIT = 64  # bytes: Telegram's callback_data limit
COMMAND_PREFIX = "c:"
TOKEN_PREFIX = "t:"


async def payloads(session: AsyncSession, reply: Reply,
                   limit: int = PAYLOAD_LIMIT) -> dict[str, str]:
    """Each button's command mapped to a payload of at most `limit` bytes."""
    result = {}
    for row in reply.buttons:
        for button in row:
            direct = COMMAND_PREFIX + button.command
            if len(direct.encode()) <= limit:
                result[button.command] = direct
            else:
                token = await buttons.token_for(session, button.command)
                result[button.command] = f"{TOKEN_PREFIX}{token}"
    return result


async def command_for(session: AsyncSession, payload: str) -> str | None:
    """The command a pressed button stands for; None when the payload is unknown (stale)."""
    if payload.startswith(COMMAND_PREFIX):
        return payload[len(COMMAND_PREFIX):]
    if payload.startswith(TOKEN_PREFIX):
        return await buttons.command_for(session, payload[len(TOKEN_PREFIX):])
    return None
