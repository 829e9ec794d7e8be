"""Telegram HTML: escaped text, messages under 4,096 characters, inline keyboards."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.core.messages import Block, BlockKind, Button, Reply, Span

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


BLOCK_MARKUP = 16  # a block's own tags at most: <b>…</b>, <i>…</i> or "• "
LINK_LIMIT = 1024  # longer addresses are dropped rather than split: the text stays


def _words(text: str, budget: int) -> list[str]:
    """The text's words (each with its space), a word longer than `budget` cut to fit."""
    step = max(1, budget // 5)  # worst case: every character becomes &amp;
    words = []
    for word in text.split(" "):
        words.extend(word[i : i + step] for i in range(0, max(len(word), 1), step))
        words[-1] += " "
    words[-1] = words[-1][:-1]
    return words


def _markup_cost(span: Span) -> int:
    """The characters a run of text in this span's style adds around its text."""
    cost = len("<b></b>") * span.bold + len("<i></i>") * span.italic
    if span.url:
        cost += len('<a href=""></a>') + len(html.escape(span.url, quote=True))
    return cost


def _pieces(block: Block, limit: int) -> list[str]:
    """A block rendered as one string, or cut between words into several under `limit`:
    each run of one style counts its tags as well as its text."""
    rendered = _block(block)
    if len(rendered) <= limit:
        return [rendered]
    budget = limit - BLOCK_MARKUP
    pieces: list[list[Span]] = [[]]
    size = 0
    for original in block.spans:
        url = original.url if original.url and len(original.url) <= LINK_LIMIT else None
        span = Span(original.text, original.bold, original.italic, url)
        markup = _markup_cost(span)
        for word in _words(span.text, budget - markup):
            run = pieces[-1]
            continues = bool(run) and (run[-1].bold, run[-1].italic, run[-1].url) == (
                span.bold,
                span.italic,
                url,
            )
            cost = len(escape(word)) + (0 if continues else markup)
            if size + cost > budget and run:
                pieces.append([])
                run, continues, size = pieces[-1], False, 0
                cost = len(escape(word)) + markup
            if continues:
                run[-1] = Span(run[-1].text + word, span.bold, span.italic, url)
            else:
                run.append(Span(word, span.bold, span.italic, url))
            size += cost
    return [_block(Block(block.kind, tuple(run))) for run in pieces if run]


def render_messages(reply: Reply, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The reply as HTML messages, split between paragraphs, never inside a tag or entity."""
    messages: list[str] = []
    current = ""
    for block in reply.blocks:
        for piece in _pieces(block, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) > limit and current:
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
