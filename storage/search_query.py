"""A search as typed: its terms, how they match a text, and how each database is asked.

Every term must be found (AND). A quoted "phrase" matches its words in a row, exactly; a
word typed alone matches words that begin with it once it has three letters or more ("seat"
finds "seats"), and exactly when shorter ("UN"). Small words ("a", "the", "about") are left
out unless nothing else is asked; so are words of over 200 letters, and every term after the
first MAX_TERMS. The databases are asked
in the same terms, built from words that hold only letters and digits, so nothing typed
reaches their query syntax.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from storage.search_text import words

STOPWORDS = frozenset(
    "a about all an and any are as at be by did do does for from has have in is it its of on "
    "or the their there these this those to was were what which who with".split()
)
QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
PREFIX_FROM = 3  # letters a word needs before it also finds longer words
MAX_TERMS = 8
MAX_WORD = 200  # characters; PostgreSQL refuses a tsquery word over 2,047 bytes


@dataclass(frozen=True)
class Term:
    """A word or a phrase to find."""

    words: tuple[str, ...]
    prefix: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Its occurrences in a folded text (where `\\w` are the letters of words). The first
        word comes first, its start checked behind it, so that `re` scans for it quickly."""
        first, *rest = (re.escape(word) for word in self.words)
        body = rf"{first}(?<!\w{first})" + "".join(rf"\W+{word}" for word in rest)
        return re.compile(body + (r"\w*" if self.prefix else r"\b"))

    def fts5(self) -> str:
        return f'"{self.text}"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        """PostgreSQL's vectors keep no word positions: a phrase asks for its words (Python
        then checks that they stand in a row)."""
        suffix = ":*" if self.prefix else ""
        return "(" + " & ".join(f"'{word}'{suffix}" for word in self.words) + ")"


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    complete: bool = True  # False when terms beyond MAX_TERMS were left out

    @property
    def text(self) -> str:
        """The terms searched for, phrases in quotes."""
        return " ".join(f'"{t.text}"' if len(t.words) > 1 else t.text for t in self.terms)

    def fts5(self) -> str:
        """The SQLite FTS5 MATCH expression."""
        return " AND ".join(term.fts5() for term in self.terms)

    def tsquery(self) -> str:
        """The PostgreSQL tsquery (to cast, not to parse: it holds lexemes as they are)."""
        return " & ".join(term.tsquery() for term in self.terms)

    def mentions(self, folded: str) -> int:
        """How often a folded text mentions the terms; 0 unless it mentions every one."""
        total = 0
        for term in self.terms:
            found = len(term.pattern.findall(folded))
            if not found:
                return 0
            total += found
        return total

    def found(self, folded: str) -> tuple[str, ...]:
        """The words and phrases of a folded text that the terms match, first found first."""
        forms = (
            term.pattern.findall(folded) if term.prefix else [term.text] for term in self.terms
        )
        return tuple(dict.fromkeys(form for found in forms for form in found))


def parse_query(text: str) -> Query | None:
    """The terms of a typed search; None when it holds no word (empty, only punctuation)."""
    phrases = [_searchable(quoted) for quoted in QUOTED.findall(text)]
    loose = list(_searchable(QUOTED.sub(" ", text)))
    if any(word not in STOPWORDS for word in loose) or any(phrases):
        loose = [word for word in loose if word not in STOPWORDS]
    terms = [Term(phrase, prefix=False) for phrase in phrases if phrase]
    terms += [Term((word,), prefix=len(word) >= PREFIX_FROM) for word in loose]
    unique = tuple(dict.fromkeys(terms))
    return Query(unique[:MAX_TERMS], len(unique) <= MAX_TERMS) if unique else None


def _searchable(text: str) -> tuple[str, ...]:
    return tuple(word for word in words(text) if len(word) <= MAX_WORD)
