"""Meetings built in memory (not stored), for calendar tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from storage.models import Meeting, MeetingStatus

STAMP = datetime(2016, 1, 10, tzinfo=UTC)  # when they last changed


def meeting(key: str, local: datetime | date, zone: str = "America/New_York", **fields) -> Meeting:
    """A meeting at a wall time (or on a day: time to be announced) in its zone."""
    timed = isinstance(local, datetime)
    start = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC) if timed else None
    return Meeting(
        key=key,
        local_date=local.date() if timed else local,
        starts_at=start,
        timezone=zone,
        status=fields.pop("status", MeetingStatus.SCHEDULED),
        sequence=0,
        updated_at=STAMP,
        **fields,
    )
