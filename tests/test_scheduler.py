"""The scheduler: no wake-up is lost, not even one that comes as a dispatch finishes."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.dispatcher import Dispatcher
from bot.scheduler import Scheduler
from tests.test_announcements import chair_says, make_chair, people


class WokenAfterItsLastLook(Dispatcher):
    """Runs `after_last_look` once, just after a dispatch has looked for work to come."""

    after_last_look: Callable[[], Awaitable[object]] | None = None

    async def next_due(self) -> datetime | None:
        due = await super().next_due()
        if self.after_last_look is not None:
            hook, self.after_last_look = self.after_last_look, None
            await hook()
        return due


async def test_work_queued_as_a_dispatch_finishes_is_sent_at_once(plenary, recorder):
    await make_chair(plenary)
    (reader,) = await people(plenary, 1)
    assert "Preview" in await chair_says(plenary, "/announce The IGN meets on 3 February.")
    dispatcher = WokenAfterItsLastLook(plenary.core, {"console": recorder})
    dispatcher.after_last_look = lambda: chair_says(plenary, "/announce 1 confirm")
    scheduler = Scheduler(dispatcher, tick=timedelta(minutes=5))  # no tick to the rescue
    await scheduler.start()
    try:
        for _ in range(100):
            if recorder.texts(reader):
                break
            await asyncio.sleep(0.05)
    finally:
        await scheduler.stop()
    assert dispatcher.after_last_look is None, "the confirmation came as the dispatch finished"
    (text,) = recorder.texts(reader)
    assert text.startswith("Announcement from the Chair's office\nThe IGN meets on 3 February")
