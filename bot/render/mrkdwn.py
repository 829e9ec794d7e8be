"""Slack's mrkdwn both ways: text written so that it shows as typed (no formatting, no
mention, no link it did not have), and text Slack sends read back as the person typed it."""

from __future__ import annotations

import re

# Slack has no escape for its formatting characters; the fallback of a date it cannot format
# is always shown as plain text, so `<!date^00000000^{_}|*>` shows a literal "*" (the way
# jsx-slack's <Escape> does it).
LITERAL = "<!date^00000000^{{_}}|{char}>"
FORMATTING = re.compile(r"[*_~`]")
# Inside a link's label no such tag works: look-alike characters instead.
LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})  # U+2217 U+02CD U+223C U+02CB
QUOTE_MARK = re.compile(r"^&gt;", re.M)  # ">" opening a line quotes it
SOFT_HYPHEN = "\u00ad"  # invisible, and enough for the line not to start with ">"


def escape(text: str) -> str:
    """Slack's control characters as entities (& < >): for plain_text fields and addresses."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal(text: str) -> str:
    """Text for a mrkdwn field, shown exactly as written: "<!channel>" pings nobody, "*no*"
    is not bold, "> x" is not a quote."""
    text = QUOTE_MARK.sub(f"{SOFT_HYPHEN}&gt;", escape(text))
    return FORMATTING.sub(lambda m: LITERAL.format(char=m.group()), text)


def label(text: str) -> str:
    """Text for a link's label, where only look-alike characters keep it unformatted."""
    return QUOTE_MARK.sub(f"{SOFT_HYPHEN}&gt;", escape(text.translate(LOOKALIKES)))


# <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>, <https://x|label>
_SPECIAL = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def _readable(match: re.Match[str]) -> str:
    sigil, target, shown = match.groups()
    if sigil == "!":  # <!here>, <!subteam^S1|@team>, <!date^...|fallback>
        return shown or f"@{target.split('^')[0]}"
    if sigil:  # a user or a channel: its name when Slack gave one
        return f"{sigil}{shown}" if shown else f"{sigil}{target}"
    return shown or target  # a link: what the person typed (Slack made it a link)


def to_plain(text: str) -> str:
    """What the person typed, from the text of a Slack message or command: mentions and links
    as they read, entities decoded once ("R&amp;D" is "R&D")."""
    text = _SPECIAL.sub(_readable, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
