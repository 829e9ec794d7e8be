"""Plain text for the terminal: headings underlined, items bulleted, buttons as commands."""

from __future__ import annotations

from bot.core.messages import Block, BlockKind, Reply, Span


def _span(span: Span) -> str:
    return f"{span.text} <{span.url}>" if span.url and span.url != span.text else span.text


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
        lines.extend(f"  → {b.command.ljust(width)}  {b.label}" for b in choices)
    for attachment in reply.attachments:
        lines.append(f"  [{(saved or {}).get(attachment.filename, attachment.filename)}]")
    return "\n".join(lines)
