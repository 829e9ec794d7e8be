"""What a handler knows about the question: who asks, in which language and zone, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.dates import Season, Span
from bot.core.i18n import Translator
from bot.core.messages import Incoming
from bot.core.names import NameIndex
from bot.core.newcomers import Newcomers
from bot.core.reply_cache import ReplyCache
from bot.core.text import clean, clean_paragraphs
from storage import audit, people, writes
from storage.directory import DelegationName, IssueName
from storage.files.calendar_ics import DEFAULT_LENGTH
from storage.models import Person, Role
from storage.people import Newcomer, PersonView

_COMMAND_WORD = re.compile(r"^\s*/\w+(?:@\w+)?\s*")
NAME_LIMIT = 200  # characters of a display name kept (Telegram allows 128, Slack 80)


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
    person: Person | PersonView | None = None
    public_url: str = ""  # where Plenary's HTTP server is reached from outside
    meeting_length: timedelta = DEFAULT_LENGTH  # in calendars, of a meeting with no set end
    newcomers: Newcomers | None = None  # where first-time writers' accounts are made

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
            self.delegation_id,  # coverage buttons and lines are a delegation's
            self.revision,
            minute,
        )

    @property
    def raw_arguments(self) -> str:
        """What follows the command word, with its line breaks (the router's text has none)."""
        return clean_paragraphs(_COMMAND_WORD.sub("", self.incoming.text, count=1))

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
    def season(self) -> Season | None:
        """The programme's session: the year of a date written without one."""
        found = self.names.names.season
        return Season(*found) if found else None

    @property
    def role(self) -> Role:
        return self.person.role if self.person else Role.DELEGATE

    @property
    def delegation_id(self) -> int | None:
        return self.person.delegation_id if self.person else None

    @property
    def short_name(self) -> str:
        return self.programme.get("short_name", "Plenary")

    async def subscriber(self, for_update: bool) -> Person | None:
        """Whose reminders a message is about: in a group chat or channel, the group's (changed
        only by its admins: see `may_change_group`); elsewhere the asker's."""
        message = self.incoming
        if message.group_title is None or message.chat_id is None:
            return await self.person_for_update() if for_update else self.person
        found = await people.find_account(self.session, message.platform, f"chat:{message.chat_id}")
        if found is not None or not for_update:
            return found[1] if found else None
        _account, group = await people.create_account(
            self.session,
            message.platform,
            f"chat:{message.chat_id}",
            clean(message.group_title)[:NAME_LIMIT],
            self.now,
            chat_id=message.chat_id,
        )
        return group

    async def may_change_group(self) -> bool:
        """True outside groups; in a group, only for the group's admins."""
        check = self.incoming.is_group_admin
        return self.incoming.group_title is None or (check is not None and await check())

    async def audit(
        self,
        action: str,
        target: str = "",
        before: Any = None,
        after: Any = None,
        allowed: bool = True,
    ) -> None:
        """Record, in this transaction, what the asker did (or was refused)."""
        await audit.record(
            self.session,
            self.now,
            self.person.id if self.person else None,
            self.incoming.platform,
            action,
            target,
            before,
            after,
            allowed,
            user_id=self.incoming.user_id,
        )

    async def know_sender(self) -> None:
        """Everyone who writes is a person Plenary may write back to: created at their first
        message, their account active again when they write from where they can be reached."""
        if self.person is None:
            # Alone in its transaction (no delivery key to record with the answer's effects),
            # the new account need not wait for the answer's commit.
            if self.newcomers is not None and not writes.pending(self.session.sync_session):
                await self._welcome(self.newcomers)
            else:
                await self.person_for_update()
            return
        if not isinstance(self.person, PersonView):
            return
        message, changed = self.incoming, {}
        if message.reachable and not self.person.reachable:
            changed["active"] = True
            if message.direct_chat_id is not None:
                changed["chat_id"] = message.direct_chat_id
        if message.language and message.language != self.person.app_language:
            changed["language"] = message.language
        if changed:
            await people.update_account(self.session, message.platform, message.user_id, **changed)

    async def person_for_update(self) -> Person:
        """The asker's person record (to change), created on their first change of anything."""
        if isinstance(self.person, PersonView):
            self.person = await self.session.get(Person, self.person.id)
        if self.person is None:
            message = self.incoming
            _account, self.person = await people.create_account(
                self.session,
                message.platform,
                message.user_id,
                clean(message.display_name)[:NAME_LIMIT],
                self.now,
                chat_id=message.direct_chat_id,
                active=message.reachable,
                language=message.language,
            )
        return self.person

    async def _welcome(self, newcomers: Newcomers) -> None:
        """A newcomer's account, committed with those of others writing at the same moment
        (before the answer goes out, as any account), rather than in this transaction."""
        message = self.incoming
        person_id = await newcomers.create(
            Newcomer(
                message.platform,
                message.user_id,
                clean(message.display_name)[:NAME_LIMIT],
                message.direct_chat_id,
                message.reachable,
                message.language,
            )
        )
        self.person = PersonView(
            person_id,
            Role.DELEGATE,
            None,
            None,
            None,
            None,
            None,
            message.reachable,
            message.language,
        )


@dataclass(frozen=True)
class Request:
    """What was asked, with the names and date found in it."""

    text: str
    issues: tuple[IssueName, ...] = ()
    delegations: tuple[tuple[DelegationName, ...], ...] = ()
    day: date | None = None
    no_such_day: str | None = None  # what looked like a date but is not one
    page: int = 1  # of a long list ("page 2")
    span: Span | None = None  # a week or a month ("next week", "in March")
    zone: str | None = None  # the time zone of a city named ("in Geneva time")
    leads: tuple[int, ...] = ()  # durations written, in minutes ("an hour before")
    ordinal: int = 1  # which of the next meetings (2: the one after next)
