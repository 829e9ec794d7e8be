"""Reading the meetings a Chair's letter announces: dates, times, rooms and key issues."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.letters import IssueName, LetterError, ProposedMeeting, propose_meetings

SQLITE_ONLY = True
ZONE = "America/New_York"
ISSUES = [
    IssueName("categories", "Categories of membership"),
    IssueName("veto", "The question of the veto", aliases=("veto",)),
    IssueName("regional", "Regional representation"),
    IssueName("size", "Size of an enlarged Security Council and working methods of the Council"),
    IssueName("relationship", "Relationship between the Council and the General Assembly"),
]

# The Chair's letter of 11 December 2015 under the President's cover letter (shared/reference).
REFERENCE_LETTER = """

14 December 2015

Excellency,

Pursuant to my letter dated 23 October 2015, in which I informed Member States of the appointment \
of H.E. Sylvie Lucas, Permanent Representative of Luxembourg, as Chair of the Intergovernmental \
Negotiations on Security Council reform (IGN), I have the honour to enclose herewith a letter from \
H.E. Ambassador Lucas concerning the resumption of the meetings of the IGN.

I followed with close interest the views expressed at the plenary debate on 30 October 2015. I now \
look forward to your active participation and cooperation in the proceedings of the \
Intergovernmental Negotiations during this session.

Please accept, Excellency, the assurances of my highest consideration.

Mogens Lykketoft

To All Permanent Representatives to the United Nations
New York



New York, 11 December 2015

Excellency,

On 23 October 2015, the President of the 70<sup>th</sup> session of the United Nations General \
Assembly, H.E. Mr. Mogens Lykketoft, appointed me as Chair of the Intergovernmental Negotiations \
on Security Council reform (IGN). I am deeply honoured by the trust that President Lykketoft has \
placed in me. Be assured that I will do my utmost to be worthy of it.

Through conversations with Member States and groups of States since my appointment, I have been \
hearing a genuine willingness from delegations to use the 70<sup>th</sup> session to engage in \
substantive negotiations. I wish to thank Member States for the support they have expressed for \
our continuing work.

At the plenary meeting of the General Assembly on 30 October 2015, the President of the General \
Assembly encouraged all of us to continue moving the reform process forward, pursuant to General \
Assembly Decision 69/560 of 14 September 2015, in particular on the basis of the text and its \
annex circulated by his predecessor in his letter dated 31 July 2015.

I intend to continue the IGN in the 70<sup>th</sup> session with this in mind, placing the \
positions and proposals of Member States in the centre of our discussions. As such, I envision a \
series of meetings to comprehensively cover the five key issues set out in General Assembly \
Decision 62/557 of 15 September 2008, using the above-mentioned text and its annex to spark \
constructive and substantive engagement towards seeking convergences in the positions and \
proposals of Member States.

I have the pleasure to inform you that the next meeting of the IGN will be held on Wednesday \
February 3, 2016 at 10am in the Trusteeship Council Chamber. The meeting will be focused on the \
key issue of the relationship between the Council and the General Assembly with the aim of \
identifying areas of convergence between the positions and proposals of Member States on that \
particular key issue.

With the same aim in mind, subsequent meetings will focus on the other key issues beginning with \
the size of an enlarged Security Council and working methods of the Council. Additional meetings \
of a more informal nature could also be held as a follow up to our discussions as appropriate. As \
the series of meetings unfolds, we will of course remain mindful of the comprehensive approach \
outlined in General Assembly Decision 62/557, and the interlinkages between all five key issues.

As we continue our work, I would invite Member States to transmit any updates to the \
above-mentioned text and its annex, areas of convergence, or any new positions and proposals.

I would like to emphasise that my door always remains open. I strongly encourage Member States \
and groups of States to be proactive in reaching out to me to discuss any and all issues related \
to the IGN, while also reaching out to each other in preparation for a substantive and \
interactive engagement within the framework of the IGN.

Please accept, Excellency, the assurances of my highest consideration.

Sylvie Lucas

Ambassador, Permanent Representative Chair of the Intergovernmental Negotiations on \
Security Council reform

To: All Permanent Representatives and Permanent Observers to the United Nations
New York
"""


def summary(proposal: ProposedMeeting) -> tuple[date, str | None, str | None, tuple[str, ...]]:
    """A proposal's day, start as a UTC instant, room and key issues."""
    start = proposal.start.astimezone(UTC).isoformat() if proposal.start else None
    return proposal.local_date, start, proposal.room, proposal.issue_keys


def read(text: str, written_on: date | None = None) -> list[tuple]:
    return [summary(proposal) for proposal in propose_meetings(text, ISSUES, ZONE, written_on)]


def test_reference_letter_announces_the_meeting_on_the_relationship():
    [proposal] = propose_meetings(REFERENCE_LETTER, ISSUES, ZONE)
    assert proposal == ProposedMeeting(
        local_date=date(2016, 2, 3),
        start=datetime(2016, 2, 3, 10, tzinfo=ZoneInfo(ZONE)),
        room="Trusteeship Council Chamber",
        issue_keys=("relationship",),
        excerpt="I have the pleasure to inform you that the next meeting of the IGN will be held "
        "on Wednesday February 3, 2016 at 10am in the Trusteeship Council Chamber.",
    )
    assert proposal.start == datetime(2016, 2, 3, 15, tzinfo=UTC)
    assert str(proposal.start.tzinfo) == ZONE


def test_one_sentence_with_time_room_and_issue():
    text = (
        "The next meeting will take place on 3 February 2016 at 10 a.m. in Conference Room 4 "
        "and will focus on the question of the veto."
    )
    assert read(text) == [
        (date(2016, 2, 3), "2016-02-03T15:00:00+00:00", "Conference Room 4", ("veto",))
    ]


def test_year_from_the_letters_date_and_earlier_meetings_left_out():
    text = (
        "New York, 17 February 2016\n\nExcellency,\n\nFurther to our meeting held on 3 February "
        "2016, I wish to inform you that the IGN will meet on Monday, February 29th, at 15:00 in "
        "the Economic and Social Council Chamber. The meeting will be devoted to regional "
        "representation."
    )
    assert read(text) == [
        (
            date(2016, 2, 29),
            "2016-02-29T20:00:00+00:00",
            "Economic and Social Council Chamber",
            ("regional",),
        )
    ]


def test_two_meetings_in_one_sentence_either_side_of_daylight_saving():
    text = (
        "The first meeting will be held on 7 March 2016 from 10 a.m. to 1 p.m. in the General "
        "Assembly Hall on categories of membership, and the second on Monday, 14 March 2016 at "
        "3.30 p.m. in Conference Room 1 on the question of the veto."
    )
    assert read(text) == [
        (date(2016, 3, 7), "2016-03-07T15:00:00+00:00", "General Assembly Hall", ("categories",)),
        (date(2016, 3, 14), "2016-03-14T19:30:00+00:00", "Conference Room 1", ("veto",)),
    ]


def test_two_meetings_in_two_sentences():
    text = (
        "The IGN will meet on 22 March 2016 at noon in the ECOSOC Chamber on the size of an "
        "enlarged Security Council and working methods of the Council. A further meeting is "
        "scheduled for the 1st of April 2016 in the Trusteeship Council Chamber, devoted to the "
        "relationship between the Council and the General Assembly and to the veto."
    )
    assert read(text) == [
        (date(2016, 3, 22), "2016-03-22T16:00:00+00:00", "ECOSOC Chamber", ("size",)),
        (
            date(2016, 4, 1),
            None,
            "Trusteeship Council Chamber",
            ("relationship", "veto"),
        ),
    ]


def test_a_date_without_a_time_gives_no_start():
    text = "The next informal consultation of the IGN is scheduled for 12 April 2016."
    assert read(text) == [(date(2016, 4, 12), None, None, ())]


def test_a_date_without_a_year_is_the_first_on_or_after_written_on():
    text = "The IGN will meet again on 5 January at 10:00 in the Delegates Dining Room."
    assert read(text, written_on=date(2015, 12, 20)) == [
        (date(2016, 1, 5), "2016-01-05T15:00:00+00:00", "Delegates Dining Room", ())
    ]


def test_a_date_without_a_year_needs_a_year_from_somewhere():
    with pytest.raises(LetterError, match="give the year"):
        propose_meetings("The IGN will meet again on 5 January.", ISSUES, ZONE)


def test_issues_of_subsequent_meetings_are_not_the_dated_meetings():
    text = (
        "The next meeting will be held on 3 February 2016 at 10am; subsequent meetings will "
        "address regional representation. Subsequent meetings will focus on the question of "
        "the veto."
    )
    assert read(text) == [(date(2016, 2, 3), "2016-02-03T15:00:00+00:00", None, ())]


def test_a_meeting_named_again_is_one_meeting():
    text = (
        "20 January 2016\n\nThe IGN will meet on 3 February 2016 at 3 p.m. The meeting on "
        "3 February will take place in Conference Room 12 and will focus on categories of "
        "membership."
    )
    assert read(text) == [
        (date(2016, 2, 3), "2016-02-03T20:00:00+00:00", "Conference Room 12", ("categories",))
    ]


@pytest.mark.parametrize(
    "day",
    [
        "Wednesday February 3, 2016",
        "3 February 2016",
        "Wednesday, 3 February 2016",
        "February 3rd, 2016",
        "3rd of February 2016",
        "Feb. 3, 2016",
    ],
)
def test_ways_of_writing_the_day(day):
    [proposal] = propose_meetings(f"The IGN will convene on {day}.", ISSUES, ZONE)
    assert proposal.local_date == date(2016, 2, 3)


@pytest.mark.parametrize(
    ("said", "hour", "minute"),
    [
        ("at 10am", 10, 0),
        ("at 10 a.m.", 10, 0),
        ("at 10:00", 10, 0),
        ("at 15:00", 15, 0),
        ("at 3 p.m.", 15, 0),
        ("at 3.30 p.m.", 15, 30),
        ("from 10 a.m. to 1 p.m.", 10, 0),
        ("from 3 to 6 p.m.", 15, 0),
        ("from 11 to 1 p.m.", 11, 0),
        ("at 10.00", 10, 0),
        ("at noon", 12, 0),
        ("at 12 p.m.", 12, 0),
    ],
)
def test_ways_of_writing_the_time(said, hour, minute):
    [proposal] = propose_meetings(f"The IGN will meet on 3 February 2016 {said}.", ISSUES, ZONE)
    assert proposal.start == datetime(2016, 2, 3, hour, minute, tzinfo=ZoneInfo(ZONE))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "New York, 11 December 2015\n\nExcellency,\n\nI followed with close interest the views "
        "expressed at the plenary debate on 30 October 2015. I will keep you informed of the next "
        "meeting.",
        "The IGN will continue on the basis of Decision 62/557 of 15 September 2008, my letter "
        "dated 23 October 2015 and my letter of 3 January 2016.",
    ],
    ids=["empty", "past-dates-only", "cited-dates-only"],
)
def test_a_letter_without_an_announced_meeting(text):
    with pytest.raises(LetterError, match="no meeting date"):
        propose_meetings(text, ISSUES, ZONE)


def test_a_meeting_of_a_date_is_not_a_citation():
    text = "The meeting of 3 February 2016 will now be held in the Security Council Chamber."
    assert read(text) == [(date(2016, 2, 3), None, "Security Council Chamber", ())]


def test_a_day_the_calendar_does_not_have():
    with pytest.raises(LetterError, match="not a day in the calendar"):
        propose_meetings("The next meeting will be held on 30 February 2016.", ISSUES, ZONE)
