"""A stand-in for a platform's sender that keeps what would have been sent."""

from __future__ import annotations

from bot.core.messages import Reply
from bot.transports.outcomes import CannotEdit, Undeliverable
from storage.models import Account


class Recorder:
    """Records deliveries and edits; `blocked` accounts are unreachable; `edits` says whether
    the platform allows editing a message."""

    def __init__(self, edits: bool = True, blocked: set[str] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.edited: list[tuple[str, str, str]] = []
        self.edits = edits
        self.blocked = blocked or set()

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        if account.external_id in self.blocked:
            raise Undeliverable("blocked by the user")
        self.sent.append((account.external_id, reply.text))
        return str(len(self.sent))

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        if not self.edits:
            raise CannotEdit("this platform cannot edit")
        self.edited.append((account.external_id, message_id, reply.text))
        return message_id

    def texts(self, user: str = "delegate") -> list[str]:
        return [text for who, text in self.sent if who == user]
