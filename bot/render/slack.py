"""Slack Block Kit: mrkdwn that shows text as written, at most 50 blocks a message and 3,000
characters a section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.messages import Block, BlockKind, Reply, Span
from bot.render.mrkdwn import escape, label, literal
from bot.render.plain import render_plain

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_ACTIONS = 25
FALLBACK_LIMIT = 3000
ACTION_PREFIX = "plenary-"


LINK_LIMIT = 2000  # a longer <address|text> is shown as its text: chunks never cut a link


def _span(span: Span) -> str:
    """A run of text shown as written (whoever wrote it), in Plenary's own bold or italic."""
    text = literal(span.text)
    url = escape(span.url or "").replace("|", "%7C").replace(" ", "%20")
    shown = label(span.text)
    if url and len(url) + len(shown) <= LINK_LIMIT:
        text = f"<{url}|{shown}>"
    if span.italic and text.strip():
        text = f"_{text}_"
    if span.bold and text.strip():
        text = f"*{text}*"
    return text


def _mrkdwn(block: Block) -> str:
    text = "".join(_span(span) for span in block.spans)
    return f"• {text}" if block.kind is BlockKind.ITEM else text


def _chunks(text: str, limit: int) -> list[str]:
    """Cut at the last newline or space before `limit`, never inside an &entity; or a link."""
    chunks = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
            amp = text.rfind("&", cut - 5, cut)
            if amp != -1 and ";" not in text[amp:cut]:
                cut = amp
        opened = text.rfind("<", 0, cut)
        if opened > text.rfind(">", 0, cut):  # inside a <link|text>: before it, or after
            cut = opened if opened > 0 else text.index(">", cut) + 1
        chunks.append(text[:cut])
        text = text[cut:].lstrip()
    return [*chunks, text] if text else chunks


def _cut(text: str, limit: int) -> str:
    """The escaped text's first `limit` characters, never ending inside an &entity;."""
    return _chunks(text, limit)[0] if len(text) > limit else text


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def blocks_of(reply: Reply) -> list[dict[str, Any]]:
    """The reply's text as blocks; paragraphs and items that follow each other share a section."""
    blocks: list[dict[str, Any]] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.extend(_section(chunk) for chunk in _chunks("\n".join(pending), SECTION_LIMIT))
            pending.clear()

    for block in reply.blocks:
        if block.kind is BlockKind.HEADING:
            flush()
            title = escape(block.text)
            if len(title) <= HEADER_LIMIT:
                blocks.append({"type": "header", "text": {"type": "plain_text", "text": title}})
            else:
                shown = _chunks(literal(block.text), SECTION_LIMIT - 2)[0]
                blocks.append(_section(f"*{shown}*"))
        elif block.kind is BlockKind.NOTE:
            flush()
            for chunk in _chunks(_mrkdwn(block), SECTION_LIMIT):
                blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": chunk}]})
        else:
            pending.append(_mrkdwn(block))
    flush()
    return blocks


def actions_of(reply: Reply, payloads: dict[str, str]) -> list[dict[str, Any]]:
    """Buttons, 25 to an actions block; each carries its command's payload as value."""
    buttons = [button for row in reply.buttons for button in row]
    elements = [
        {
            "type": "button",
            "action_id": f"{ACTION_PREFIX}{n}",
            "text": {"type": "plain_text", "text": _cut(escape(b.label), BUTTON_TEXT_LIMIT)},
            "value": payloads[b.command],
        }
        for n, b in enumerate(buttons)
    ]
    return [
        {"type": "actions", "elements": elements[start : start + BUTTONS_PER_ACTIONS]}
        for start in range(0, len(elements), BUTTONS_PER_ACTIONS)
    ]


def render_view(reply: Reply, payloads: dict[str, str], limit: int = 100) -> list[dict[str, Any]]:
    """The reply as the blocks of a view (App Home allows 100), buttons after the text."""
    return (blocks_of(reply) + actions_of(reply, payloads))[:limit]


@dataclass
class SlackMessage:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def render_messages(reply: Reply, payloads: dict[str, str]) -> list[SlackMessage]:
    """The reply as one message or more, each within Slack's limits; buttons come last."""
    blocks = blocks_of(reply) + actions_of(reply, payloads)
    fallback = literal(render_plain(Reply(blocks=reply.blocks)))
    messages = [
        SlackMessage(
            _chunks(fallback, FALLBACK_LIMIT)[0] if fallback else "…",
            blocks[start : start + MAX_BLOCKS],
        )
        for start in range(0, len(blocks), MAX_BLOCKS)
    ]
    return messages or [SlackMessage("…")]
