"""How a list of speakers is worded for a reader: a turn's name, its estimate in venue time and
the reader's own, time used against the limit; shared by the list, its alerts and the room's
page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.context import Context
from bot.core.holder_names import holder_name
from bot.core.timefmt import zone_time
from handlers.meetings import meeting_title
from storage import speakers as lists
from storage.models import Meeting, Speaker, SpeakerList, SpeakerRequest, SpeakerStatus
from storage.speaker_times import estimates


@dataclass
class ListView:
    """A list read once: its meeting, turns, their numbers and estimates."""

    speakers: SpeakerList
    meeting: Meeting
    turns: list[Speaker]
    numbers: dict[int, int]
    estimates: dict[int, datetime]

    @property
    def speaking(self) -> Speaker | None:
        return next((t for t in self.turns if t.status == SpeakerStatus.SPEAKING), None)

    @property
    def waiting(self) -> list[Speaker]:
        return [t for t in self.turns if t.status in lists.WAITING]

    def before(self, turn: Speaker) -> int:
        """How many speak before this turn (the one speaking included)."""
        return self.waiting.index(turn) + (self.speaking is not None)

    def of(self, delegation_id: int) -> Speaker | None:
        """The delegation's first turn still on the list."""
        return next(
            (t for t in lists.on_list(self.turns) if t.delegation_id == delegation_id), None
        )


async def view(ctx: Context, speakers: SpeakerList, meeting: Meeting) -> ListView:
    turns = await lists.turns(ctx.session, speakers)
    return ListView(
        speakers,
        meeting,
        turns,
        lists.numbers(turns),
        estimates(turns, ctx.now, meeting.starts_at),
    )


def turn_name(ctx: Context, turn: Speaker | SpeakerRequest) -> str:
    """ "Sierra Leone (on behalf of the African Group)"."""
    name = holder_name(ctx, ctx.names.delegations[turn.delegation_id])
    group = ctx.names.delegations.get(turn.on_behalf_id) if turn.on_behalf_id else None
    if group is None:
        return name
    return ctx._("{state} (on behalf of {group})").format(state=name, group=holder_name(ctx, group))


def two_times(ctx: Context, instant: datetime, venue_zone: str) -> str:
    """ "10:42 New York time (16:42 Paris time)": the time alone, in both zones."""
    venue = zone_time(instant, venue_zone, ctx.tr)
    reader = ctx.reader_zone
    if reader and reader != venue_zone:
        own = instant.astimezone(ZoneInfo(reader)).utcoffset()
        if own != instant.astimezone(ZoneInfo(venue_zone)).utcoffset():
            return f"{venue} ({zone_time(instant, reader, ctx.tr)})"
    return venue


def minutes(ctx: Context, seconds: int) -> str:
    """ "3 min", "2:30 min"."""
    whole, rest = divmod(seconds, 60)
    shown = f"{whole}:{rest:02d}" if rest else ctx.tr.number(whole)
    return ctx._("{minutes} min").format(minutes=shown)


def used_of_limit(ctx: Context, turn: Speaker) -> str:
    """ "1:20 of 3 min" for the one speaking."""
    used = int((ctx.now - turn.started_at).total_seconds()) if turn.started_at else 0
    whole, rest = divmod(max(0, used), 60)
    return ctx._("{used} of {limit}").format(
        used=f"{whole}:{rest:02d}", limit=minutes(ctx, turn.limit_seconds)
    )


def list_title(ctx: Context, meeting: Meeting) -> str:
    return ctx._("List of speakers: {meeting}").format(meeting=meeting_title(ctx, meeting))
