"""Snooze and coverage: a reminder snoozed once, never past the start; members of a delegation
say who covers a meeting, and its focal point hears of meetings nobody covers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.messages import Incoming
from storage.models import Account, Coverage, Delivery, Meeting, Person
from tests.test_announcements import make_chair, make_focal_point, says
from tests.test_reminders import at


async def buttons(plenary, user: str, text: str) -> dict[str, str]:
    reply = await plenary.core.answer(Incoming("console", user, text, chat_id=user))
    return {b.label: b.command for row in reply.buttons for b in row}


async def count(plenary, model, *where) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_a_reminder_snoozed_comes_again_once(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-03T08:59:00-05:00")
    await says(plenary, "delegate", "/subscribe")
    plenary.clock.advance(timedelta(minutes=1))  # 09:00: the reminder an hour before
    await dispatcher.run_until_idle()
    (reminder,) = recorder.texts()
    assert "Reminder: IGN meeting in 1 hour" in reminder
    pressed = "/snooze ign70-1 15 60"
    assert "again at Wednesday 3 February 2016, 09:15" in await says(plenary, "delegate", pressed)
    assert "once" in await says(plenary, "delegate", pressed)
    assert await count(plenary, Delivery, Delivery.key.like("%snooze%")) == 1
    plenary.clock.advance(timedelta(minutes=14))
    assert await dispatcher.run_until_idle() == 0
    plenary.clock.advance(timedelta(minutes=1))
    assert await dispatcher.run_until_idle() == 1
    assert "Reminder: IGN meeting in 45 minutes" in recorder.texts()[-1]
    # 09:15: an hour more would be past the start.
    assert "starts before then" in await says(plenary, "delegate", "/snooze ign70-1 60 45")
    assert "Nothing was done" in await says(plenary, "delegate", "/snooze ign70-1 7")
    assert await count(plenary, Delivery, Delivery.key.like("%snooze%")) == 1


async def test_snooze_buttons_never_reach_past_the_start(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-03T09:29:00-05:00")
    await says(plenary, "delegate", "/remind 30m")
    await says(plenary, "delegate", "/subscribe")
    plenary.clock.advance(timedelta(minutes=1))
    async with plenary.sessions() as session:
        claimed = await session.scalar(select(Delivery).where(Delivery.kind == "reminder"))
        account = await session.get(Account, claimed.account_id)
        person = await session.get(Person, account.person_id)
        meeting = await session.get(Meeting, claimed.meeting_id)
        reply = await plenary.core.notice(session, claimed, account, person, meeting)
    labels = [b.label for row in reply.buttons for b in row]
    assert "Remind me again in 15 min" in labels
    assert "Remind me again in 1 h" not in labels  # 30 minutes before the start


async def test_members_say_who_covers_and_the_focal_point_hears_of_gaps(
    plenary, dispatcher, recorder
):
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await make_chair(plenary)
    await make_focal_point(plenary, "brazil-fp", "Brazil")
    assert "/delegation NAME" in await says(plenary, "outsider", "/coverage")
    assert "/delegation NAME" in await says(plenary, "outsider", "/cover ign70-1 yes")
    assert "Nobody covers it yet." in await says(plenary, "brazil-fp", "/coverage")
    shown = await buttons(plenary, "brazil-fp", "/meeting ign70-1")
    assert shown["I'll cover it"] == "/cover ign70-1 yes"
    assert "I'll cover it" not in await buttons(plenary, "outsider", "/meeting ign70-1")
    # The focal point's day-before reminder says nobody covers it.
    await says(plenary, "brazil-fp", "/subscribe")
    await at(plenary, "2016-02-02T10:00:00-05:00")
    await dispatcher.run_until_idle()
    (reminder,) = recorder.texts("brazil-fp")
    assert "Nobody in Brazil has said they will cover this meeting." in reminder
    answer = await says(plenary, "brazil-fp", "/cover ign70-1 maybe")
    assert "a member: maybe" in answer
    assert "Nobody covers it yet." in answer
    answer = await says(plenary, "brazil-fp", "/cover ign70-1 yes")
    assert "covers it" in answer and "Nobody covers it yet." not in answer
    assert await count(plenary, Coverage) == 1
    assert "Nothing was done" in await says(plenary, "brazil-fp", "/cover ign70-1 perhaps")
    assert await count(plenary, Coverage) == 1
    asked = await says(plenary, "brazil-fp", "who covers the meeting on 3 February?")
    assert "Coverage: Brazil" in asked and "a member: covers it" in asked
