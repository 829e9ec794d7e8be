"""The scheduler: no wake-up is lost, not even one that comes as a dispatch finishes."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.runtime.dispatcher import Dispatcher
from bot.runtime.scheduler import Scheduler
from storage import announcements
from storage.announcements import Audience
from tests.test_announcements import chair_says, make_chair, people


class WokenAfterItsLastLook(Dispatcher):
    """Runs `after_last_look` once, just after a dispatch has looked for work to come, and
    `before_last_look` once, just before."""

    after_last_look: Callable[[], Awaitable[object]] | None = None
    before_last_look: Callable[[], Awaitable[object]] | None = None

    async def next_due(self) -> datetime | None:
        if self.before_last_look is not None:
            hook, self.before_last_look = self.before_last_look, None
            await hook()
        due = await super().next_due()
        if self.after_last_look is not None:
            hook, self.after_last_look = self.after_last_look, None
            await hook()
        return due


async def sent_soon(scheduler: Scheduler, recorder, reader: str) -> list[str]:
    """What `reader` got within 5 s of the scheduler's start (no tick comes in that time)."""
    await scheduler.start()
    try:
        for _ in range(100):
            if recorder.texts(reader):
                break
            await asyncio.sleep(0.05)
    finally:
        await scheduler.stop()
    return recorder.texts(reader)


async def test_work_queued_as_a_dispatch_finishes_is_sent_at_once(plenary, recorder):
    await make_chair(plenary)
    (reader,) = await people(plenary, 1)
    assert "Preview" in await chair_says(plenary, "/announce The IGN meets on 3 February.")
    dispatcher = WokenAfterItsLastLook(plenary.core, {"console": recorder})
    dispatcher.after_last_look = lambda: chair_says(plenary, "/announce 1 confirm")
    scheduler = Scheduler(dispatcher, tick=timedelta(minutes=5))  # no tick to the rescue
    (text,) = await sent_soon(scheduler, recorder, reader)
    assert dispatcher.after_last_look is None, "the confirmation came as the dispatch finished"
    assert text.startswith("Announcement from the Chair's office\nThe IGN meets on 3 February")


async def test_work_due_as_a_dispatch_ends_is_sent_in_that_dispatch(plenary, recorder):
    (reader,) = await people(plenary, 1)
    dispatcher = WokenAfterItsLastLook(plenary.core, {"console": recorder})

    async def queued_by_another_process() -> None:  # which wakes no scheduler here
        async with plenary.sessions() as session:
            now = plenary.clock.now()
            draft = await announcements.draft(
                session, None, "cli", "The IGN meets on 3 February.", Audience("all"), now
            )
            await announcements.confirm(session, draft, now)
            await session.commit()

    dispatcher.before_last_look = queued_by_another_process
    (text,) = await sent_soon(Scheduler(dispatcher, tick=timedelta(minutes=5)), recorder, reader)
    assert text.startswith("Announcement from the Chair's office\nThe IGN meets on 3 February")
