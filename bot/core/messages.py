"""The neutral message model: what arrives (`Incoming`) and what Plenary answers (`Reply`)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message, or to be sent with a reply."""

    filename: str
    content: bytes
    media_type: str


@dataclass(frozen=True)
class Incoming:
    """A message from a person on some platform, already stripped of platform details."""

    platform: str
    user_id: str
    text: str
    display_name: str = ""
    chat_id: str | None = None  # where to answer
    language: str | None = None
    via_button: bool = False
    direct_chat_id: str | None = None  # where to reach this person privately, if known
    reachable: bool = True  # False where the platform lets no bot write first (Telegram groups)
    group_title: str | None = None  # set when the message comes from a group chat or channel
    attachment: Attachment | None = None  # a document sent with the message
    # Asks the platform whether the sender administers that group (only when needed).
    is_group_admin: Callable[[], Awaitable[bool]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Span:
    """A run of text with one style; `url` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


def bold(text: str) -> Span:
    return Span(text, bold=True)


def italic(text: str) -> Span:
    return Span(text, italic=True)


def link(text: str, url: str) -> Span:
    return Span(text, url=url)


class BlockKind(enum.Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"
    NOTE = "note"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Button:
    """A choice the reader can press; pressing it is the same as sending `command`."""

    label: str
    command: str


def _spans(parts: tuple[str | Span, ...]) -> tuple[Span, ...]:
    return tuple(part if isinstance(part, Span) else Span(part) for part in parts if part)


@dataclass
class Reply:
    """An answer: blocks of rich text, rows of buttons and attachments. Built by chaining."""

    blocks: list[Block] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    # Set when the request named something that does not exist: a pressed button whose
    # target has gone then gets "this list has changed" instead.
    not_found: bool = False

    def _add(self, kind: BlockKind, parts: tuple[str | Span, ...]) -> Reply:
        spans = _spans(parts)
        if spans:
            self.blocks.append(Block(kind, spans))
        return self

    def heading(self, *parts: str | Span) -> Reply:
        return self._add(BlockKind.HEADING, parts)

    def paragraph(self, *parts: str | Span) -> Reply:
        return self._add(BlockKind.PARAGRAPH, parts)

    def item(self, *parts: str | Span) -> Reply:
        return self._add(BlockKind.ITEM, parts)

    def note(self, *parts: str | Span) -> Reply:
        return self._add(BlockKind.NOTE, parts)

    def button_row(self, *buttons: Button) -> Reply:
        if buttons:
            self.buttons.append(list(buttons))
        return self

    @property
    def text(self) -> str:
        """All the words of the reply, without formatting (for logs and tests)."""
        return "\n".join(block.text for block in self.blocks)
