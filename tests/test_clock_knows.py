"""The clock decides what is known: positions, their versions and sources, searches and
documents dated after the programme's day are not shown (issue 18, item 11)."""

from datetime import date

from sqlalchemy import select

from storage import positions
from storage.models import Delegation, KeyIssue
from tests.conftest import DEMO_NOW
from tests.test_announcements import make_focal_point, says

G4_ON_VETO = "new permanent members should have it while it exists"  # stated 9 March 2016
FIRST = "Brazil asks for the veto for every new permanent member."
LATER = "Brazil would defer the use of the veto until a review."


async def test_a_position_stated_later_is_not_shown_until_the_clock_reaches_it(plenary):
    before = await plenary.ask("/position G4 veto")
    assert "G4: no position on the question of the veto on record." in before
    assert G4_ON_VETO not in before and "9 March 2016" not in before
    plenary.at("2016-03-10T09:00:00-05:00")
    after = await plenary.ask("/position G4 veto")
    assert G4_ON_VETO in after and "Stated 9 March 2016" in after
    assert "Statement by the Permanent Representative of India" in after


async def test_positions_on_an_issue_are_those_stated_by_then(plenary):
    veto = await plenary.ask("/positions veto")
    assert "all prerogatives including the veto" in veto and "Stated 30 October 2015" in veto
    assert "African Group" in veto
    assert "G4" not in veto and G4_ON_VETO not in veto
    plenary.at("2016-03-10T09:00:00-05:00")
    assert G4_ON_VETO in await plenary.ask("/positions veto")


async def test_who_submitted_counts_only_positions_stated_by_then(plenary):
    answer = await plenary.ask("who hasn't submitted a position on the veto?")
    assert "Submitted: African Group" in answer and "and G4" not in answer
    assert "G4" in answer.split("Groups that have not: ", 1)[1]


async def test_a_source_dated_later_is_not_cited(plenary):
    early = await plenary.ask("/position African Group veto")
    assert "GA/11715" in early
    assert "Source:\n" in early and "Sources:" not in early, "one source known by then"
    assert "African Union Assembly decision" not in early and "au_20" not in early
    plenary.at("2019-03-01T12:00:00-05:00")
    late = await plenary.ask("/position African Group veto")
    assert "Sources:" in late
    assert "decision 617, 18 July 2016" in late and "decision 724, 11 February 2019" in late


async def test_a_meeting_cites_only_the_sources_issued_by_then(plenary):
    early = await plenary.ask("/meeting ign70-1")
    assert "Letter of the Chair of the IGN, 11 December 2015" in early
    assert "remarks at the IGN, 3 February 2016" not in early
    plenary.at("2016-02-04T12:00:00-05:00")
    assert "remarks at the IGN, 3 February 2016" in await plenary.ask("/meeting ign70-1")


async def test_documents_issued_later_are_not_listed_or_sent(plenary):
    listed = await plenary.ask("/documents")
    assert "Letter of the Chair of the IGN, 11 December 2015" in listed
    assert "2 May 2016" not in listed and "in_0309" not in listed
    assert "No document “in_0309” is on record." in await plenary.ask("/documents in_0309")
    plenary.at("2016-03-10T09:00:00-05:00")
    assert "Statement by the Permanent Representative of India" in await plenary.ask(
        "/documents in_0309"
    )


async def test_history_search_and_position_leave_out_a_version_stated_later(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    for text in (FIRST, LATER):
        assert "Preview:" in await says(plenary, "brazil", f"/submit veto {text}")
        assert "Submitted:" in await says(plenary, "brazil", "/submit confirm")
        plenary.at("2016-03-10T09:00:00-05:00")  # the second is stated on 10 March
    plenary.at("2016-01-15T12:00:00-05:00")
    history = await plenary.ask("/history Brazil veto")
    assert "Version 1 · 15 January 2016" in history and "Version 2" not in history
    shown = await plenary.ask("/position Brazil veto")
    assert FIRST in shown and LATER not in shown and "version 2" not in shown
    assert "No position mentions “review”." in await plenary.ask("/search review")
    assert "Brazil" in await plenary.ask("/search every new permanent member")
    plenary.at("2016-03-10T09:00:00-05:00")
    assert "Version 2 · 10 March 2016" in await plenary.ask("/history Brazil veto")
    assert "Brazil" in await plenary.ask("/search review")


async def test_a_search_does_not_find_words_said_only_later(plenary):
    early = await plenary.ask("who mentions longer-term seats?")  # UfC, 2 May 2016
    assert "Uniting for Consensus" not in early
    plenary.at("2016-05-03T09:00:00-05:00")
    late = await plenary.ask("who mentions longer-term seats?")
    assert "Uniting for Consensus" in late and "longer-term" in late


async def test_reminders_count_the_versions_stated_by_then_and_undated_ones(session):
    """The count a meeting's reminder gives ("n positions since the last meeting")."""
    veto = await session.scalar(select(KeyIssue.id).where(KeyIssue.key == "veto"))
    brazil = await session.scalar(select(Delegation.id).where(Delegation.key == "brazil"))
    await positions.add_version(session, brazil, veto, "Undated.", None, [], None, DEMO_NOW)
    today = DEMO_NOW.date()
    assert await positions.count_since(session, veto, None, today) == 2, "African Group, Brazil"
    assert await positions.count_since(session, veto, None, date(2016, 3, 10)) == 3, "and G4"
    assert await positions.count_since(session, veto, date(2016, 1, 1), date(2016, 3, 10)) == 1
