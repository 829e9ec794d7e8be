"""The buttons members of a delegation answer with whether they cover a meeting."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Button
from storage.models import Meeting, MeetingStatus


def cover_buttons(ctx: Context, meeting: Meeting) -> tuple[Button, ...]:
    """ "I'll cover it", "Can't", "Maybe": for members of a delegation, on a meeting to come."""
    if ctx.delegation_id is None:
        return ()
    if meeting.status != MeetingStatus.SCHEDULED or meeting.until_at < ctx.now:
        return ()
    return (
        Button(ctx._("I'll cover it"), f"/cover {meeting.key} yes"),
        Button(ctx._("Can't"), f"/cover {meeting.key} no"),
        Button(ctx._("Maybe"), f"/cover {meeting.key} maybe"),
    )
