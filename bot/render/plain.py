"""Plain text for the terminal: headings underlined, items bulleted, buttons as commands;
whatever anyone wrote printed without control characters."""

from __future__ import annotations

from bot.core.messages import Block, BlockKind, Reply, Span
from bot.core.text import printable


def _span(span: Span) -> str:
    text = printable(span.text)
    return f"{text} <{printable(span.url)}>" if span.url and span.url != span.text else text


def _block(block: Block) -> str:
    text = "".join(_span(span) for span in block.spans)
    if block.kind is BlockKind.HEADING:
        return f"{text}\n{'─' * min(len(text), 60)}"
    if block.kind is BlockKind.ITEM:
        return f"  • {text}"
    if block.kind is BlockKind.NOTE:
        return f"    {text}"
    return text


def render_plain(reply: Reply, saved: dict[str, str] | None = None) -> str:
    """The reply as text; `saved` maps an attachment's name to where it was written."""
    lines = [_block(block) for block in reply.blocks]
    choices = [button for row in reply.buttons for button in row]
    if choices:
        width = max(len(button.command) for button in choices)
        lines.append("")
        lines.extend(
            f"  → {printable(b.command).ljust(width)}  {printable(b.label)}" for b in choices
        )
    for attachment in reply.attachments:
        shown = (saved or {}).get(attachment.filename, attachment.filename)
        lines.append(f"  [{printable(shown)}]")
    return "\n".join(lines)
