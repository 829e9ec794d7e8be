"""Wall-clock times at a place: the instant a day and a time name on the clocks of a zone,
refused when the clocks skip that time or show it twice. One rule for the programme files,
the chat and the command line alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


class WallTimeError(ValueError):
    """A wall-clock time that names no instant, or two."""

    def __init__(self, day: date, at: time, zone: str, skipped: bool) -> None:
        self.day, self.at, self.zone, self.skipped = day, at, zone, skipped
        if skipped:
            reason = f"{at:%H:%M} does not exist on {day} in {zone} (the clocks go forward)"
        else:
            reason = (
                f"{at:%H:%M} happens twice on {day} in {zone} (the clocks go back): "
                "which one is not known"
            )
        super().__init__(reason)


def wall_instant(day: date, at: time, zone: str) -> datetime:
    """`day` at `at` on the clocks of `zone`, as an aware datetime; raises WallTimeError for a
    time the clocks skip or show twice."""
    instant = datetime.combine(day, at, ZoneInfo(zone))
    if instant.astimezone(UTC).astimezone(instant.tzinfo).time() != at:
        raise WallTimeError(day, at, zone, skipped=True)
    if instant.utcoffset() != instant.replace(fold=1).utcoffset():
        raise WallTimeError(day, at, zone, skipped=False)
    return instant
