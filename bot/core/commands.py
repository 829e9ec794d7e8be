"""The registry of commands: each handler declares its name, usage and who may use it."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.context import Context, Request
from bot.core.messages import Reply
from storage.models import Role

Handler = Callable[[Context, Request], Awaitable[Reply]]
EVERYONE = frozenset(Role)
DOCUMENT_COMMAND = "document"  # what a document sent without a caption asks


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    usage: str
    summary: str
    roles: frozenset[Role]
    listed: bool
    personal: bool  # reads or changes the asker's own data: never answered from a cache


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    usage: str = "",
    roles: frozenset[Role] = EVERYONE,
    listed: bool = True,
    personal: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a handler as `/name`; its docstring's first line is its help text."""

    def register(handler: Handler) -> Handler:
        summary = inspect.getdoc(handler) or ""
        COMMANDS[name] = Command(
            name,
            handler,
            usage or f"/{name}",
            summary.splitlines()[0] if summary else "",
            roles,
            listed,
            personal,
        )
        return handler

    return register


def available_to(role: Role) -> list[Command]:
    return [c for c in COMMANDS.values() if c.listed and role in c.roles]
