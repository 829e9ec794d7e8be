"""The schema: SQLAlchemy 2 typed models for everything Plenary stores."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant, whatever the database keeps.

    SQLite drops offsets; PostgreSQL keeps them. Both come back aware and in UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC instant is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class DelegationKind(enum.StrEnum):
    MEMBER_STATE = "member_state"
    OBSERVER_STATE = "observer_state"
    GROUP = "group"


class Role(enum.StrEnum):
    DELEGATE = "delegate"
    FOCAL_POINT = "focal_point"
    CHAIR = "chair"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        length=20,
    )


class MetaEntry(Base):
    """Small facts about the database itself (which demo it holds, cache revisions)."""

    __tablename__ = "plenary_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Document(Base):
    """A letter, statement or other source that meetings and positions cite.

    A document brought as a file keeps the file (`content`), its text a page at a time
    (`pages`), a SHA-256 of the file (one record per file, however often it is brought) and
    who brought it, when and from where (`brought_via`: a platform, or "cli").
    """

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None] = mapped_column(Date)
    body: Mapped[str | None] = mapped_column(Text)
    symbol: Mapped[str | None] = mapped_column(String(64), index=True)  # A/70/L.1, S/2016/1
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(127))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pages: Mapped[list[str] | None] = mapped_column(JSON, deferred=True)
    brought_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    brought_via: Mapped[str | None] = mapped_column(String(16))
    brought_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class KeyIssue(Base):
    __tablename__ = "key_issues"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class Meeting(Base):
    """A meeting of the process. Its local date is always known; its time and room may not be.

    `starts_at` is null while the time is to be announced. `sort_at` orders meetings (the start,
    or local midnight of a date-only meeting) and `until_at` says until when the meeting counts
    as upcoming (the start, or the end of its local day).
    """

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    local_date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    room: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    notes: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    until_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE: +1 a change
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    key_issues: Mapped[list[KeyIssue]] = relationship(
        secondary="meeting_key_issues", order_by="KeyIssue.position"
    )


class MeetingKeyIssue(Base):
    __tablename__ = "meeting_key_issues"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    key_issue_id: Mapped[int] = mapped_column(
        ForeignKey("key_issues.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Delegation(Base):
    """A Member State, an observer State or a group of States: whoever can hold a position."""

    __tablename__ = "delegations"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[DelegationKind] = mapped_column(_enum(DelegationKind, "delegation_kind"))
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class Membership(Base):
    """A State's membership of a group."""

    __tablename__ = "memberships"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Position(Base):
    """A delegation's position on a key issue; its text lives in numbered versions."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("delegation_id", "key_issue_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"))
    key_issue_id: Mapped[int] = mapped_column(
        ForeignKey("key_issues.id", ondelete="CASCADE"), index=True
    )
    version_count: Mapped[int] = mapped_column(Integer, default=0)


class PositionVersion(Base):
    """One version of a position: never changed once written."""

    __tablename__ = "position_versions"
    __table_args__ = (UniqueConstraint("position_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    stated_on: Mapped[date | None] = mapped_column(Date)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Person(Base):
    """Someone using Plenary, who may have accounts on several platforms."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[Role] = mapped_column(_enum(Role, "person_role"), default=Role.DELEGATE)
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )  # the delegation a focal point acts for, or a delegate's, once confirmed
    # The delegation a delegate says they belong to, until a focal point of it (or the
    # Chair's office) confirms it.
    claimed_delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None] = mapped_column(String(16))  # chosen with /language
    timezone: Mapped[str | None] = mapped_column(String(64))
    preferred_platform: Mapped[str | None] = mapped_column(String(16))
    lead_times: Mapped[list[int] | None] = mapped_column(JSON)  # minutes before a meeting
    speakers_ahead: Mapped[int | None] = mapped_column(Integer)  # "N speakers before you"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # /stop: no messages
    # The digest (/digest): at this local time ("08:00"; none: no digest), every day or on
    # one weekday (0 Monday .. 6 Sunday); `digest_only`: non-urgent messages only in it.
    digest_at: Mapped[str | None] = mapped_column(String(5))
    digest_weekday: Mapped[int | None] = mapped_column(Integer)
    digest_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Quiet hours (/quiet), local times: non-urgent messages wait until `quiet_until`.
    quiet_from: Mapped[str | None] = mapped_column(String(5))
    quiet_until: Mapped[str | None] = mapped_column(String(5))


class Account(Base):
    """A person's identity on one platform (Telegram, Slack, the terminal)."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(16))  # the app's, as last written from
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Subscription(Base):
    """A wish to be reminded of meetings (all of them, or those on one key issue): a person's,
    or a group chat's or channel's (then `account_id` names the chat's account)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("person_id", "key_issue_id"),
        Index("ix_subscriptions_key_issue_id", "key_issue_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    key_issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("key_issues.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ButtonCommand(Base):
    """A command too long for a button's payload (Telegram allows 64 bytes), kept by token.
    `used_at` says when a message last carried it: tokens unused for long are pruned."""

    __tablename__ = "button_commands"
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    command: Mapped[str] = mapped_column(Text)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class ProcessedUpdate(Base):
    """An update or event already handled, so that a platform's re-delivery acts only once."""

    __tablename__ = "processed_updates"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class InboxEvent(Base):
    """What a platform delivered and Plenary acknowledged, kept from the acknowledgement until
    it is handled: a crash in between loses nothing, and a re-delivery finds its key taken."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("platform", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(128), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a handler's lease
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OneTimeCode(Base):
    """A short code that works once before it expires (account links, invitations).

    Only a hash of the code is stored: a copy of the database gives no usable code.
    """

    __tablename__ = "one_time_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"


class Delivery(Base):
    """One proactive message to one account: the outbox.

    `key` is unique per (notice, lead time, account), so planning twice enqueues once.
    A dispatcher claims due rows (status sending, with a lease in real time and a
    `claim_token` unique to that claim), sends, and records the platform's message id; only
    the holder of the current claim can settle a row, and a lease that runs out (its holder
    died) returns the row to pending. `parts_sent` counts the parts of a long text that went
    out before a failure, so that a retry resumes after them.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "status", "due_at"),
        # An announcement's unsettled rows, looked for each time some of its rows settle.
        Index("ix_deliveries_announcement_status", "announcement_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    announcement_id: Mapped[int | None] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("position_versions.id", ondelete="CASCADE"), index=True
    )
    speaker_list_id: Mapped[int | None] = mapped_column(
        ForeignKey("speaker_lists.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    first_tried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """A write by the Chair's office or a focal point, or a refused attempt: who, when, where,
    what, and the value before and after."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(16))
    # The platform's id of the account: names the actor even when no person was stored.
    user_id: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)


class AnnouncementStatus(enum.StrEnum):
    DRAFT = "draft"  # shown as a preview, nothing sent
    CONFIRMED = "confirmed"  # its deliveries are in the outbox, due at `send_at`
    CANCELLED = "cancelled"


class Announcement(Base):
    """A message from the Chair's office to an audience, sent through the outbox.

    `audience` says whom it addresses ({"kind": "all" | "delegates" | "group" | "delegation" |
    "issue", "id": ..., "label": ...}). Deliveries render `text` when they are sent, so a
    correction reaches those not yet served as well; `corrections` counts the corrections.
    Confirming it, like a correction, goes through a `Draft`.
    """

    __tablename__ = "announcements"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[AnnouncementStatus] = mapped_column(
        _enum(AnnouncementStatus, "announcement_status"), default=AnnouncementStatus.DRAFT
    )
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_type: Mapped[str | None] = mapped_column(String(127))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    corrections: Mapped[int] = mapped_column(Integer, default=0)
    # Not urgent: held by readers' quiet hours, and only in the digest of those who ask so.
    urgent: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Follow(Base):
    """A wish to hear of every new position version of a delegation, or on a key issue."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("person_id", "delegation_id", "key_issue_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    key_issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("key_issues.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarFeed(Base):
    """A person's private calendar subscription: only a hash of its token is kept."""

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(String(64))  # of the feed last served
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # since when it holds


class Draft(Base):
    """A preview waiting for its author's confirmation: every preview -> confirm flow is one.

    `token` is what the Confirm and Cancel buttons carry; only the author (a person, or the
    operator at the command line when `author_id` is null) may use it, once, before
    `expires_at`. `subject` names what it is about ("announcement:12"), so a newer preview of
    the same thing replaces an older one.
    """

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64), default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    author_platform: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))  # confirmed | discarded | replaced


class CoverAnswer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Coverage(Base):
    """Whether a member of a delegation will cover a meeting for it: yes, no or maybe."""

    __tablename__ = "coverages"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    # The delegation the person answered for (a person may move to another later).
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[CoverAnswer] = mapped_column(_enum(CoverAnswer, "cover_answer"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ElementStatus(enum.StrEnum):
    """How a Co-Chairs' paper marks an element."""

    CONVERGENCE = "convergence"  # a commonality
    FURTHER = "further"  # an issue for further consideration


class StanceValue(enum.StrEnum):
    SUPPORTS = "supports"
    OPPOSES = "opposes"
    CONDITIONAL = "conditional"
    NONE = "none"  # no stated position


class Element(Base):
    """A proposition under a key issue, as a paper words it: the rows of the convergence map.

    `paper_id` and `status` are null for an element that comes from no paper on record.
    """

    __tablename__ = "elements"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # "categories-2"
    key_issue_id: Mapped[int] = mapped_column(
        ForeignKey("key_issues.id", ondelete="CASCADE"), index=True
    )
    wording: Mapped[str] = mapped_column(Text)
    paper_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    status: Mapped[ElementStatus | None] = mapped_column(_enum(ElementStatus, "element_status"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class StanceVersion(Base):
    """One version of a State's or group's stance on an element: never changed once written.

    The stance in force at a date is the one stated last on or before it (then the highest
    number); `sources` name documents ("KEY" or "KEY#page"), position versions
    ("position:ID") or anything else as given.
    """

    __tablename__ = "stance_versions"
    __table_args__ = (UniqueConstraint("element_id", "delegation_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    stance: Mapped[StanceValue] = mapped_column(_enum(StanceValue, "stance_value"))
    stated_on: Mapped[date | None] = mapped_column(Date)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpeakerStatus(enum.StrEnum):
    INSCRIBED = "inscribed"
    SPEAKING = "speaking"
    SPOKEN = "spoken"
    WITHDRAWN = "withdrawn"
    MOVED = "moved"  # inscribed, at another place than the one first given


class SpeakerList(Base):
    """A meeting's list of speakers, held by the Chair's office.

    `room_token_hash` is the hash of the secret link to the room's page (None: no link);
    `changed_at` and `revision` say when anything on the list last changed, and how often.
    """

    __tablename__ = "speaker_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    groups_first: Mapped[bool] = mapped_column(Boolean, default=True)
    repeats_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    room_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # +1 a change


class Speaker(Base):
    """One turn on a list: a delegation, whom it speaks for, its time limit and status.

    `place` orders the list; `moves` counts the times the Chair's office moved it (alerts
    about its place are keyed by it, so a move is told once and alerts already sent are
    corrected)."""

    __tablename__ = "speakers"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_lists.id", ondelete="CASCADE"), index=True
    )
    place: Mapped[int] = mapped_column(Integer)
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    on_behalf_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )
    limit_seconds: Mapped[int] = mapped_column(Integer)
    status: Mapped[SpeakerStatus] = mapped_column(
        _enum(SpeakerStatus, "speaker_status"), default=SpeakerStatus.INSCRIBED
    )
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    moves: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SpeakerRequest(Base):
    """A delegation's request to be inscribed, until the Chair's office accepts or declines it
    (`status`: pending | accepted | declined, with the reason sent back)."""

    __tablename__ = "speaker_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_lists.id", ondelete="CASCADE"), index=True
    )
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"))
    on_behalf_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FloorWatch(Base):
    """A wish to be told when a State or group takes the floor, at any meeting."""

    __tablename__ = "floor_watches"
    __table_args__ = (UniqueConstraint("person_id", "delegation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
