"""Cleaning what people type or send: no control or formatting characters, whitespace
tidied, files read in the encoding they came in."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes


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


# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decoded(content: bytes) -> str:
    """The text of a file in the encoding it came in: by its byte-order mark; else UTF-8 when
    it is (and holds no NUL, as UTF-16 would); else what charset-normalizer finds likeliest."""
    for mark, codec in _MARKS:
        if content.startswith(mark):
            return content[len(mark) :].decode(codec, errors="replace")
    if b"\x00" not in content:
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    best = from_bytes(content).best()
    return str(best) if best is not None else content.decode("utf-8", errors="replace")
