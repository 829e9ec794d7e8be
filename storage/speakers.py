"""Lists of speakers: a meeting's list, its turns in order, and what the Chair's office does to
it (inscribe, move, withdraw, call the next speaker, replace it with a circulated list)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Meeting,
    Speaker,
    SpeakerList,
    SpeakerRequest,
    SpeakerStatus,
)

STATE_LIMIT = 180  # seconds: the usual limit of a delegation's statement
GROUP_LIMIT = 300  # and of a statement on behalf of a group
WAITING = (SpeakerStatus.INSCRIBED, SpeakerStatus.MOVED)
ON_LIST = (*WAITING, SpeakerStatus.SPEAKING, SpeakerStatus.SPOKEN)


@dataclass(frozen=True)
class Turn:
    """A turn to inscribe: who speaks, for whom, for how long."""

    delegation_id: int
    on_behalf_id: int | None = None
    limit_seconds: int | None = None
    late: bool = False

    @property
    def limit(self) -> int:
        if self.limit_seconds is not None:
            return self.limit_seconds
        return GROUP_LIMIT if self.on_behalf_id is not None else STATE_LIMIT


class ListError(ValueError):
    """A change the list cannot take; `code` says which (the handler words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def of_meeting(session: AsyncSession, meeting_id: int) -> SpeakerList | None:
    return await session.scalar(select(SpeakerList).where(SpeakerList.meeting_id == meeting_id))


async def ensure(session: AsyncSession, meeting: Meeting, now: datetime) -> SpeakerList:
    """The meeting's list, created empty if it has none."""
    found = await of_meeting(session, meeting.id)
    if found is None:
        found = SpeakerList(meeting_id=meeting.id, created_at=now, changed_at=now, revision=0)
        session.add(found)
        await session.flush()
    return found


async def turns(session: AsyncSession, speakers: SpeakerList) -> list[Speaker]:
    """Every turn of a list, in order (withdrawn ones too)."""
    query = select(Speaker).where(Speaker.list_id == speakers.id).order_by(Speaker.place)
    return list(await session.scalars(query))


def on_list(all_turns: list[Speaker]) -> list[Speaker]:
    """The turns that count: all but the withdrawn, in order."""
    return [t for t in all_turns if t.status in ON_LIST]


def numbers(all_turns: list[Speaker]) -> dict[int, int]:
    """Each turn's number on the list as read out (1, 2, ...), withdrawn ones skipped."""
    return {t.id: number for number, t in enumerate(on_list(all_turns), start=1)}


def touch(speakers: SpeakerList, now: datetime) -> None:
    """Note a change of the list: the room's page and the alerts' renderings follow it."""
    speakers.changed_at, speakers.revision = now, speakers.revision + 1


def is_open(speakers: SpeakerList, now: datetime) -> bool:
    opened = speakers.opens_at is not None and speakers.opens_at <= now
    return opened and (speakers.closes_at is None or now < speakers.closes_at)


def _renumber(all_turns: list[Speaker]) -> None:
    for place, turn in enumerate(all_turns, start=1):
        turn.place = place


def _insert_at(
    all_turns: list[Speaker], turn: Speaker, number: int | None, groups_first: bool
) -> None:
    """Put `turn` at list number `number` (1-based among those on the list), or where it
    belongs: a statement for a group after the last group statement still to come (when groups
    speak first), anything else at the end."""
    counted = on_list(all_turns)
    if number is not None:
        number = max(1, min(number, len(counted) + 1))
        index = all_turns.index(counted[number - 1]) if number <= len(counted) else len(all_turns)
    elif groups_first and turn.on_behalf_id is not None:
        index = next(
            (all_turns.index(t) for t in counted if t.status in WAITING and t.on_behalf_id is None),
            len(all_turns),
        )
    else:
        index = len(all_turns)
    all_turns.insert(index, turn)
    _renumber(all_turns)


def _note_moves(all_turns: list[Speaker], before: dict[int, int]) -> list[Speaker]:
    """Count a move for each turn still to come whose number changed; return them."""
    after = numbers(all_turns)
    moved = [
        t
        for t in all_turns
        if t.status in WAITING and t.id in before and before[t.id] != after[t.id]
    ]
    for turn in moved:
        turn.moves += 1
    return moved


async def inscribe(
    session: AsyncSession,
    speakers: SpeakerList,
    turn: Turn,
    now: datetime,
    number: int | None = None,
) -> tuple[Speaker, list[Speaker]]:
    """Add a turn (at `number`, or where it belongs); returns it and the turns it moved.
    A delegation already on the list is refused unless the list allows repeats."""
    all_turns = await turns(session, speakers)
    if not speakers.repeats_allowed and any(
        t.delegation_id == turn.delegation_id for t in on_list(all_turns)
    ):
        raise ListError("already inscribed")
    before = numbers(all_turns)
    added = Speaker(
        list_id=speakers.id,
        place=0,
        delegation_id=turn.delegation_id,
        on_behalf_id=turn.on_behalf_id,
        limit_seconds=turn.limit,
        late=turn.late,
        moves=0,
        status=SpeakerStatus.INSCRIBED,
        added_at=now,
    )
    session.add(added)
    await session.flush()
    _insert_at(all_turns, added, number, speakers.groups_first)
    touch(speakers, now)
    return added, _note_moves(all_turns, before)


async def move(
    session: AsyncSession, speakers: SpeakerList, turn: Speaker, number: int, now: datetime
) -> list[Speaker]:
    """Move a turn still to come to list number `number`; returns every turn whose number
    changed (the moved one first)."""
    if turn.status not in WAITING:
        raise ListError("not waiting")
    all_turns = await turns(session, speakers)
    before = numbers(all_turns)
    all_turns.remove(next(t for t in all_turns if t.id == turn.id))
    _insert_at(all_turns, turn, number, speakers.groups_first)
    turn.status = SpeakerStatus.MOVED
    touch(speakers, now)
    moved = _note_moves(all_turns, before)
    return sorted(moved, key=lambda t: t.id != turn.id)


async def withdraw(
    session: AsyncSession, speakers: SpeakerList, turn: Speaker, now: datetime
) -> list[Speaker]:
    """Take a turn still to come off the list; returns the turns whose number changed."""
    if turn.status not in WAITING:
        raise ListError("not waiting")
    all_turns = await turns(session, speakers)
    before = numbers(all_turns)
    turn.status = SpeakerStatus.WITHDRAWN
    touch(speakers, now)
    return _note_moves(all_turns, before)


async def advance(
    session: AsyncSession, speakers: SpeakerList, now: datetime
) -> tuple[Speaker | None, Speaker | None]:
    """The next speaker takes the floor: the one speaking has spoken. Returns (the one who
    finished, the one who now speaks); (None, None) when nobody was speaking or waiting."""
    all_turns = await turns(session, speakers)
    speaking = next((t for t in all_turns if t.status == SpeakerStatus.SPEAKING), None)
    waiting = next((t for t in all_turns if t.status in WAITING), None)
    if speaking is not None:
        speaking.status, speaking.ended_at = SpeakerStatus.SPOKEN, now
    if waiting is not None:
        waiting.status, waiting.started_at = SpeakerStatus.SPEAKING, now
    if speaking is not None or waiting is not None:
        touch(speakers, now)
    return speaking, waiting


async def replace_all(
    session: AsyncSession, speakers: SpeakerList, wanted: list[Turn], now: datetime
) -> list[Speaker]:
    """Make the turns still to come those of `wanted`, in its order (a list as circulated):
    turns already taken stay, delegations kept keep their row (and their alerts), those left
    out are withdrawn. Returns the turns whose number changed, new ones included."""
    all_turns = await turns(session, speakers)
    before = numbers(all_turns)
    done = [t for t in all_turns if t.status not in WAITING]
    waiting = {t.delegation_id: t for t in all_turns if t.status in WAITING}
    order: list[Speaker] = []
    for wish in wanted:
        kept = waiting.pop(wish.delegation_id, None)
        if kept is None:
            kept = Speaker(
                list_id=speakers.id,
                place=0,
                delegation_id=wish.delegation_id,
                moves=0,
                status=SpeakerStatus.INSCRIBED,
                added_at=now,
            )
            session.add(kept)
        kept.on_behalf_id, kept.limit_seconds, kept.late = wish.on_behalf_id, wish.limit, wish.late
        order.append(kept)
    for left_out in waiting.values():
        left_out.status = SpeakerStatus.WITHDRAWN
    await session.flush()
    finished = [t for t in done if t.status != SpeakerStatus.WITHDRAWN]
    withdrawn = [t for t in all_turns if t.status == SpeakerStatus.WITHDRAWN]
    _renumber([*finished, *order, *withdrawn])
    touch(speakers, now)
    return [t for t in _note_moves([*finished, *order], before)] + [
        t for t in order if t.id not in before
    ]


# The room's page: a secret link per list, only its hash kept (as calendar feeds do).


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def new_room_token(session: AsyncSession, speakers: SpeakerList) -> str:
    """A fresh link token for the room's page; the one before stops working."""
    token = secrets.token_urlsafe(24)
    speakers.room_token_hash = _hash(token)
    await session.flush()
    return token


async def by_room_token(session: AsyncSession, token: str) -> SpeakerList | None:
    if not 8 <= len(token) <= 100:
        return None
    return await session.scalar(
        select(SpeakerList).where(SpeakerList.room_token_hash == _hash(token))
    )


# Inscription requests from delegations.


async def pending_requests(session: AsyncSession, speakers: SpeakerList) -> list[SpeakerRequest]:
    query = (
        select(SpeakerRequest)
        .where(SpeakerRequest.list_id == speakers.id, SpeakerRequest.status == "pending")
        .order_by(SpeakerRequest.id)
    )
    return list(await session.scalars(query))


async def request_turn(
    session: AsyncSession,
    speakers: SpeakerList,
    turn: Turn,
    person_id: int,
    now: datetime,
) -> SpeakerRequest:
    """A delegation's request; a pending one of the same delegation is replaced."""
    await session.execute(
        update(SpeakerRequest)
        .where(
            SpeakerRequest.list_id == speakers.id,
            SpeakerRequest.delegation_id == turn.delegation_id,
            SpeakerRequest.status == "pending",
        )
        .values(status="replaced", decided_at=now)
    )
    request = SpeakerRequest(
        list_id=speakers.id,
        delegation_id=turn.delegation_id,
        on_behalf_id=turn.on_behalf_id,
        person_id=person_id,
        status="pending",
        created_at=now,
    )
    session.add(request)
    await session.flush()
    return request
