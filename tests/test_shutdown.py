"""Shutting down mid-broadcast: the batch in flight finishes and is recorded, nothing more is
claimed, and whoever runs next sends the rest: nobody missed, nobody twice."""

import asyncio

from sqlalchemy import func, select

from bot.runtime.dispatcher import Dispatcher
from bot.runtime.scheduler import Scheduler
from storage.models import Delivery, DeliveryStatus
from tests.recorder import Recorder
from tests.test_announcements import chair_says, make_chair, people


class SlowRecorder(Recorder):
    async def deliver(self, account, reply, skip=0) -> str:
        await asyncio.sleep(0.02)
        return await super().deliver(account, reply)


async def statuses(plenary) -> dict[str, int]:
    async with plenary.sessions() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return {status: count for status, count in rows}


async def test_stopping_finishes_the_batch_in_flight_and_claims_no_more(plenary):
    await make_chair(plenary)
    readers = await people(plenary, 1000)
    await chair_says(plenary, "/announce Shutting down soon.")
    await chair_says(plenary, "/announce 1 confirm")
    first = SlowRecorder()
    scheduler = Scheduler(Dispatcher(plenary.core, {"console": first}))
    sending = asyncio.create_task(scheduler.dispatch())
    while not first.sent:
        await asyncio.sleep(0.01)
    await asyncio.wait_for(scheduler.stop(), 5)
    await sending
    state = await statuses(plenary)
    assert DeliveryStatus.SENDING not in state, "every claimed row was recorded"
    assert state[DeliveryStatus.SENT] == len(first.sent) < 1001
    second = Recorder()
    await Dispatcher(plenary.core, {"console": second}).run_until_idle()
    received = [who for who, _ in first.sent + second.sent if who != "sylvie"]
    assert sorted(received) == sorted(readers), "nobody missed, nobody twice"
