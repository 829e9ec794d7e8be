"""Cleaning what people type or send: no control or formatting characters, whitespace
tidied."""

from __future__ import annotations

import unicodedata


def _visible(text: str, keep_lines: bool) -> str:
    kept = []
    for char in text:
        if char == "\n" and keep_lines:
            kept.append(char)
        elif char in "\n\t\r":
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co") or char == "\u200d":
            kept.append(char)
    return "".join(kept)


# Bidirectional embeddings and overrides reorder what a terminal shows ("Trojan Source");
# the isolates (U+2066-2069) stay: the Arabic messages use them around values.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e")


def printable(text: str) -> str:
    """Text safe to print on a terminal: no control character (escape sequences, carriage
    returns, backspaces), surrogate or reordering mark; line breaks kept, tabs as spaces."""
    return "".join(
        " " if char == "\t" else char
        for char in text
        if char in "\n\t"
        or (unicodedata.category(char) not in ("Cc", "Cs") and char not in _REORDERING)
    )


def clean(text: str) -> str:
    """The text without control or formatting characters, on one line, trimmed."""
    return " ".join(_visible(text, keep_lines=False).split())


def clean_paragraphs(text: str) -> str:
    """Like `clean`, keeping line breaks: lines trimmed, at most one blank line in a row."""
    lines = [" ".join(line.split()) for line in _visible(text, keep_lines=True).split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()
