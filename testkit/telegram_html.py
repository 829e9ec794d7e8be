"""What Telegram accepts: balanced allowed tags, known entities, 4,096 characters, 64-byte data."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
}
# Telegram knows four named entities, and every numerical one.
ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> is not allowed"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(html.unescape(f"&{name};"))


def check_message(text: str) -> str:
    """Assert `text` is valid Telegram HTML; return what the reader sees."""
    assert 1 <= len(text) <= 4096, f"message of {len(text)} characters"
    assert not ENTITY.search(text), f"unknown entity in {text[:200]!r}"
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert not checker.stack, f"unclosed tags {checker.stack}"
    return "".join(checker.text)


def check_markup(markup: dict | None) -> list[tuple[str, str]]:
    """Assert every callback_data fits in 64 bytes; return (label, data) pairs."""
    buttons = []
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button["callback_data"]
            assert 1 <= len(data.encode()) <= 64, f"callback_data {data!r}"
            buttons.append((button["text"], data))
    return buttons
