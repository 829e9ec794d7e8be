"""Snippets: the stretch of a text that mentions what was searched for, with those words bold."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.core.messages import Span, bold
from storage.search_text import written_words

ELLIPSIS = "…"
_JOINERS = {"\u200d"}  # zero-width joiner: the characters on both sides make one symbol


def snippet(text: str, terms: Sequence[str], width: int = 160) -> list[str | Span]:
    """At most about `width` characters of `text` on one line, where the most `terms` (folded
    words and phrases, as a search hit gives them) stand, cut between words, marked "…" where
    text is left out, with each term in bold. The text stays text: nothing in it is markup."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    found = list(written_words(text))
    marks = _marks([word for _, _, word in found], [(s, e) for s, e, _ in found], terms)
    start, end = _window(text, found, marks, width)
    pieces: list[str | Span] = [ELLIPSIS] if start > 0 else []
    at = start
    for mark_start, mark_end in marks:
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        if mark_start >= mark_end:
            continue
        pieces += [text[at:mark_start], bold(text[mark_start:mark_end])]
        at = mark_end
    pieces.append(text[at:end])
    if end < len(text):
        pieces.append(ELLIPSIS)
    return [piece for piece in pieces if piece]


def _marks(
    words: list[str], places: list[tuple[int, int]], terms: Sequence[str]
) -> list[tuple[int, int]]:
    """Where the terms stand in the text, in order, overlapping ones merged."""
    found = []
    for term in terms:
        wanted = term.split()
        for i in range(len(words) - len(wanted) + 1):
            if words[i : i + len(wanted)] == wanted:
                found.append((places[i][0], places[i + len(wanted) - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(
    text: str, found: list[tuple[int, int, str]], marks: list[tuple[int, int]], width: int
) -> tuple[int, int]:
    """(start, end) of the stretch shown: the one holding the most marks, a little context
    before the first of them, its ends moved to the edges of whole words."""
    if len(text) <= width:
        return 0, len(text)
    lead = width // 4
    starts = [max(0, min(s - lead, len(text) - width)) for s, _ in marks] or [0]
    start = max(starts, key=lambda s: sum(s <= a and b <= s + width for a, b in marks))
    end = start + width
    if start > 0:  # begin with a whole word
        start = next((s for s, _, _ in found if s >= start), start)
    inside = [e for s, e, _ in found if start <= s and e <= end]
    end = inside[-1] if inside else _between_symbols(text, end)
    return start, end


def _between_symbols(text: str, at: int) -> int:
    """`at`, or the nearest place before it that does not split a symbol (a letter and its
    accents, an emoji sequence)."""
    while 0 < at < len(text) and (
        unicodedata.category(text[at])[0] == "M"
        or text[at] in _JOINERS
        or text[at - 1] in _JOINERS
        or 0x1F3FB <= ord(text[at]) <= 0x1F3FF  # skin tones; variation selectors are marks
    ):
        at -= 1
    return at
