"""The shared core: one incoming message in, one reply out, whatever the platform."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import HttpConfig
from bot.core import notices
from bot.core.clock import Clock
from bot.core.commands import DOCUMENT_COMMAND
from bot.core.context import Context
from bot.core.i18n import Translator, translator
from bot.core.issue_names import understood_names
from bot.core.messages import Button, Incoming, Reply
from bot.core.names import NameIndex
from bot.core.newcomers import Newcomers, Senders
from bot.core.reply_cache import ReplyCache
from bot.core.router import route
from bot.core.text import clean
from bot.metrics import ANSWER_SECONDS
from storage import meta, revisions, writes
from storage.files.calendar_ics import DEFAULT_LENGTH
from storage.models import (
    Account,
    Announcement,
    Delivery,
    Meeting,
    Person,
    PositionVersion,
    Role,
    SpeakerList,
)
from storage.once import first_delivery
from storage.people import PersonView

log = logging.getLogger(__name__)
MAX_LENGTH = 5000  # above Telegram's 4,096: any Telegram message is read
SNAPSHOT_TTL = 2.0
SENDERS_KEPT = 10_000
OPERATOR_PLATFORM = "cli"
OPERATOR = PersonView(None, Role.CHAIR, None, None, None, None, None, False)


@dataclass(frozen=True)
class _Snapshot:
    revision: int
    names: NameIndex
    programme: dict[str, str]
    checked_at: float = 0.0


def list_changed(tr: Translator) -> Reply:
    """The answer to a button whose target no longer exists."""
    _ = tr.gettext
    return (
        Reply()
        .paragraph(
            _("This list has changed since it was sent. Here is where to find what is current.")
        )
        .button_row(
            Button(_("Next meeting"), "/next"),
            Button(_("Upcoming meetings"), "/meetings"),
            Button(_("Key issues"), "/issues"),
        )
    )


class Core:
    """Answers messages: opens a session, builds the context, routes, commits."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        public_url: str = HttpConfig().base_url,
        meeting_length: timedelta = DEFAULT_LENGTH,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.monotonic = monotonic  # what SNAPSHOT_TTL is measured by (tests hold it still)
        self.public_url = public_url.rstrip("/")
        self.meeting_length = meeting_length
        self._snapshot: _Snapshot | None = None
        self.replies = ReplyCache()
        self.newcomers = Newcomers(sessions, clock.now)
        self.senders = Senders(sessions)
        self._senders: OrderedDict[tuple[str, str], tuple[PersonView | None, float]] = OrderedDict()
        self.on_commit: Callable[[], None] | None = None  # e.g. wake the dispatcher

    async def snapshot(self, session: AsyncSession) -> _Snapshot:
        """Names and programme settings, reloaded when an import changed them.

        The revision is read at most every SNAPSHOT_TTL seconds: another process's import
        shows within that delay, and the hot path saves a query.
        """
        current = self._snapshot
        if current is not None and self.monotonic() - current.checked_at < SNAPSHOT_TTL:
            return current
        revision = await meta.revision(session)
        if current is None or current.revision != revision:
            current = _Snapshot(
                revision,
                NameIndex(await understood_names(session)),
                await meta.programme_settings(session),
            )
        self._snapshot = replace(current, checked_at=self.monotonic())
        return self._snapshot

    async def warm_up(self) -> None:
        """Read the names and programme settings now rather than at the first message."""
        async with self.sessions() as session:
            await self.snapshot(session)

    def invalidate(self) -> None:
        """Forget names and answers at once (after a change made by this process)."""
        self._snapshot = None
        self.replies = ReplyCache()
        self._senders.clear()

    async def context(self, session: AsyncSession, incoming: Incoming) -> Context:
        return await self.context_for(session, incoming, await self._sender(session, incoming))

    async def _sender(self, session: AsyncSession, incoming: Incoming) -> PersonView | None:
        """Who sent a message, read at most every SNAPSHOT_TTL seconds per account (this
        process forgets them all whenever it writes; another process's change shows within
        that delay)."""
        key = (incoming.platform, incoming.user_id)
        cached = self._senders.get(key)
        if cached is not None and self.monotonic() - cached[1] < SNAPSHOT_TTL:
            return cached[0]
        person = await self.senders.find(incoming.platform, incoming.user_id)
        self._senders[key] = (person, self.monotonic())
        if len(self._senders) > SENDERS_KEPT:
            self._senders.popitem(last=False)
        return person

    async def context_for(
        self, session: AsyncSession, incoming: Incoming, person: Person | PersonView | None
    ) -> Context:
        """The context of a message from a person already known (or known to be new)."""
        language = (person.language if person else None) or incoming.language
        snapshot = await self.snapshot(session)
        return Context(
            session=session,
            clock=self.clock,
            names=snapshot.names,
            incoming=incoming,
            tr=translator(language),
            programme=snapshot.programme,
            revision=snapshot.revision,
            replies=self.replies,
            person=person,
            public_url=self.public_url,
            meeting_length=self.meeting_length,
            newcomers=self.newcomers,
        )

    async def notice(
        self,
        session: AsyncSession,
        delivery: Delivery,
        account: Account,
        person: Person,
        subject: Meeting | Announcement | PositionVersion | SpeakerList,
    ) -> Reply:
        """A proactive message (about a meeting, or an announcement) rendered for its reader;
        readers alike share one rendering."""
        incoming = Incoming(
            account.platform,
            account.external_id,
            "",
            chat_id=account.chat_id,
            language=account.language,
        )
        ctx = await self.context_for(session, incoming, person)
        late = notices.is_late(ctx, delivery)
        key = (
            "notice",
            delivery.kind,
            subject.id,
            getattr(subject, "corrections", None),
            getattr(subject, "revision", None),  # a list of speakers as it stands
            repr(delivery.payload),
            late,
            *ctx.cache_key("", "")[2:],
        )
        reply = self.replies.get(key)
        if reply is None:
            reply = await notices.render(ctx, delivery, subject)
            self.replies.put(key, reply)
        return reply

    async def answer_as_operator(self, text: str, login: str = "operator") -> Reply:
        """A command typed at the command line by whoever runs Plenary: answered with the
        Chair's office's rights, audited as the operator ("cli", their login, no person)."""
        incoming = Incoming(OPERATOR_PLATFORM, login, text)
        async with self.sessions() as session:
            ctx = await self.context_for(session, incoming, OPERATOR)
            reply = await route(ctx, clean(text))
            await session.commit()
        self.invalidate()
        return reply

    async def answer(self, incoming: Incoming) -> Reply:
        """The reply to one message; never raises."""
        reply = await self.answer_once(incoming, None)
        assert reply is not None  # only a repeated once-key gets no reply
        return reply

    async def answer_once(self, incoming: Incoming, once_key: str | None) -> Reply | None:
        """Like `answer`, for a delivery a platform may repeat: the key is recorded in the
        same transaction as the answer's effects, so a repeat gets None and changes nothing,
        and a crash before the commit leaves the repeat to do the work."""
        with ANSWER_SECONDS.labels(incoming.platform).time():
            try:
                return await self._answer(incoming, once_key, retrying=False)
            except IntegrityError:  # a race, e.g. the same new person writing twice at once
                self._senders.pop((incoming.platform, incoming.user_id), None)
                return await self._answer(incoming, once_key, retrying=True)

    async def _answer(
        self, incoming: Incoming, once_key: str | None, retrying: bool
    ) -> Reply | None:
        tr = translator(incoming.language)
        text = clean(incoming.text)
        if not text and incoming.attachment is not None:
            text = f"/{DOCUMENT_COMMAND}"
        if not text:
            return Reply().paragraph(
                tr.gettext("Ask me something, e.g. “when is the next meeting?”, or type /help.")
            )
        if len(text) > MAX_LENGTH:
            return Reply().paragraph(
                tr.gettext(
                    "That message is too long ({length} characters). I read questions of up to "
                    "{limit} characters."
                ).format(length=tr.number(len(text)), limit=tr.number(MAX_LENGTH))
            )
        try:
            async with self.sessions() as session:
                if once_key and not await first_delivery(
                    session, incoming.platform, once_key, self.clock.now()
                ):
                    return None
                ctx = await self.context(session, incoming)
                newcomer = ctx.person is None
                await ctx.know_sender()
                if newcomer:  # now a person (committed at once): read them again next time
                    self._senders.pop((incoming.platform, incoming.user_id), None)
                known = writes.made(session.sync_session)
                reply = await route(ctx, text)
                if incoming.via_button and reply.not_found:
                    reply = list_changed(ctx.tr)
                if writes.pending(session.sync_session):
                    await session.flush()
                    programme_changed = revisions.changed(session.sync_session)
                    only_the_sender = not writes.pending(session.sync_session, since=known)
                    await session.commit()
                    # A new sender's first message writes only their account: every other
                    # sender read before is still as read.
                    if only_the_sender:
                        self._senders.pop((incoming.platform, incoming.user_id), None)
                    else:
                        self._senders.clear()
                    if programme_changed:
                        self.invalidate()
                    if self.on_commit is not None:
                        self.on_commit()
                return reply
        except (SQLAlchemyError, OSError) as error:
            if isinstance(error, IntegrityError) and not retrying:
                raise
            log.exception("database unavailable while answering %s", incoming.platform)
            return Reply().paragraph(
                tr.gettext("Plenary is temporarily unavailable. Please try again in a moment.")
            )
        except Exception:
            log.exception("failed to answer a message on %s", incoming.platform)
            return Reply().paragraph(
                tr.gettext("Sorry, something went wrong on my side. The problem has been logged.")
            )
