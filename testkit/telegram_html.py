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
MESSAGE_LIMIT = 4096  # characters of a message's text, after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS:
            raise ValueError(f'unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ValueError(f'unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def parse_html(text: str) -> str:
    """What the reader sees of a text in Telegram's HTML; ValueError says why Telegram
    cannot parse it."""
    if ENTITY.search(text):
        raise ValueError("unsupported entity")
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise ValueError(f'unclosed start tag "{parser.stack[-1]}"')
    return "".join(parser.text)


def check_message(text: str) -> str:
    """Assert `text` is valid Telegram HTML of 1 to 4,096 characters as read; return them."""
    try:
        seen = parse_html(text)
    except ValueError as error:
        raise AssertionError(f"{error} in {text[:200]!r}") from None
    assert 1 <= len(seen) <= MESSAGE_LIMIT, f"message of {len(seen)} characters"
    return seen


def check_markup(markup: dict | None) -> list[tuple[str, str]]:
    """Assert every callback_data fits in 64 bytes; return (label, data) pairs."""
    buttons = []
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button["callback_data"]
            assert 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT, f"callback_data {data!r}"
            buttons.append((button["text"], data))
    return buttons
