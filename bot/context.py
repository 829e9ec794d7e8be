"""What a handler knows about the question: who asks, in which language and zone, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import Translator
from bot.messages import Incoming
from bot.names import NameIndex
from bot.reply_cache import ReplyCache
from storage import people
from storage.directory import DelegationName, IssueName
from storage.models import Person, Role


@dataclass
class Context:
    session: AsyncSession
    clock: Clock
    names: NameIndex
    incoming: Incoming
    tr: Translator
    programme: dict[str, str]
    revision: int
    replies: ReplyCache
    person: Person | None = None

    def _(self, message: str) -> str:
        return self.tr.gettext(message)

    def cache_key(self, command: str, text: str) -> tuple:
        """Everything an answer that is not personal depends on."""
        minute = int(self.now.timestamp() // 60)
        return (
            command,
            text.casefold(),
            self.tr.language,
            self.reader_zone,
            self.role,
            self.revision,
            minute,
        )

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def venue_zone(self) -> str:
        return self.programme.get("timezone", "UTC")

    @property
    def reader_zone(self) -> str | None:
        return self.person.timezone if self.person else None

    @property
    def today(self) -> date:
        """Today at the venue: the day people at the negotiation are living."""
        return self.now.astimezone(ZoneInfo(self.venue_zone)).date()

    @property
    def role(self) -> Role:
        return self.person.role if self.person else Role.DELEGATE

    @property
    def short_name(self) -> str:
        return self.programme.get("short_name", "Plenary")

    async def person_for_update(self) -> Person:
        """The asker's person record, created on their first change of anything."""
        if self.person is None:
            message = self.incoming
            _account, self.person = await people.create_account(
                self.session,
                message.platform,
                message.user_id,
                message.display_name,
                self.now,
                chat_id=message.direct_chat_id,
            )
            self.person.language = message.language
        return self.person


@dataclass(frozen=True)
class Request:
    """What was asked, with the names and date found in it."""

    text: str
    issues: list[IssueName] = field(default_factory=list)
    delegations: list[list[DelegationName]] = field(default_factory=list)
    day: date | None = None
    no_such_day: str | None = None  # what looked like a date but is not one
