"""Proactive messages: the core renders them with the function a handler registers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.context import Context
from bot.core.messages import Reply
from storage.models import (
    Announcement,
    Delivery,
    Meeting,
    Person,
    PositionVersion,
    SpeakerList,
)

# A digest's subject is its reader.
Subject = Meeting | Announcement | PositionVersion | SpeakerList | Person
Renderer = Callable[[Context, Delivery, Subject], Awaitable[Reply]]
LATE_AFTER = timedelta(minutes=1)  # a reminder sent later than this says it is late

_renderers: list[Renderer] = []


def renders_notices(renderer: Renderer) -> Renderer:
    """Register the function that renders every proactive message (one per process)."""
    _renderers[:] = [renderer]
    return renderer


def is_late(ctx: Context, delivery: Delivery) -> bool:
    return ctx.now - delivery.due_at > LATE_AFTER


async def render(ctx: Context, delivery: Delivery, subject: Subject) -> Reply:
    """The message a delivery carries, for its reader."""
    if not _renderers:
        raise LookupError("no notice renderer registered: import the handlers package")
    return await _renderers[0](ctx, delivery, subject)
