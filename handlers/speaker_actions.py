"""What `/speakers MEETING ACTION ...` can do: each action registers here, with whether it is
the Chair's office's alone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.context import Context
from bot.core.messages import Reply
from storage.models import Meeting

Action = Callable[[Context, Meeting, str], Awaitable[Reply]]


@dataclass(frozen=True)
class ListAction:
    run: Action
    chair: bool


ACTIONS: dict[str, ListAction] = {}


def list_action(*names: str, chair: bool = True) -> Callable[[Action], Action]:
    """Register an action under its words (`/speakers MEETING next`)."""

    def register(run: Action) -> Action:
        for name in names:
            ACTIONS[name] = ListAction(run, chair)
        return run

    return register
