"""Previews and their confirmation, one mechanism for every flow: a handler proposes a draft
and registers how to apply it; Confirm and Cancel buttons carry the draft's token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.core.commands import EVERYONE
from bot.core.context import Context
from bot.core.messages import Button, Reply
from storage import drafts
from storage.drafts import Author
from storage.models import Draft, Role

Apply = Callable[[Context, Draft], Awaitable[Reply]]
Discard = Callable[[Context, Draft], Awaitable[None]]


@dataclass(frozen=True)
class DraftKind:
    apply: Apply  # what Confirm does
    roles: frozenset[Role]  # who may still confirm it when Confirm is pressed
    discard: Discard | None = None  # what Cancel undoes besides closing the draft


KINDS: dict[str, DraftKind] = {}


def draft_kind(
    name: str, roles: frozenset[Role] = EVERYONE, discard: Discard | None = None
) -> Callable[[Apply], Apply]:
    """Register what confirming a draft of this kind does, and who may (a role taken away
    between the preview and the confirmation takes the right to confirm with it)."""

    def register(apply: Apply) -> Apply:
        KINDS[name] = DraftKind(apply, roles, discard)
        return apply

    return register


def author(ctx: Context) -> Author:
    return Author(ctx.person.id if ctx.person else None, ctx.incoming.platform)


async def propose(ctx: Context, kind: str, payload: dict[str, Any], subject: str = "") -> Draft:
    """Store a draft by the asker; it replaces their open draft of the same kind and subject."""
    if kind not in KINDS:
        raise LookupError(f"no draft kind {kind!r} registered")
    if ctx.person is None and ctx.incoming.platform != "cli":
        await ctx.person_for_update()
    return await drafts.propose(ctx.session, kind, author(ctx), payload, ctx.now, subject)


def buttons(ctx: Context, draft: Draft, confirm_label: str | None = None) -> tuple[Button, ...]:
    """Confirm and Cancel for a draft: short commands, whatever the draft holds."""
    return (
        Button(confirm_label or ctx._("Confirm"), f"/confirm {draft.token}"),
        Button(ctx._("Cancel"), f"/discard {draft.token}"),
    )
