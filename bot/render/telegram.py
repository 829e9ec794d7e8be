"""Telegram HTML: escaped text, messages under 4,096 characters, inline keyboards."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.messages import Block, BlockKind, Button, Reply, Span

MESSAGE_LIMIT = 4096
BUTTON_TEXT_LIMIT = 64


def escape(text: str) -> str:
    """Telegram HTML needs only &, < and > escaped in text."""
    return html.escape(text, quote=False)


def _span(span: Span) -> str:
    text = escape(span.text)
    if span.url:
        text = f'<a href="{html.escape(span.url, quote=True)}">{text}</a>'
    if span.italic:
        text = f"<i>{text}</i>"
    if span.bold:
        text = f"<b>{text}</b>"
    return text


def _block(block: Block) -> str:
    text = "".join(_span(span) for span in block.spans)
    if block.kind is BlockKind.HEADING:
        return f"<b>{text}</b>"
    if block.kind is BlockKind.ITEM:
        return f"• {text}"
    if block.kind is BlockKind.NOTE:
        return f"<i>{text}</i>"
    return text


def _pieces(block: Block, limit: int) -> list[str]:
    """A block rendered as one string, or cut between words into several under `limit`."""
    rendered = _block(block)
    if len(rendered) <= limit:
        return [rendered]
    pieces, spans, size = [], [], 0
    for span in block.spans:
        for word in span.text.split(" "):
            part = Span(word + " ", span.bold, span.italic, span.url)
            cost = len(_span(part)) + 16  # room for the block's own tags
            if spans and size + cost > limit:
                pieces.append(_block(Block(block.kind, tuple(spans))))
                spans, size = [], 0
            if cost > limit:  # one "word" longer than a message: cut it by characters
                step = max(1, (limit - 32) // 5)  # worst case: every character becomes &amp;
                for start in range(0, len(word), step):
                    chunk = Span(word[start : start + step], span.bold, span.italic, span.url)
                    pieces.append(_block(Block(block.kind, (chunk,))))
                continue
            spans.append(part)
            size += cost
    if spans:
        pieces.append(_block(Block(block.kind, tuple(spans))))
    return pieces


def render_messages(reply: Reply, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The reply as HTML messages, split between paragraphs, never inside a tag or entity."""
    messages: list[str] = []
    current = ""
    for block in reply.blocks:
        for piece in _pieces(block, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) > limit:
                messages.append(current)
                candidate = piece
            current = candidate
    if current or not messages:
        messages.append(current or "…")
    return messages


@dataclass(frozen=True)
class KeyboardButton:
    label: str
    payload: str


def keyboard(rows: list[list[Button]], payload: dict[str, str]) -> list[list[KeyboardButton]]:
    """Rows of (label, callback payload); `payload` maps each command to its short form."""
    return [
        [
            KeyboardButton(button.label[:BUTTON_TEXT_LIMIT], payload[button.command])
            for button in row
        ]
        for row in rows
    ]
