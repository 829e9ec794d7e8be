"""Searching positions: the same hits in the same order on SQLite and PostgreSQL, the latest
versions only, any input safe, snippets with the words found in bold, and plain questions."""

import unicodedata
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select, text

from bot.core.messages import Incoming, Span, bold
from bot.render.telegram import render_messages
from handlers.snippets import ELLIPSIS, snippet
from storage import positions
from storage.models import Delegation, KeyIssue, Position, PositionVersion
from storage.search import EmptyQuery, search_positions
from storage.search_query import parse_query
from storage.search_text import FTS5_TOKENIZER, words
from testkit.telegram_html import check_message
from tests.conftest import DEMO_NOW, SESSION_OVER

AFRICAN = [
    ("african-group", "categories"),
    ("african-group", "veto"),
    ("african-group", "regional"),
]
ARAB = [("arab-group", "categories"), ("arab-group", "regional")]

# What each search finds in the demo, in order: most mentions first, then holder, key issue.
EXPECTED = {
    "permanent": [
        *ARAB,  # "Permanent", "permanent", "non-permanent": three mentions
        *AFRICAN,
        ("g4", "categories"),
        ("ufc", "categories"),
        ("g4", "veto"),
        ("g4", "regional"),
    ],
    "PERM": "permanent",  # three letters or more: a prefix, in any case
    "veto": [*AFRICAN, ("g4", "veto")],
    "review": [("g4", "veto")],
    "longer-term seats": [("ufc", "categories")],
    '"permanent seats"': [*AFRICAN, *ARAB, ("g4", "regional"), ("ufc", "categories")],
    "“seats permanent”": [],  # a phrase is its words in a row
    "Africa's representatives!": AFRICAN,
    "the veto": [*AFRICAN, ("g4", "veto")],  # small words are left out
    "veto abolished": [],  # every word must be found
    "un": [],  # too short to be a prefix: "until" does not count
    "text-based negotiations": [("g4", "categories"), ("l69", "categories")],
}


def keys(hits) -> list[tuple[str, str]]:
    return [(hit.delegation.key, hit.key_issue.key) for hit in hits]


async def add(session, holder: str, issue: str, words_: str) -> PositionVersion:
    delegation = await session.scalar(select(Delegation).where(Delegation.key == holder))
    key_issue = await session.scalar(select(KeyIssue).where(KeyIssue.key == issue))
    version = await positions.add_version(
        session, delegation.id, key_issue.id, words_, date(2016, 6, 1), [], None, DEMO_NOW
    )
    await session.commit()
    return version


@pytest.mark.parametrize("query", EXPECTED)
async def test_the_same_hits_in_the_same_order_on_both_databases(session, query):
    expected = EXPECTED[query]
    if isinstance(expected, str):
        expected = EXPECTED[expected]
    hits = await search_positions(session, query, limit=20)
    assert keys(hits) == expected
    assert hits.total == len(expected)


async def test_pages_and_ranks(session):
    everything = await search_positions(session, "permanent", limit=20)
    second = await search_positions(session, "permanent", limit=3, offset=3)
    assert keys(second) == keys(everything)[3:6] and second.total == 9
    assert [hit.rank for hit in everything] == [3, 3, 2, 2, 2, 2, 2, 1, 1]
    assert everything[0].terms == ("permanent",)
    assert (await search_positions(session, "perm", limit=1))[0].terms == ("permanent",)


async def test_a_new_version_replaces_the_old_one(session):
    old = "deferred until a review"
    assert keys(await search_positions(session, old)) == [("g4", "veto")]
    version = await add(session, "g4", "veto", "A review conference after fifteen years.")
    hits = await search_positions(session, "review conference")
    assert keys(hits) == [("g4", "veto")]
    assert hits[0].version.id == version.id and hits[0].version_count == 2
    assert await search_positions(session, old) == []
    assert ("g4", "veto") not in keys(await search_positions(session, "permanent", limit=20))


async def test_the_index_follows_writes_and_deletions(session, backend):
    await add(session, "g4", "size", "Zanzibar proposal, first draft.")
    await add(session, "g4", "size", "Zanzibar proposal, second draft.")
    await add(session, "brazil", "size", "Zanzibar too.")
    assert keys(await search_positions(session, "zanzibar")) == [("brazil", "size"), ("g4", "size")]
    assert keys(await search_positions(session, "first")) == []
    await session.execute(delete(Delegation).where(Delegation.key == "g4"))  # cascades
    await session.commit()
    assert keys(await search_positions(session, "zanzibar")) == [("brazil", "size")]
    await session.execute(delete(Position))
    await session.commit()
    assert await search_positions(session, "zanzibar") == []
    if backend == "sqlite":  # the contentless FTS5 table: its own check, and nothing left
        await session.execute(
            text("INSERT INTO position_search(position_search) VALUES ('integrity-check')")
        )
        await session.execute(
            text("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, position_search, row)")
        )
        assert await session.scalar(text("SELECT count(*) FROM temp.terms")) == 0


async def test_every_version_is_indexed(session, backend):
    """Every version, not only the latest: a search as of a past day finds the version then
    latest (the search itself keeps to the versions known by then)."""
    await add(session, "g4", "veto", "Second thoughts on the veto.")
    every = {
        version_id: set(words(body))
        for version_id, body in await session.execute(
            select(PositionVersion.id, PositionVersion.text)
        )
    }
    if backend == "sqlite":
        await session.execute(
            text(
                "CREATE VIRTUAL TABLE temp.places USING fts5vocab(main, position_search, instance)"
            )
        )
        rows = await session.execute(text("SELECT doc, term FROM temp.places"))
    else:
        rows = await session.execute(
            text("SELECT id, unnest(tsvector_to_array(position_search)) FROM position_versions")
        )
    indexed = defaultdict(set)
    for version_id, term in rows:
        indexed[version_id].add(term)
    assert indexed == every
    latest = set(await session.scalars(positions.latest(PositionVersion.id)))
    assert set(indexed) - latest, "the G4's first version on the veto is indexed too"


# The scripts of the UN's languages and their neighbours, with the punctuation around them.
SCRIPTS = [
    (0x20, 0x24F),  # Latin
    (0x370, 0x3FF),  # Greek
    (0x400, 0x4FF),  # Cyrillic
    (0x5D0, 0x5EA),  # Hebrew
    (0x600, 0x6FF),  # Arabic
    (0x1E00, 0x1EFF),  # Latin for Vietnamese and others
    (0x2000, 0x206F),  # general punctuation
    (0x3000, 0x303F),  # CJK punctuation
    (0x4E00, 0x4EFF),  # CJK ideographs
    (0xFF00, 0xFFEF),  # full-width forms
]
# Where SQLite's tables (Unicode 6.1) read otherwise: FTS5 takes characters added since (and
# unassigned ones, left out below) for letters, and keeps one letter with two diacritics whole.
FTS5_DIFFERS = {0x1E0, 0x1E1, 0x374, 0x37F, 0x605, 0x61C, 0x61D, 0x2066, 0x2067, 0x2068, 0x2069}
SAMPLES = [
    "“Review conference” — Türkiye’s 21–27 seats; non-permanent (3.5%) A/69/L.92 <b>x</b> & y",
    "Россия ΣΊΣΥΦΟΣ İstanbul Straße 東京都 مجلس الأمن x_y e\u0301cole ÉLU naïve café",
    "Emoji 👍 and flags 🇧🇷 between words; tab\tand\nnewline",
]


async def test_each_database_reads_words_as_python_does(session, backend):
    texts = SAMPLES + [
        f"x{chr(code)}y z{chr(code)}"
        for start, end in SCRIPTS
        for code in range(start, end + 1)
        if code not in FTS5_DIFFERS and unicodedata.category(chr(code)) != "Cn"
    ]
    if backend == "sqlite":
        await session.execute(
            text(f"CREATE VIRTUAL TABLE temp.probe USING fts5(body, tokenize='{FTS5_TOKENIZER}')")
        )
        await session.execute(
            text("CREATE VIRTUAL TABLE temp.probe_words USING fts5vocab(temp, probe, instance)")
        )
        for number, body in enumerate(texts):
            await session.execute(
                text("INSERT INTO temp.probe(rowid, body) VALUES (:n, :body)"),
                {"n": number, "body": body},
            )
        rows = await session.execute(
            text("SELECT doc, term FROM temp.probe_words ORDER BY doc, offset")
        )
    else:
        rows = await session.execute(
            text(
                "SELECT n - 1, unnest(tsvector_to_array(position_search_vector(body))) "
                "FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS t(body, n)"
            ),
            {"texts": texts},
        )
    read = defaultdict(set)
    for number, term in rows:
        read[number].add(term)
    mismatches = [
        (body, read[n], set(words(body)))
        for n, body in enumerate(texts)
        if read[n] != set(words(body))
    ]
    assert mismatches == []


@pytest.mark.parametrize("typed", ["", "   ", "*\"'(", "“”", "?!", "(*)", "-- ;", "\x00\x1b"])
async def test_nothing_to_search_for_is_said_clearly(session, plenary, typed):
    assert parse_query(typed) is None
    with pytest.raises(EmptyQuery):
        await search_positions(session, typed)
    assert "Search for what? e.g. /search review conference" in await plenary.ask(
        f"/search {typed}".strip()
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("veto* OR 1=1 --", []),  # "1" is a word to find, "or" a small one
        ("veto:* & !review", [("g4", "veto")]),
        ("^veto -permanent +seats", AFRICAN),
        ('veto" NEAR(review', []),  # the phrase "near review"
        ("position_search:veto", []),
        ("'; DROP TABLE position_versions; --", []),
        ("x" * 3000 + " veto", EXPECTED["veto"]),  # no word that long is looked for
    ],
)
async def test_query_syntax_in_a_search_is_only_words(session, typed, expected):
    assert keys(await search_positions(session, typed)) == expected


async def test_markup_in_a_position_comes_back_as_text(session, plenary):
    plenary.at(SESSION_OVER)  # when the position added, stated 1 June 2016, is known
    await add(session, "g4", "size", "<b>x</b> & y <script>alert(1)</script>")
    (hit,) = await search_positions(session, "script alert")
    assert hit.version.text == "<b>x</b> & y <script>alert(1)</script>"
    reply = await plenary.core.answer(Incoming("telegram", "1", "/search script alert"))
    (message,) = render_messages(reply)
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y &lt;" in message
    assert "<b>script</b>&gt;<b>alert</b>(1)" in message
    assert "<b>x</b> & y <script>alert(1)</script>" in check_message(message)


def test_snippets_bold_the_words_found():
    assert snippet(
        "No fewer than two permanent seats, with the veto.", ["permanent seats", "veto"]
    ) == [
        "No fewer than two ",
        bold("permanent seats"),
        ", with the ",
        bold("veto"),
        ".",
    ]
    assert snippet("Permanent and non-permanent", ["permanent"]) == [
        bold("Permanent"),
        " and non-",
        bold("permanent"),
    ]
    assert snippet("Türkiye’s view", ["turkiye"]) == [bold("Türkiye"), "’s view"]
    assert snippet("a \n\t  b", []) == ["a b"]


def test_a_long_text_is_cut_between_words_around_the_most_matches():
    body = " ".join(f"word{n}" for n in range(100)) + " review conference " + "tail " * 50
    pieces = snippet(body, ["review conference"], width=60)
    assert pieces[0] == ELLIPSIS and pieces[-1] == ELLIPSIS
    assert bold("review conference") in pieces
    shown = "".join(p.text if isinstance(p, Span) else p for p in pieces[1:-1])
    assert len(shown) <= 60 and shown in body
    assert shown.split()[0] in body.split() and shown.split()[-1] in body.split()


def test_a_snippet_never_splits_a_symbol():
    # q + combining acute has no precomposed form; the family emoji is joined by U+200D
    body = ("q\u0301" * 3 + "👩\u200d👩\u200d👧") * 40
    widths = range(20, 60)
    assert {body[:width][-1] for width in widths} >= {"q", "\u200d"}  # a blind cut would split
    for width in widths:
        shown = "".join(p if isinstance(p, str) else p.text for p in snippet(body, [], width))
        shown = shown.removesuffix(ELLIPSIS)
        assert shown and body.startswith(shown) and len(shown) <= width
        assert not shown.endswith("\u200d") and not shown.endswith("q")


@given(st.text(max_size=400), st.lists(st.sampled_from(["veto", "review conference", "x"])))
def test_a_snippet_is_a_piece_of_the_text(body, terms):
    pieces = snippet(body, terms, width=80)
    shown = "".join(p.text if isinstance(p, Span) else p for p in pieces)
    inner = shown.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    assert inner in " ".join(unicodedata.normalize("NFC", body).split())
    assert len(inner) <= 80


async def test_plain_questions_that_look_like_searches(plenary):
    plenary.at(SESSION_OVER)  # every demo position and the one added are known
    async with plenary.sessions() as session:
        await add(session, "brazil", "veto", "Brazil asks for a review conference in 2030.")
    answer = await plenary.ask("who mentions a review conference?")
    assert "1 position mentions “a review conference”" in answer
    assert "Brazil" in answer and "Stated 1 June 2016" in answer
    assert "/position brazil veto" in answer
    answer = await plenary.ask("which states talk about longer-term seats")
    assert "1 position mentions “longer-term seats”" in answer and "Uniting for Consensus" in answer
    answer = await plenary.ask("search veto power")
    assert "No position mentions “veto power”" in answer and "/positions" in answer
    assert "G4 · the question of the veto" in await plenary.ask("who says review?")
    assert "G4 on the question of the veto" in await plenary.ask(
        "what does the G4 say about the veto?"
    )
    assert "Sorry, I didn't understand that" in await plenary.ask("blah blah")


async def test_search_results_come_five_to_a_page(plenary):
    plenary.at(SESSION_OVER)  # all nine demo positions mentioning "permanent" are known
    first = await plenary.ask("/search permanent")
    assert "9 positions mention “permanent”" in first and "Items 1–5" in first
    assert "→ /search permanent page 2" in first
    second = await plenary.ask("/search permanent page 2")
    assert "Items 6–9" in second and "G4 · regional representation" in second
    assert "page 3" not in second
    assert "No more positions." in await plenary.ask("/search permanent page 3")
    assert "7 positions mention “permanent seats”" in await plenary.ask('/search "permanent seats"')


async def test_a_search_of_many_words_says_which_it_searched_for(plenary):
    plenary.at(SESSION_OVER)  # the position added is stated 1 June 2016
    async with plenary.sessions() as session:
        await add(
            session,
            "brazil",
            "veto",
            "Brazil asks for a review conference of the reformed Council in 2030, fifteen years "
            "after the reform takes effect.",
        )
    searched = "Brazil asks review conference reformed Council fifteen years"
    answer = await plenary.ask(f"/search {searched} takes effect")
    assert f"1 position mentions “{searched.lower()}”" in answer, "it says what was searched"
    answer = await plenary.ask(f"/search {searched} tomorrow")
    assert f"1 position mentions “{searched.lower()}”" in answer, "tomorrow was not searched"
    answer = await plenary.ask('/search "reformed Council" Brazil asks review conference in 2030?')
    assert (
        '1 position mentions “"reformed Council" Brazil asks review conference in 2030”' in answer
    )
    answer = await plenary.ask(f'/search "reformed Council" {searched} takes effect')
    phrase_first = '"reformed council" brazil asks review conference reformed council fifteen'
    assert f"1 position mentions “{phrase_first}”" in answer
    assert "1 position mentions “Brazil 2030”" in await plenary.ask("/search Brazil 2030")
