"""What became of a delivery, as the outbox records it: sent, to retry later, or failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.transports.outcomes import TryLater
from storage import outbox
from storage.models import Account, Delivery, DeliveryStatus

FIRST_RETRY = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=10)
NOTHING_TO_SAY = "nothing to say"


@dataclass(frozen=True)
class Outcome:
    """The columns to set on a delivery's row, and what else its settling implies."""

    delivery: Delivery
    values: dict[str, Any]
    unreachable: Account | None = None  # deactivate this account
    corrections: int | None = None  # a sent announcement: the corrections it was rendered with

    @property
    def row(self) -> dict[str, Any]:
        return {"id": self.delivery.id, **self.values}

    @property
    def given_up(self) -> bool:
        return str(self.values.get("error") or "").startswith(outbox.GAVE_UP)


def backoff(attempts: int) -> timedelta:
    """The wait before attempt `attempts + 1`: 5 s, doubling, at most 10 minutes."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def sent(
    delivery: Delivery, message_id: str, now: datetime, corrections: int | None = None
) -> Outcome:
    values = {"status": DeliveryStatus.SENT, "message_id": message_id, "sent_at": now}
    return Outcome(delivery, {**values, "error": None}, corrections=corrections)


def failed(delivery: Delivery, reason: str, unreachable: Account | None = None) -> Outcome:
    return Outcome(delivery, {"status": DeliveryStatus.FAILED, "error": reason}, unreachable)


def nothing_to_say(delivery: Delivery) -> Outcome:
    """A message with nothing in it (an empty digest) is not sent."""
    return Outcome(delivery, {"status": DeliveryStatus.EXPIRED, "error": NOTHING_TO_SAY})


def withdrawn(delivery: Delivery, now: datetime) -> Outcome:
    """Nothing more goes; a text that went out already stays sent, without its attachments
    (as `announcements.cancel` settles the rows it finds waiting)."""
    if delivery.message_id is None:
        return failed(delivery, "withdrawn")
    values = {"status": DeliveryStatus.SENT, "sent_at": now, "error": outbox.WITHHELD}
    return Outcome(delivery, values)


def retry(delivery: Delivery, error: TryLater | str, now: datetime) -> Outcome:
    """Pending again after a wait (the platform's, or the backoff), keeping what went out;
    failed once it has had its attempts."""
    reason = error if isinstance(error, str) else str(error)
    if delivery.attempts >= outbox.MAX_ATTEMPTS:
        outcome = failed(delivery, f"{outbox.GAVE_UP} after {delivery.attempts} attempts: {reason}")
        values = dict(outcome.values)
    else:
        asked = None if isinstance(error, str) else error.retry_after
        wait = timedelta(seconds=asked) if asked is not None else backoff(delivery.attempts)
        values = {"status": DeliveryStatus.PENDING, "due_at": now + wait, "error": reason}
    if not isinstance(error, str):
        if error.sent is not None:  # its text went out: a correction will edit it
            values["message_id"] = error.sent
        if error.parts_sent:  # a long text's first parts went out: the retry resumes after them
            values["parts_sent"] = error.parts_sent
    return Outcome(delivery, values)
