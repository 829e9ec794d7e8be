"""When each turn of a list of speakers should come: the limits of the turns still to come,
at the pace the list has kept so far."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.models import Speaker, SpeakerStatus
from storage.speakers import WAITING


def paced(all_turns: list[Speaker]) -> float:
    """How long turns take against their limits so far (1.0 until someone has spoken); kept
    between a half and twice, so that one long statement does not throw every estimate."""
    spoken = [
        t
        for t in all_turns
        if t.status == SpeakerStatus.SPOKEN and t.started_at is not None and t.ended_at is not None
    ]
    limits = sum(t.limit_seconds for t in spoken)
    if not limits:
        return 1.0
    used = sum((t.ended_at - t.started_at).total_seconds() for t in spoken)  # type: ignore[operator]
    return min(2.0, max(0.5, used / limits))


def estimates(
    all_turns: list[Speaker], now: datetime, starts_at: datetime | None
) -> dict[int, datetime]:
    """When each turn still to come should begin: from the current speaker's start (or the
    meeting's, or now), each turn taking its limit times the pace so far."""
    pace = paced(all_turns)
    speaking = next((t for t in all_turns if t.status == SpeakerStatus.SPEAKING), None)
    if speaking is not None and speaking.started_at is not None:
        expected_end = speaking.started_at + timedelta(seconds=speaking.limit_seconds * pace)
        clock = max(now, expected_end)
    else:
        clock = max(now, starts_at) if starts_at is not None else now
    found: dict[int, datetime] = {}
    for turn in all_turns:
        if turn.status in WAITING:
            found[turn.id] = clock
            clock += timedelta(seconds=turn.limit_seconds * pace)
    return found
