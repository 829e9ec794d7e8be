"""Alerts about a list of speakers, planned into the outbox from the list as it stands: the list
opens, a delegation is inscribed or its place changes, N speakers before it, it is next, and
a State or group followed takes the floor. Each is keyed so that it goes once; a place that
changes after an alert was sent brings a correction (an edit where the platform allows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.models import (
    Delivery,
    DeliveryStatus,
    FloorWatch,
    Person,
    Speaker,
    SpeakerList,
    SpeakerStatus,
)
from storage.speakers import WAITING, turns
from storage.subscriptions import reaching_accounts

KIND = "speakers"
DEFAULT_AHEAD = 3  # "3 speakers before you" unless a person chose otherwise
MOST_AHEAD = 10  # the most a person may choose


def alert_row(
    key: str, speakers: SpeakerList, account: int, payload: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """An outbox row about a list, due now."""
    return {
        "key": key,
        "kind": KIND,
        "account_id": account,
        "speaker_list_id": speakers.id,
        "payload": payload,
        "status": DeliveryStatus.PENDING,
        "due_at": now,
        "attempts": 0,
        "created_at": now,
    }


async def _members(
    session: AsyncSession, delegation_ids: set[int]
) -> dict[int, list[tuple[int, int]]]:
    """For each delegation, (account, how many speakers before to be told at) of each of its
    members who can be reached."""
    if not delegation_ids:
        return {}
    persons = {
        row.id: row
        for row in await session.execute(
            select(Person.id, Person.delegation_id, Person.speakers_ahead).where(
                Person.delegation_id.in_(delegation_ids)
            )
        )
    }
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for account in await reaching_accounts(session, list(persons)):
        person = persons[account.person_id]
        found[person.delegation_id].append((account.id, person.speakers_ahead or DEFAULT_AHEAD))
    return found


async def _watchers(session: AsyncSession, turn: Speaker) -> list[int]:
    """The accounts of those who asked to be told when this turn's State or group speaks."""
    watched = [turn.delegation_id] + ([turn.on_behalf_id] if turn.on_behalf_id else [])
    persons = select(FloorWatch.person_id).where(FloorWatch.delegation_id.in_(watched))
    return [a.id for a in await reaching_accounts(session, persons)]


async def plan(
    session: AsyncSession, speakers: SpeakerList, now: datetime, moved: Sequence[Speaker] = ()
) -> int:
    """Enqueue what the list as it stands calls for: a place alert for each turn in `moved`
    (new or moved), corrections of alerts already sent to them, "N before you" and "you are
    next" for the turns coming, and "takes the floor" for the one speaking. Returns how many
    rows were new."""
    all_turns = await turns(session, speakers)
    waiting = [t for t in all_turns if t.status in WAITING]
    speaking = next((t for t in all_turns if t.status == SpeakerStatus.SPEAKING), None)
    near = waiting[: MOST_AHEAD + 1]
    members = await _members(session, {t.delegation_id for t in [*near, *moved]})
    rows: list[dict[str, Any]] = []
    base = f"{KIND}:{speakers.id}"
    for turn in moved:
        for account, _ahead in members.get(turn.delegation_id, ()):
            payload = {"event": "place", "speaker": turn.id}
            rows.append(
                alert_row(
                    f"{base}:{turn.id}:{turn.moves}:place:{account}",
                    speakers,
                    account,
                    payload,
                    now,
                )
            )
    rows += await _corrections(session, speakers, moved, now)
    for index, turn in enumerate(near):
        before = index + (speaking is not None)
        for account, ahead in members.get(turn.delegation_id, ()):
            if index == 0:
                event = "next"
            elif before <= ahead:
                event = "ahead"
            else:
                continue
            payload = {"event": event, "speaker": turn.id}
            rows.append(
                alert_row(
                    f"{base}:{turn.id}:{turn.moves}:{event}:{account}",
                    speakers,
                    account,
                    payload,
                    now,
                )
            )
    if speaking is not None:
        for account in await _watchers(session, speaking):
            payload = {"event": "floor", "speaker": speaking.id}
            rows.append(
                alert_row(f"{base}:{speaking.id}:floor:{account}", speakers, account, payload, now)
            )
    await _drop_passed(session, speakers, all_turns)
    return await outbox.enqueue(session, rows)


async def _corrections(
    session: AsyncSession, speakers: SpeakerList, moved: Sequence[Speaker], now: datetime
) -> list[dict[str, Any]]:
    """For each moved turn, a correction of every alert about its place already sent (it
    edits the message: "your place changed")."""
    if not moved:
        return []
    by_id = {t.id: t for t in moved}
    sent = await session.execute(
        select(Delivery.account_id, Delivery.message_id, Delivery.payload, Delivery.key).where(
            Delivery.speaker_list_id == speakers.id,
            Delivery.status == DeliveryStatus.SENT,
            or_(*(Delivery.key.like(f"{KIND}:{speakers.id}:{t.id}:%") for t in moved)),
        )
    )
    rows = []
    for account, message_id, payload, key in sent:
        turn = by_id[payload["speaker"]]
        told_at = key.split(":")[3]
        if payload.get("event") in ("place", "ahead", "next") and told_at != str(turn.moves):
            fix = {"event": "fix", "speaker": turn.id, "replaces": message_id}
            rows.append(
                alert_row(
                    f"{KIND}:{speakers.id}:{turn.id}:{turn.moves}:fix:{key}",
                    speakers,
                    account,
                    fix,
                    now,
                )
            )
    return rows


async def _drop_passed(
    session: AsyncSession, speakers: SpeakerList, all_turns: list[Speaker]
) -> None:
    """No alert about a turn once it has come (but "takes the floor"), or passed, or was
    withdrawn: those not yet sent go."""
    gone = []
    for turn in all_turns:
        about = Delivery.key.like(f"{KIND}:{speakers.id}:{turn.id}:%")
        if turn.status == SpeakerStatus.SPEAKING:
            gone.append(and_(about, ~Delivery.key.like(f"{KIND}:{speakers.id}:{turn.id}:floor:%")))
        elif turn.status not in WAITING:
            gone.append(about)
    if gone:
        await outbox.drop_pending(session, Delivery.speaker_list_id == speakers.id, or_(*gone))


async def plan_opening(session: AsyncSession, speakers: SpeakerList, now: datetime) -> int:
    """Tell every delegation's members when the list opens (at its opening time); a new
    opening time replaces the alerts not yet sent."""
    await outbox.drop_pending(
        session,
        Delivery.speaker_list_id == speakers.id,
        Delivery.key.like(f"{KIND}:{speakers.id}:opened:%"),
    )
    if speakers.opens_at is None:
        return 0
    persons = select(Person.id).where(Person.delegation_id.is_not(None))
    stamp = int(speakers.opens_at.timestamp())
    rows = []
    for account in await reaching_accounts(session, persons):
        row = alert_row(
            f"{KIND}:{speakers.id}:opened:{stamp}:{account.id}",
            speakers,
            account.id,
            {"event": "opened"},
            now,
        )
        row["due_at"] = max(now, speakers.opens_at)
        rows.append(row)
    return await outbox.enqueue(session, rows)


def still_true(delivery: Delivery, turn: Speaker | None) -> bool:
    """Whether an alert still says something true when it is about to be sent: no "you are
    next" once the turn has come or gone or moved, no "takes the floor" once it has
    finished."""
    event = delivery.payload.get("event")
    if event in ("opened", "declined"):
        return True
    if turn is None:
        return False
    if event == "floor":
        return turn.status == SpeakerStatus.SPEAKING
    # An alert about a place the turn has since left: planning the move enqueued its own.
    return turn.status in WAITING and delivery.key.split(":")[3] == str(turn.moves)


async def placed_before(session: AsyncSession, delivery: Delivery) -> bool:
    """Whether the account of this place alert was told the turn's place by an earlier one
    (so that this one says the place changed, not that the delegation is inscribed)."""
    speakers_list, turn = delivery.speaker_list_id, delivery.payload["speaker"]
    found = await session.scalar(
        select(Delivery.id)
        .where(
            Delivery.speaker_list_id == speakers_list,
            Delivery.account_id == delivery.account_id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.key.like(f"{KIND}:{speakers_list}:{turn}:%:place:%"),
            Delivery.id != delivery.id,
        )
        .limit(1)
    )
    return found is not None
