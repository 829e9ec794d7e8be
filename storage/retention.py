"""Retention: what the growing tables keep, and pruning what is older."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ButtonCommand, Delivery, DeliveryStatus, OneTimeCode, ProcessedUpdate

SETTLED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.EXPIRED)


@dataclass(frozen=True)
class Retention:
    """How long each growing table keeps a row once it is done with: a delivery after it was
    sent or given up (a reminder is never planned again once its time has passed, so its row
    is not needed to keep it from coming twice), an update id after it arrived (platforms
    re-deliver within minutes), a long button command after a message last carried it, a
    one-time code after it expired."""

    deliveries: timedelta = timedelta(days=90)
    update_ids: timedelta = timedelta(days=7)
    button_commands: timedelta = timedelta(days=180)
    codes: timedelta = timedelta(days=30)


async def prune(
    session: AsyncSession, retention: Retention, now: datetime, real_now: datetime
) -> dict[str, int]:
    """Delete what retention no longer keeps; returns how many rows of each table. `now` is
    the clock's time (deliveries, update ids and codes are stamped with it), `real_now` the
    wall clock's (button commands' use)."""
    statements = {
        "deliveries": delete(Delivery).where(
            Delivery.status.in_(SETTLED),
            func.coalesce(Delivery.sent_at, Delivery.due_at) < now - retention.deliveries,
        ),
        "processed_updates": delete(ProcessedUpdate).where(
            ProcessedUpdate.received_at < now - retention.update_ids
        ),
        "button_commands": delete(ButtonCommand).where(
            ButtonCommand.used_at < real_now - retention.button_commands
        ),
        "one_time_codes": delete(OneTimeCode).where(OneTimeCode.expires_at < now - retention.codes),
    }
    pruned = {}
    for table, statement in statements.items():
        result = await session.execute(statement.execution_options(synchronize_session=False))
        pruned[table] = result.rowcount
    return pruned
