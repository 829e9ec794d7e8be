"""Searching positions written in English from any of the six languages: the negotiation's
words (storage/data/search_terms.toml) found in a search, by their stems, become the English
terms positions use ("кто упоминает Кодекс поведения" searches "Code of Conduct")."""

from __future__ import annotations

import re
import tomllib
from functools import cache

from bot.core.names import normalize, stems
from storage import DATA_DIR

TERMS_FILE = DATA_DIR / "search_terms.toml"
_CJK = re.compile("[\u4e00-\u9fff]")


@cache
def _terms() -> list[tuple[str, str, str]]:
    """(language, form, English term): longest forms first."""
    with TERMS_FILE.open("rb") as file:
        table = tomllib.load(file)
    found = [
        (language, form, english)
        for english, forms in table.items()
        for language, written in forms.items()
        for form in written
    ]
    return sorted(found, key=lambda entry: -len(entry[1]))


def in_english(text: str, language: str) -> str:
    """The English terms of the negotiation's words in `text`, quoted, or `text` itself when
    it holds none."""
    said = " " + " ".join(stems(text, language)) + " "
    chinese = normalize(text)
    found = []
    for written_in, form, english in _terms():
        if written_in != language and not _CJK.search(form):
            continue
        if _CJK.search(form):
            hit = form in chinese
        else:
            hit = f" {' '.join(stems(form, written_in))} " in said
        if hit and english not in found:
            found.append(english)
    return " ".join(f'"{term}"' for term in found) if found else text
