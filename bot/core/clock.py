"""The clock everything asks for the time, so that tests and demos can run "as of" any instant."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    """Real time, optionally shifted: started at `as_of`, it runs on from there."""

    def __init__(self, as_of: datetime | None = None) -> None:
        if as_of is not None and as_of.tzinfo is None:
            raise ValueError("as_of needs a UTC offset")
        self._as_of = as_of
        self._started = time.monotonic()

    @property
    def shifted(self) -> bool:
        return self._as_of is not None

    def now(self) -> datetime:
        if self._as_of is None:
            return datetime.now(UTC)
        elapsed = timedelta(seconds=time.monotonic() - self._started)
        return (self._as_of + elapsed).astimezone(UTC)


class FixedClock(Clock):
    """A clock that only moves when told to (for tests and benchmarks)."""

    def __init__(self, instant: datetime) -> None:
        super().__init__(instant)
        self._instant = instant.astimezone(UTC)

    def now(self) -> datetime:
        return self._instant

    def advance(self, delta: timedelta) -> None:
        self._instant += delta

    def set(self, instant: datetime) -> None:
        """Stand at another instant, earlier or later (as a demo restarted with --as-of)."""
        self._instant = instant.astimezone(UTC)
