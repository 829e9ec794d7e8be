"""What a word is when searching positions: one definition, for Python and both databases.

A word is a run of letters and digits (`[^\\W_]`) in the text after Unicode NFC, case folding,
Latin letters losing their diacritics and combining diacritical marks dropped: "Türkiye's" is
`turkiye`, `s`. SQLite's FTS5 tokenizer `unicode61 remove_diacritics 2` agrees on the scripts
positions are written in (tests/test_search.py checks it); PostgreSQL runs this definition
itself, through `postgres_vector_sql()`, so that its parser and the cluster's locale play no
part.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

FTS5_TOKENIZER = "unicode61 remove_diacritics 2"
WORD = re.compile(r"[^\W_]+")
MARKS = range(0x300, 0x370)  # combining diacritical marks
# Beyond this code point no character folds (only CJK extensions and unassigned planes).
LAST_FOLDING = 0x20000


def _fold_char(char: str) -> str:
    folded = char.casefold()
    if len(folded) != 1:  # "ß" -> "ss": FTS5 keeps one character for one
        folded = char.lower() if len(char.lower()) == 1 else char
    if folded == "\u0130":  # "İ": FTS5 folds it to "i"
        folded = "i"
    base, *marks = unicodedata.normalize("NFD", folded)
    if marks and base.isascii() and base.isalpha() and all(ord(m) in MARKS for m in marks):
        return base
    return folded


@functools.cache
def fold_table() -> dict[int, str]:
    """Every character that folds to another one (or, for a combining mark, to nothing). The
    underscore, which `\\w` takes for a letter, becomes a space: in a folded text `\\b` stands
    exactly where words begin and end."""
    table = {}
    for code in range(LAST_FOLDING):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = "" if code in MARKS else " " if char == "_" else _fold_char(char)
        if folded != char:
            table[code] = folded
    return table


def fold(text: str) -> str:
    """The text as words are read from it: NFC, case folded, without diacritics."""
    if text.isascii():
        return text.lower().replace("_", " ")
    return unicodedata.normalize("NFC", text).translate(fold_table())


def words(text: str) -> list[str]:
    """The words of a text, in order."""
    return WORD.findall(fold(text))


# A word in the text as written: combining marks stay inside it, as fold() drops them.
_WRITTEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def written_words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each word of an NFC-normalized text, for highlighting."""
    for match in _WRITTEN.finditer(text):
        word = fold(match.group())
        if word:
            yield match.start(), match.end(), word


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def _regex_char(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def postgres_vector_sql(argument: str) -> str:
    """A PostgreSQL expression giving the tsvector of `argument`'s words, as `words()` reads
    them (no positions: phrases are checked in Python)."""
    table = fold_table()
    mapped = sorted(code for code, to in table.items() if to)
    dropped = sorted(code for code, to in table.items() if not to)
    source = "".join(chr(code) for code in mapped + dropped)
    target = "".join(table[code] for code in mapped)
    letters = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and WORD.match(chr(c))]
    word_class = "".join(
        _regex_char(a) if a == b else f"{_regex_char(a)}-{_regex_char(b)}"
        for a, b in _ranges(letters)
    )
    folded = (
        f"translate(normalize({argument}, NFC), {_sql_literal(source)}, {_sql_literal(target)})"
    )
    split = f"regexp_split_to_array({folded}, '[^{word_class}]+')"
    return f"array_to_tsvector(array_remove({split}, ''))"
