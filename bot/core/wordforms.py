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
        base = arabic_base(word)
        return _stemmer("ar").stemWord(base) if len(base) >= SHORTEST_STEMMED else base
    if len(word) < SHORTEST_STEMMED or not word.isalpha():
        return word
    if kind == "CYRILLIC":
        return _stemmer("ru").stemWord(word)
    if kind == "LATIN":
        return _stemmer(language if language in LATIN_LANGUAGES else "en").stemWord(word)
    return word


def stem_variants(words: list[str]) -> set[tuple[str, ...]]:
    """A phrase's stems under each stemmer that may read it (for a Latin phrase: English,
    French and Spanish), so that a name is found whichever of them the reader writes."""
    return {tuple(stem(word, language) for word in words) for language in LATIN_LANGUAGES}
