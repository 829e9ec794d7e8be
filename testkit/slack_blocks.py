"""What Slack accepts: Block Kit limits, and text with only &amp; &lt; &gt; and <links|...>."""

from __future__ import annotations

import html
import re

LINK = re.compile(r"<(https?://[^|>]+)\|([^>]*)>")
LITERAL = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")  # shown as its fallback, unformatted
STRAY = re.compile(r"[<>]|&(?!(?:amp|lt|gt);)")
FORMATTING = re.compile(r"(?<!\w)[*_~`]|[*_~`](?!\w)")  # *bold*, _italic_, ~strike~, `code`


def _text(text: str, limit: int) -> str:
    """What the reader sees: links as their labels, formatting markers gone, literals shown."""
    assert 1 <= len(text) <= limit, f"text of {len(text)} characters (limit {limit})"
    parts = LITERAL.split(text)  # text, literal, text, literal, ..., text
    seen = []
    for n, part in enumerate(parts):
        if n % 2:
            seen.append(part)
            continue
        without_links = LINK.sub(lambda m: m.group(2), part)
        assert not STRAY.search(without_links), f"unescaped control character in {text[:200]!r}"
        seen.append(FORMATTING.sub("", without_links))
    return html.unescape("".join(seen)).replace("\u00ad", "")


def check_blocks(blocks: list[dict], limit: int = 50) -> str:
    """Assert a message's blocks are valid; return what the reader sees (button values too)."""
    assert len(blocks) <= limit, f"{len(blocks)} blocks"
    seen, action_ids = [], set()
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            seen.append(_text(block["text"]["text"], 150))
        elif kind == "section":
            seen.append(_text(block["text"]["text"], 3000))
        elif kind == "context":
            assert len(block["elements"]) <= 10
            seen.extend(_text(e["text"], 3000) for e in block["elements"])
        elif kind == "actions":
            assert 1 <= len(block["elements"]) <= 25
            for button in block["elements"]:
                assert button["action_id"] not in action_ids, "duplicate action_id"
                action_ids.add(button["action_id"])
                assert len(button["value"]) <= 2000
                label = _text(button["text"]["text"], 75)
                seen.append(f"[{label}] {button['value'].removeprefix('c:')}")
        else:
            raise AssertionError(f"unexpected block type {kind}")
    return "\n".join(seen)
