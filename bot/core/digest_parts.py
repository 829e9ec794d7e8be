"""Parts of the digest that other capabilities add (who covers which meeting, the lists of
speakers): each registers a function that adds its lines for one reader and span, or none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.context import Context
from bot.core.messages import Reply
from storage.models import Meeting, Person


@dataclass(frozen=True)
class DigestSpan:
    """What one digest covers: news since `since` up to `until`, and the meetings held from
    `first` to `last` (days at the venue)."""

    since: datetime
    until: datetime
    first: date
    last: date
    meetings: tuple[Meeting, ...]


# Adds its lines to the reply; True if it added any.
DigestPart = Callable[[Context, Person, DigestSpan, Reply], Awaitable[bool]]
PARTS: list[DigestPart] = []


def digest_part(part: DigestPart) -> DigestPart:
    """Register a part of every digest (in the order registered)."""
    if part not in PARTS:
        PARTS.append(part)
    return part
