"""What a transport offers the dispatcher, and the ways a delivery can fail."""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Reply
from storage.models import Account


class Undeliverable(Exception):
    """The platform will never take this message (blocked, chat gone): do not retry."""


class TryLater(Exception):
    """A passing failure (429, 5xx, network): retry, after `retry_after` seconds if given.
    `sent` is the id of the message that went out when only its attachments failed: the
    retry sends them alone. `parts_sent` counts the parts of a long text that went out
    before one failed: the retry resumes with the next."""

    def __init__(
        self,
        reason: str,
        retry_after: float | None = None,
        sent: str | None = None,
        parts_sent: int = 0,
    ) -> None:
        super().__init__(reason)
        self.retry_after, self.sent, self.parts_sent = retry_after, sent, parts_sent


class CannotEdit(Exception):
    """The platform will not edit that message: send the new text as a message instead."""


class Sender(Protocol):
    """What a transport offers the dispatcher."""

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        """Send `reply` to the account's chat, leaving out the first `skip` parts of its text
        (they went out on an earlier attempt); return the platform's id of its last message."""
        ...

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        """Replace a message sent earlier by `reply`, or raise CannotEdit."""
        ...

    async def attach(self, account: Account, reply: Reply) -> None:
        """Send the reply's attachments alone (its text went out on an earlier attempt)."""
        ...
