"""Word forms: the stem of a word in the language it is written in, so that inflected names
match their dictionary form ("Бразилии" Бразилия, "численному составу" численный состав,
"sièges permanents" siège permanent, "للبرازيل" البرازيل)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import Stemmer  # PyStemmer: the Snowball stemmers, compiled

LATIN_LANGUAGES = ("en", "fr", "es")
_SNOWBALL = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
SHORTEST_STEMMED = 4  # shorter words are names or particles: kept as they are ("Чад", "Inde")
# Stems that are everyday words' too: "мало" (little) is not Mali.
EVERYDAY_STEMS = frozenset({"мал"})
# Arabic clitics written onto a word: "and", "so", "with/in", "like", "to/for" before the article.
_ARABIC_CLITICS = re.compile(r"^(?:[وف]?(?:[بكل]?ال|لل)|[وف](?=ال))")


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_SNOWBALL[language])


def script(word: str) -> str:
    """The script of a word's first letter: "LATIN", "CYRILLIC", "ARABIC", "CJK"..."""
    letter = next((c for c in word if c.isalpha()), None)
    return unicodedata.name(letter, "").partition(" ")[0] if letter else ""


def arabic_base(word: str) -> str:
    """An Arabic word without the article and the clitics before it: "للبرازيل", "والبرازيل"
    and "البرازيل" all give "برازيل"."""
    base = _ARABIC_CLITICS.sub("", word, count=1)
    return base if len(base) >= 2 else word


def stem(word: str, language: str) -> str:
    """The word's stem for `language` (one of the Latin three for a Latin word); the word
    itself where no stemmer applies (Chinese, digits, short words)."""
    kind = script(word)
    if kind == "ARABIC":
        word = arabic_base(word)
        stemmer = "ar"
    elif kind == "CYRILLIC":
        stemmer = "ru"
    elif kind == "LATIN":
        stemmer = language if language in LATIN_LANGUAGES else "en"
    else:
        return word
    if len(word) < SHORTEST_STEMMED or not word.isalpha():
        return word
    stemmed = _stemmer(stemmer).stemWord(word)
    # A stem too short to tell names apart is not used ("Canada" is not "can"; but "Индии" is
    # "Индия": Russian and Arabic stems of three letters still name one thing).
    shortest = SHORTEST_STEMMED if stemmer in LATIN_LANGUAGES else 3
    return stemmed if len(stemmed) >= shortest and stemmed not in EVERYDAY_STEMS else word


def stem_variants(words: list[str]) -> set[tuple[str, ...]]:
    """A phrase's stems under each stemmer that may read it (for a Latin phrase: English,
    French and Spanish), so that a name is found whichever of them the reader writes."""
    return {tuple(stem(word, language) for word in words) for language in LATIN_LANGUAGES}
