"""Reminders: on time, once, across restarts, moves, cancellations and daylight saving."""

import asyncio
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.answering import Core
from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from storage import reminders
from storage.database import create_engine, session_factory
from storage.files.programme_toml import parse_programme
from storage.importer import DEMO_FILE, import_programme
from storage.models import Delivery, DeliveryStatus, Subscription
from testkit.bulk import add_people
from testkit.service import ROOT
from tests.recorder import Recorder

PYTHON = [sys.executable]
FIRST_START = "start = 2016-02-03T10:00:00-05:00"


async def at(plenary, when: str) -> None:
    plenary.clock._instant = datetime.fromisoformat(when)


async def change_programme(plenary, *replacements: tuple[str, str]) -> None:
    """Import the demo programme with some lines changed, as an operator would."""
    text = DEMO_FILE.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    async with plenary.sessions() as session:
        await import_programme(session, parse_programme(text), plenary.clock.now())
        await session.commit()


async def count(plenary, model, *where) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_subscribing_shows_what_and_when(plenary):
    await at(plenary, "2016-01-15T12:00:00-05:00")
    answer = await plenary.ask("/subscribe")
    assert "You follow: all meetings" in answer
    assert "Reminded: 24 hours, 1 hour before each meeting" in answer
    assert (
        "Tuesday 2 February 2016, 10:00 New York time: 24 hours before the meeting of "
        "Wednesday 3 February 2016, 10:00 New York time"
    ) in answer
    answer = await plenary.ask("/subscribe veto, size and working methods")
    assert "You follow: all meetings" in answer
    await plenary.ask("/unsubscribe")
    assert "You follow no meetings" in await plenary.ask("/reminders")
    answer = await plenary.ask("/subscribe veto, size")
    assert (
        "You follow: meetings on the question of the veto; size of an enlarged Security "
        "Council and working methods of the Council"
    ) in answer
    # the only meetings on those issues have no time yet: nothing is planned
    assert "No reminder is due yet" in answer


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (
            "/subscribe nonsense-issue",
            "“nonsense-issue” is not a key issue. Choose among: "
            "categories, veto, regional, size, relationship.",
        ),
        ("/subscribe veto, banana", "“banana” is not a key issue"),
        ("/remind 0m", "“0m” is not a lead time I can use: give durations from 5m to 30d"),
        ("/remind 400d", "“400d” is not a lead time I can use"),
        ("/remind banana", "“banana” is not a lead time I can use"),
    ],
)
async def test_bad_subscriptions_and_lead_times_change_nothing(plenary, said, expected):
    await plenary.ask("/subscribe")
    before = await count(plenary, Delivery)
    assert expected in await plenary.ask(said)
    assert await count(plenary, Subscription) == 1
    assert await count(plenary, Delivery) == before
    assert "24 hours, 1 hour before each meeting" in await plenary.ask("/reminders")


async def test_own_lead_times(plenary):
    await at(plenary, "2016-01-15T12:00:00-05:00")
    await plenary.ask("/subscribe")
    answer = await plenary.ask("/remind 7d 1d 1h 15m")
    assert "Reminded: 7 days, 24 hours, 1 hour, 15 minutes before each meeting" in answer
    assert "Wednesday 27 January 2016, 10:00 New York time: 7 days before" in answer
    assert await count(plenary, Delivery) == 4
    assert "Reminded: 24 hours, 1 hour" in await plenary.ask("/remind default")
    assert await count(plenary, Delivery) == 2


async def test_a_reminder_is_sent_when_due_and_only_once(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-02T09:59:50-05:00")
    await plenary.ask("/subscribe")
    assert await dispatcher.run_until_idle() == 0
    plenary.clock.advance(timedelta(seconds=11))
    assert await dispatcher.run_until_idle() == 1
    (text,) = recorder.texts()
    assert "Reminder: IGN meeting in 24 hours" in text
    assert "Wednesday 3 February 2016, 10:00 New York time" in text
    assert "Trusteeship Council Chamber" in text and "late" not in text
    assert await dispatcher.run_until_idle() == 0
    assert len(recorder.sent) == 1


async def test_restart_across_due_times_sends_one_late_reminder(plenary, recorder):
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await plenary.ask("/subscribe")
    # Plenary stops; it starts again on 3 February at 09:30: both reminders are overdue.
    await at(plenary, "2016-02-03T09:30:00-05:00")
    restarted = Dispatcher(Core(plenary.sessions, plenary.clock), {"console": recorder})
    assert await restarted.run_until_idle() == 1
    (text,) = recorder.texts()
    assert "Reminder: IGN meeting in 1 hour" in text
    assert "This reminder is late: it was due at Wednesday 3 February 2016, 09:00" in text
    assert await count(plenary, Delivery, Delivery.status == DeliveryStatus.EXPIRED) == 1


async def test_never_a_reminder_after_the_meeting_started(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await plenary.ask("/subscribe")
    await at(plenary, "2016-02-03T10:01:00-05:00")
    assert await dispatcher.run_until_idle() == 0
    assert recorder.sent == []
    assert await count(plenary, Delivery, Delivery.status == DeliveryStatus.EXPIRED) == 2


async def test_a_moved_meeting_gets_a_notice_and_new_reminders(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await plenary.ask("/timezone Europe/Paris")
    await plenary.ask("/subscribe")
    await at(plenary, "2016-02-02T10:00:30-05:00")
    await dispatcher.run_until_idle()  # the 24-hour reminder
    await change_programme(
        plenary,
        (FIRST_START, "start = 2016-02-04T15:00:00-05:00"),
        (
            'room = "Trusteeship Council Chamber"\nkey_issues = ["relationship"]',
            'room = "Conference Room 4"\nkey_issues = ["relationship"]',
        ),
    )
    await dispatcher.run_until_idle()
    notice = recorder.texts()[-1]
    assert "Changed: IGN meeting of Thursday 4 February 2016" in notice
    assert (
        "Time: Wednesday 3 February 2016, 10:00 New York time (16:00 Paris time) → "
        "Thursday 4 February 2016, 15:00 New York time (21:00 Paris time)"
    ) in notice
    assert "Room: Trusteeship Council Chamber → Conference Room 4" in notice
    await at(plenary, "2016-02-03T09:00:30-05:00")  # the old one-hour reminder: gone
    assert await dispatcher.run_until_idle() == 0
    await at(plenary, "2016-02-03T15:00:30-05:00")  # 24 hours before the new time
    assert await dispatcher.run_until_idle() == 1
    assert "Thursday 4 February 2016, 15:00 New York time" in recorder.texts()[-1]
    assert len(recorder.sent) == 3


async def test_a_cancelled_meeting_drops_its_reminders_and_says_so(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await plenary.ask("/subscribe")
    await change_programme(
        plenary,
        (
            'key_issues = ["relationship"]\nsources = ["letter_20151211"',
            'key_issues = ["relationship"]\nstatus = "cancelled"\nsources = ["letter_20151211"',
        ),
    )
    await dispatcher.run_until_idle()
    (text,) = recorder.texts()
    assert "Cancelled: IGN meeting of Wednesday 3 February 2016" in text
    await at(plenary, "2016-02-03T09:30:00-05:00")
    assert await dispatcher.run_until_idle() == 0
    assert await count(plenary, Delivery, Delivery.kind == "reminder") == 0


async def test_a_time_announced_later_brings_its_reminders(plenary, dispatcher, recorder):
    await at(plenary, "2016-02-10T12:00:00-05:00")
    await plenary.ask("/subscribe size")
    assert "No reminder is due yet" in await plenary.ask("/reminders")
    await change_programme(
        plenary,
        (
            'key = "ign70-2"\ndate = 2016-02-22',
            'key = "ign70-2"\nstart = 2016-02-22T15:00:00-05:00',
        ),
    )
    answer = await plenary.ask("/reminders")
    assert "Sunday 21 February 2016, 15:00 New York time: 24 hours before" in answer
    await dispatcher.run_until_idle()
    # Told of the time at once, though no reminder had gone out yet (issue 18, item 3).
    (notice,) = recorder.texts()
    assert notice.startswith("Changed: IGN meeting of Monday 22 February 2016")
    assert "Time: to be announced → Monday 22 February 2016, 15:00 New York time" in notice


async def test_lead_times_count_elapsed_time_across_daylight_saving(plenary):
    await change_programme(
        plenary,
        (
            'key = "ign70-3"\ndate = 2016-03-09',
            'key = "ign70-3"\nstart = 2016-03-14T10:00:00-04:00',
        ),
    )
    await at(plenary, "2016-03-01T12:00:00-05:00")
    await plenary.ask("/timezone Europe/Paris")
    answer = await plenary.ask("/subscribe veto")
    # New York moved to summer time on 13 March, Paris only on 27 March.
    assert (
        "Sunday 13 March 2016, 10:00 New York time (15:00 Paris time): 24 hours before "
        "the meeting of Monday 14 March 2016, 10:00 New York time"
    ) in answer
    async with plenary.sessions() as session:
        due = await session.scalar(select(func.min(Delivery.due_at)))
    assert due == datetime.fromisoformat("2016-03-13T14:00:00+00:00")


async def test_reminders_reach_a_linked_person_once_on_their_platform(plenary, recorder):
    await at(plenary, "2016-02-02T09:00:00-05:00")
    telegram, slack = Recorder(), Recorder()
    incoming = Incoming("telegram", "501", "/link", direct_chat_id="501")
    code = (await plenary.core.answer(incoming)).text.split("code: ")[1][:9]
    await plenary.core.answer(Incoming("slack", "U1", f"/link {code}", direct_chat_id="DU1"))
    await plenary.core.answer(Incoming("slack", "U1", "/subscribe", direct_chat_id="DU1"))
    await at(plenary, "2016-02-02T10:00:30-05:00")
    both = Dispatcher(plenary.core, {"telegram": telegram, "slack": slack})
    assert await both.run_until_idle() == 1
    assert (len(telegram.sent), len(slack.sent)) == (0, 1)  # Slack: where they linked from


async def test_two_processes_on_postgresql_send_each_reminder_once(pg_cluster, pg_template):
    if pg_cluster is None:
        pytest.skip("PostgreSQL is not installed on this machine")
    url = await pg_cluster.create_database("two_dispatchers", pg_template)
    now = datetime.fromisoformat("2016-02-02T09:00:00-05:00")
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            await add_people(session, 2000, now, "console", [1440], subscribed=True)
            assert await reminders.plan_all(session, now) == 2000
            await session.commit()
        due = (now + timedelta(hours=1, seconds=1)).isoformat()
        workers = [
            await asyncio.create_subprocess_exec(
                *PYTHON,
                "-m",
                "tests.dispatch_worker",
                url,
                due,
                cwd=ROOT,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for worker in workers:
            assert (await worker.stdout.readline()).strip() == b"ready"
        for worker in workers:
            worker.stdin.write(b"go\n")
            await worker.stdin.drain()
        outputs = [(await w.communicate())[0].decode().split() for w in workers]
        sent = [account for output in outputs for account in output]
        assert len(sent) == 2000 and len(set(sent)) == 2000
        assert all(outputs), "one process did all the work"
        async with session_factory(engine)() as session:
            statuses = set(await session.scalars(select(Delivery.status)))
        assert statuses == {DeliveryStatus.SENT}
    finally:
        await engine.dispose()
