"""Time zones: the reader's own time next to venue time, across daylight-saving changes."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.core.i18n import translator
from bot.core.messages import Incoming
from bot.core.timefmt import venue_and_reader_time
from storage.models import Account, Person


async def test_timezone_is_remembered_and_used(plenary):
    check = await plenary.ask("/timezone Europe/Paris")
    assert "Your time zone is now Europe/Paris; it is 18:00 Paris time." in check
    answer = await plenary.ask("when is the next meeting?")
    assert "Wednesday 3 February 2016, 10:00 New York time (16:00 Paris time)" in answer
    assert "Time zone: Europe/Paris" in await plenary.ask("/settings")


async def test_timezone_by_city_and_a_day_later(plenary):
    assert "Asia/Tokyo" in await plenary.ask("/timezone tokyo")
    answer = await plenary.ask("/next")
    assert "10:00 New York time (4 February 2016, 00:00 Tokyo time)" in answer


async def test_timezone_with_two_words(plenary):
    assert "Africa/Addis_Ababa" in await plenary.ask("/timezone Addis Ababa")


@pytest.mark.parametrize(
    ("city", "zone"),
    [("Geneva", "Europe/Zurich"), ("the Hague", "Europe/Amsterdam"), ("New Delhi", "Asia/Kolkata")],
)
async def test_timezone_by_a_city_that_names_no_zone(plenary, city, zone):
    assert zone in await plenary.ask(f"/timezone {city}")


async def test_each_reader_gets_their_own_time_even_from_the_cache(plenary):
    await plenary.ask("/timezone Europe/Paris", user="alice")
    assert "(16:00 Paris time)" in await plenary.ask("/next", user="alice")
    answer = await plenary.ask("/next", user="bob")
    assert "10:00 New York time\n" in answer
    assert "Paris" not in answer
    assert "(16:00 Paris time)" in await plenary.ask("/next", user="alice")


@pytest.mark.parametrize("zone", ["localtime", "Factory", "Etc/GMT+5", "posixrules"])
async def test_only_area_city_zones_are_accepted(plenary, zone):
    assert "is not a time zone I know" in await plenary.ask(f"/timezone {zone}")


async def test_a_language_babel_does_not_know_falls_back_to_english(plenary):
    reply = await plenary.core.answer(Incoming("telegram", "9", "/next", language="sh"))
    assert "Wednesday 3 February 2016" in reply.text


async def test_bad_time_zone_changes_nothing(plenary):
    await plenary.ask("/timezone Europe/Paris")
    assert "not a time zone I know" in await plenary.ask("/timezone Mars/Olympus")
    assert "Time zone: Europe/Paris" in await plenary.ask("/settings")


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # New York moved to EDT on 13 March 2016, Paris to CEST on 27 March: for two weeks
        # the gap is five hours, not six.
        (
            "2016-03-11T10:00:00-05:00",
            "Friday 11 March 2016, 10:00 New York time (16:00 Paris time)",
        ),
        (
            "2016-03-14T10:00:00-04:00",
            "Monday 14 March 2016, 10:00 New York time (15:00 Paris time)",
        ),
        (
            "2016-03-29T10:00:00-04:00",
            "Tuesday 29 March 2016, 10:00 New York time (16:00 Paris time)",
        ),
    ],
)
def test_daylight_saving_changes(instant, expected):
    text = venue_and_reader_time(
        datetime.fromisoformat(instant), "America/New_York", "Europe/Paris", translator("en")
    )
    assert text == expected


async def test_reading_writes_nothing_but_who_wrote(plenary):
    """The first message makes its sender a person Plenary may write back to; reading
    changes nothing else."""
    await plenary.ask("/next")
    for line in (
        "/next",
        "/meetings",
        "blah",
        "",
        "/position Narnia",
        "/timezone Mars/Olympus",
        "x" * 5000,
    ):
        await plenary.ask(line)
    async with plenary.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1
        assert await session.scalar(select(func.count()).select_from(Account)) == 1
        person = await session.scalar(select(Person))
        assert (person.timezone, person.language, person.lead_times) == (None, None, None)
