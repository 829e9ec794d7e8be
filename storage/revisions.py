"""The programme revision: a number that grows with every change to programme data.

Caches of names and of answers compare it to know they are current. It is bumped by the
session itself, in the same transaction as the change, whoever makes the change.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import Integer, String, cast, event, update
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import (
    Delegation,
    Document,
    Element,
    KeyIssue,
    Meeting,
    MeetingKeyIssue,
    Membership,
    MetaEntry,
    Position,
    PositionVersion,
    StanceVersion,
)

KEY = "programme_revision"
PROGRAMME = (
    Delegation,
    Document,
    Element,
    KeyIssue,
    Meeting,
    MeetingKeyIssue,
    Membership,
    MetaEntry,
    Position,
    PositionVersion,
    StanceVersion,
)


@event.listens_for(Session, "before_flush")
def _bump_on_programme_change(session: Session, _context: Any, _instances: Any) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(o, PROGRAMME) for o in changed):
        _bump_once(session)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_change(state: ORMExecuteState) -> None:
    """Bulk UPDATE and DELETE statements bypass the flush (an import removing a group's
    members): they bump the revision too."""
    if (state.is_update or state.is_delete) and any(
        issubclass(mapper.class_, PROGRAMME) for mapper in state.all_mappers
    ):
        _bump_once(state.session)


def _bump_once(session: Session) -> None:
    """Bump once a transaction (the flag is up before the bump's own UPDATE comes by)."""
    if not session.info.get("revision_bumped"):
        session.info["revision_bumped"] = True
        bump(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_bump(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("revision_bumped", None)


def changed(session: Session) -> bool:
    """True when the session's current transaction changed programme data."""
    return bool(session.info.get("revision_bumped"))


def bump(session: Session) -> None:
    """Add one to the revision (creating it at 1), inside the session's transaction."""
    result = session.execute(
        update(MetaEntry)
        .where(MetaEntry.key == KEY)
        .values(value=cast(cast(MetaEntry.value, Integer) + 1, String))
    )
    if result.rowcount == 0:
        session.add(MetaEntry(key=KEY, value="1"))
