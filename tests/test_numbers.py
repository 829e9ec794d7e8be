"""Every number from a user is bounded, with a clear answer that changes nothing; no instant
past the year 9999 in UTC is ever made (Python's datetime ends there)."""

import logging
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.core.dates import NoSuchDay, find_date
from bot.core.messages import Incoming
from bot.render.plain import render_plain
from storage.models import Meeting, Person, Role
from tests.test_cli import plenary as cli
from tests.test_roles import invitation

TODAY = date(2016, 1, 15)


async def say(plenary, text: str, user: str = "chair") -> str:
    return render_plain(await plenary.core.answer(Incoming("console", user, text, chat_id=user)))


@pytest.fixture
async def chair(plenary):
    await say(plenary, f"/register {await invitation(plenary, Role.CHAIR)}")
    return plenary


async def meetings(plenary) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Meeting))


def no_error_logged(caplog) -> None:
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_lead_time_too_large_for_any_clock(plenary, caplog):
    """Issue 15, item 7: `/remind 99999999999999999999999m` raised OverflowError."""
    await say(plenary, "/remind 2h", user="d")
    answer = await say(plenary, "/remind 99999999999999999999999m", user="d")
    assert "is not a lead time I can use: give durations from 5m to 30d" in answer
    async with plenary.sessions() as session:
        assert await session.scalar(select(Person.lead_times)) == [120]
    no_error_logged(caplog)


@pytest.mark.parametrize(
    ("added", "answer"),
    [
        ("9999-12-31 23:59", "There is no such day as “9999-12-31”."),  # 10000 in UTC
        ("1 January 10000 10:00", "There is no such day as “1 january 10000”."),
        ("7 March 2016 25:00", "“25:00” is not a time of day."),
        ("7 March 2016 10:75", "“10:75” is not a time of day."),
        ("7 March 2016 13 p.m.", "“13 p.m.” is not a time of day."),
    ],
)
async def test_a_meeting_beyond_the_calendar_or_the_clock_is_refused(chair, caplog, added, answer):
    """Issue 15, item 7: 9999-12-31 23:59 was "temporarily unavailable" (OverflowError in the
    database layer), 25:00 stored as "to be announced", 10000 read as the year 1000."""
    before = await meetings(chair)
    assert answer in await say(chair, f"/addmeeting {added}; Conference Room 4; veto")
    assert await meetings(chair) == before
    no_error_logged(caplog)


async def test_a_meeting_moved_beyond_the_calendar_is_refused(chair, caplog):
    assert "There is no such day" in await say(chair, "/editmeeting ign70-2 date 9999-12-31")
    assert "“24:00” is not a time of day." in await say(chair, "/editmeeting ign70-2 time 24:00")
    assert "21 March 2016" not in await say(chair, "/meeting ign70-2")
    no_error_logged(caplog)


def test_years_are_read_whole():
    with pytest.raises(NoSuchDay):
        find_date("1 January 10000", TODAY)
    with pytest.raises(NoSuchDay):
        find_date("December 31, 9999", TODAY)
    assert find_date("1 January 1000", TODAY) == date(1000, 1, 1)
    assert find_date("30 December 9999", TODAY) == date(9999, 12, 30)


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        ("9999999999999d", "--expires: '9999999999999d' is longer than any clock counts"),
        ("0m", "--expires: give a lifetime from 1m to 365d"),
        ("366d", "--expires: give a lifetime from 1m to 365d"),
        ("soon", "--expires: 'soon' is not a duration like 15m, 1h or 7d; give a lifetime"),
    ],
)
def test_an_invitation_lives_between_a_minute_and_a_year(tmp_path, expires, message):
    """Issue 15, item 7: `--expires 9999999999999d` was a traceback, `0m` a code born dead."""
    result = cli("invite", "--role", "chair", "--expires", expires, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert "give a lifetime from 1m to 365d" in result.stderr
    assert "Traceback" not in result.stderr and not re.search(
        r"[A-Z2-9]{4}-[A-Z2-9]{4}", result.stdout
    )


def test_a_clock_set_past_the_calendar_is_refused(tmp_path):
    result = cli("chat", "--as-of", "9999-12-31T23:59-05:00", cwd=tmp_path, stdin="/next\n")
    assert result.returncode == 2 and "--as-of" in result.stderr
    assert "Traceback" not in result.stderr
