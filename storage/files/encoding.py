"""Reading a text file in the encoding it came in."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

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
