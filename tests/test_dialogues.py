"""Dialogue tables over the terminal: what a delegate types, and what the answer must contain."""

import pytest

from storage import meetings
from storage.files.programme_toml import parse_programme
from storage.importer import DEMO_FILE, import_programme

# (what the delegate says, fragments the answer must contain)
MEETINGS = [
    (
        "when is the next meeting?",
        [
            "Next meeting",
            "Wednesday 3 February 2016",
            "10:00 New York time",
            "Trusteeship Council Chamber",
            "the relationship between the Council and the General Assembly",
        ],
    ),
    ("/next", ["Wednesday 3 February 2016, 10:00 New York time", "in 3 weeks"]),
    (
        "what's on 22 February?",
        [
            "Meetings on Monday 22 February 2016",
            "time to be announced",
            "Room: to be announced",
            "size of an enlarged Security Council",
        ],
    ),
    (
        "/meetings",
        [
            "Upcoming meetings",
            "Wednesday 3 February 2016",
            "Monday 22 February 2016",
            "Wednesday 9 March 2016",
            "Monday 2 May 2016",
            "Wednesday 1 June 2016",
        ],
    ),
    (
        "/meetings 2 May",
        ["Meetings on Monday 2 May 2016", "categories of membership", "regional representation"],
    ),
    (
        "/meeting ign70-3",
        [
            "Wednesday 9 March 2016, time to be announced",
            "Room: Trusteeship Council Chamber",
            "the question of the veto",
        ],
    ),
    (
        "/meeting ign70-1",
        ["Sources:", "Letter of the Chair of the IGN, 11 December 2015", "Reference: ign70-1"],
    ),
    (
        "/meeting 1 June",
        ["Follow-up on the Chair's 'elements of convergence' paper", "time to be announced"],
    ),
    ("/meeting 4 July", ["No meeting on Monday 4 July 2016"]),
    ("/meeting ign99", ["I know no meeting called “ign99”"]),
    ("what's on 5 February?", ["No meeting on Friday 5 February 2016"]),
    (
        "when is the meeting after next?",
        ["Meeting after next", "Monday 22 February 2016", "time to be announced"],
    ),
    ("meetings in February", ["Meetings in February 2016", "Wednesday 3 February 2016"]),
    ("meetings in April", ["No meeting in April 2016"]),
    (
        "any meetings next week?",
        ["No meeting from Monday 18 January 2016 to Sunday 24 January 2016"],
    ),
    ("next meeting in Geneva time?", ["10:00 New York time", "16:00 Geneva time"]),
    ("when is the veto discussed?", ["Meetings on the question of the veto", "9 March 2016"]),
]

POSITIONS = [
    (
        "/history African Group veto",
        ["History: African Group", "on the question of the veto", "Version 1 · 30 October 2015"],
    ),
    (
        "/position Brazil categories",
        [
            "Brazil: no position of its own on record; its groups' positions:",
            "G4 on categories of membership",
            "Expansion in both the permanent and non-permanent categories",
        ],
    ),
    ("/position France veto", ["France: no position on the question of the veto on record."]),
    (
        "/compare G4 and African Group on categories",
        ["G4 and African Group", "on categories of membership", "text-based", "two permanent"],
    ),
    (
        "who mentions text-based negotiations?",
        ["1 position mentions “text-based negotiations”", "G4 · categories of membership"],
    ),
    (
        "what does the G4 say about regional representation?",
        [
            "G4 on regional representation",
            "New permanent seats for Africa, Asia-Pacific",
            "Stated 1 April 2014",
            "G4 statement, 1 April 2014",
        ],
    ),
    (
        "what does the African Group say about the veto?",
        [
            "African Group",
            "on the question of the veto",
            "all prerogatives including the veto",
            "Stated 30 October 2015",
            "GA/11715",
        ],
    ),
    (
        "positions on regional representation",
        ["Positions on regional representation", "African Group", "G4: New permanent seats"],
    ),
    (
        "/positions veto",
        ["Positions on the question of the veto", "African Group", "including the veto"],
    ),
    (
        "/position G4",
        ["G4 on categories of membership", "G4 on regional representation", "G4 statement"],
    ),
    (
        "/position ACT size",
        [
            "ACT (Accountability, Coherence and Transparency) on size of an "
            "enlarged Security Council",
            "Code of Conduct",
            "23 October 2015",
        ],
    ),
    ("/position Brazil", ["Brazil: no position of its own", "G4 on categories of membership"]),
    ("/position France", ["France: no position on record yet."]),
    (
        "what does the G4 say about the relationship?",
        ["G4: no position on the relationship between the Council and the General Assembly"],
    ),
    ("what does Ezulwini say on categories?", ["African Group", "categories of membership"]),
    ("what does the african group say about the vetto", ["on the question of the veto"]),
    (
        "positions on the size of the council",
        ["Positions on size of an enlarged Security Council", "ACT"],
    ),
    ("/positions", ["Which key issue?", "categories of membership"]),
    ("/positions nonsense", ["I know no key issue called “nonsense”"]),
    ("/position Narnia", ["I know no State or group called “Narnia”"]),
    ("/position", ["Which State or group?"]),
]

ISSUES_AND_GROUPS = [
    (
        "/issues",
        [
            "Key issues",
            "categories of membership",
            "the question of the veto",
            "regional representation",
            "size of an enlarged Security Council and working methods of the Council",
            "the relationship between the Council and the General Assembly",
        ],
    ),
    (
        "tell me about size and working methods",
        [
            "size of an enlarged Security Council and working methods of the Council",
            "proposals range roughly 21-27",
            "Monday 22 February 2016",
            "ACT",
        ],
    ),
    (
        "/issue veto",
        ["the question of the veto", "Wednesday 9 March 2016", "Positions on record: African"],
    ),
    (
        "who is in UfC?",
        [
            "Uniting for Consensus (UfC)",
            "12 members",
            "Italy",
            "Pakistan",
            "Türkiye",
            "2016 roster is unverified",
        ],
    ),
    ("who is in uniting 4 consensus", ["Uniting for Consensus (UfC)", "12 members"]),
    ("/group ACT", ["25 members", "Liechtenstein", "Membership as of September 2015"]),
    ("/group Italy", ["Groups Italy belongs to", "Uniting for Consensus (UfC)"]),
    ("/group Turkey", ["Groups Türkiye belongs to"]),
    ("which groups is Costa Rica in?", ["Groups Costa Rica belongs to", "ACT", "Uniting for"]),
    ("what is the L.69 group?", ["L.69 Group", "Cross-regional developing countries"]),
    (
        "compare the G4 and the African Group on regional representation",
        ["G4 and African Group", "on regional representation", "seats for Africa, Asia"],
    ),
    (
        "who hasn't submitted a position on the veto?",
        ["Submitted: African Group", "Groups that have not: ", "Arab Group, G4, L.69"],
    ),
    (
        "/group L.69",
        ["L.69 Group", "No list of members is on record", "full 2016 roster unverified"],
    ),
    (
        "/groups",
        [
            "G4",
            "Uniting for Consensus (UfC)",
            "L.69 Group",
            "African Group",
            "Arab Group",
            "ACT (Accountability",
        ],
    ),
]

GENERAL = [
    (
        "/start",
        [
            "Welcome to Plenary",
            "Intergovernmental Negotiations on Security Council reform",
            "/next",
            "/issues",
            "/settings",
        ],
    ),
    ("hello", ["Welcome to Plenary"]),
    (
        "/help",
        [
            "/next [NUMBER]",
            "/meetings [DATE | WEEK | MONTH | ISSUE]",
            "/position STATE-OR-GROUP [ISSUE]",
            "/timezone ZONE",
        ],
    ),
    ("what can you do?", ["What I can do"]),
    ("/settings", ["Your settings", "Time zone: not set", "Language: English", "Role: delegate"]),
    ("/nxt", ["I don't know the command /nxt", "Did you mean: /next"]),
    ("/NEXT", ["Next meeting"]),
    ("/next@PlenaryBot", ["Next meeting"]),
    ("blah blah", ["Sorry, I didn't understand that", "/help"]),
]

BAD_INPUT = [
    ("", ["Ask me something"]),
    ("   \t  ", ["Ask me something"]),
    ("\x00\x07\x1b[31m", ["Sorry, I didn't understand that"]),
    ("when is the next\x00\x07 meeting?", ["Wednesday 3 February 2016"]),
    ("x" * 100_000, ["That message is too long (100,000 characters)"]),
    ("1' OR '1'='1", ["Sorry, I didn't understand that"]),
    ("'; DROP TABLE meetings; --", ["Upcoming meetings", "Wednesday 1 June 2016"]),
    ("/position ' OR 1=1 --", ["I know no State or group called"]),
    ("ما هو موعد الاجتماع القادم؟", ["Next meeting", "Wednesday 3 February 2016"]),
    ("<b>veto</b> & size", ["the question of the veto"]),
    ("/timezone Mars/Olympus", ["“Mars/Olympus” is not a time zone I know", "Europe/Paris"]),
    ("/timezone", ["Which time zone?"]),
]


def check(answer: str, fragments: list[str]) -> None:
    for fragment in fragments:
        assert fragment in answer, f"{fragment!r} missing from:\n{answer}"


@pytest.mark.parametrize(
    ("said", "expected"),
    MEETINGS + POSITIONS + ISSUES_AND_GROUPS + GENERAL + BAD_INPUT,
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
async def test_dialogue(plenary, said, expected):
    check(await plenary.ask(said), expected)


async def test_a_whole_conversation_in_one_session(plenary):
    answers = await plenary.say(
        "when is the next meeting?", "what does the G4 say about categories?", "who is in UfC?"
    )
    assert len(answers) == 3
    check(answers[0], ["Wednesday 3 February 2016, 10:00 New York time"])
    check(answers[1], ["G4 on categories of membership", "1 April 2014"])
    check(answers[2], ["12 members"])


async def test_a_change_by_another_process_shows_once_the_revision_is_read(plenary, monkeypatch):
    assert "Room: to be announced" in await plenary.ask("/meeting ign70-2")
    async with plenary.sessions() as session:  # as another process would
        meeting = await meetings.by_key(session, "ign70-2")
        meeting.room = "Conference Room 4"
        await session.commit()
    monkeypatch.setattr("bot.core.answering.SNAPSHOT_TTL", 0)  # the revision is read again
    assert "Room: Conference Room 4" in await plenary.ask("/meeting ign70-2")


async def test_answers_to_the_same_question_come_from_the_cache(plenary):
    first = await plenary.ask("/positions veto")
    hits = plenary.core.replies.hits
    assert await plenary.ask("/positions veto") == first
    assert plenary.core.replies.hits == hits + 1


@pytest.mark.parametrize(
    "said",
    [
        "/meetings 2016-02-30",
        "/meetings 31 February",
        "what's on 30 February?",
        "/meeting 31/04/2016",
    ],
)
async def test_a_day_the_calendar_does_not_have(plenary, said):
    assert "is not a day in the calendar" in await plenary.ask(said)


async def test_dates_written_with_dots_or_slashes(plenary):
    assert "Meetings on Monday 22 February 2016" in await plenary.ask("/meetings 22.02.2016")


async def test_long_lists_come_a_page_at_a_time(plenary):
    extra = "".join(
        f'\n[[meetings]]\nkey = "extra-{n}"\ndate = 2016-07-{n:02d}\nkey_issues = ["veto"]\n'
        for n in range(1, 21)
    )
    async with plenary.sessions() as session:
        await import_programme(
            session, parse_programme(DEMO_FILE.read_text() + extra), plenary.clock.now()
        )
        await session.commit()
    first = await plenary.ask("/meetings")
    assert "Items 1–10" in first and "→ /meetings page 2" in first and "Previous" not in first
    second = await plenary.ask("/meetings page 2")
    assert "Items 11–20" in second and "Wednesday 6 July 2016" in second
    assert "→ /meetings page 1" in second and "→ /meetings page 3" in second
    last = await plenary.ask("/meetings page 3")
    assert "Items 21–25" in last and "Wednesday 20 July 2016" in last
    assert "page 4" not in last
