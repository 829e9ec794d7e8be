"""Whether a session has written anything in its transaction, so read-only work skips commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

KEY = "writes"  # how many writes the transaction made


def _wrote(session: Session) -> None:
    session.info[KEY] = session.info.get(KEY, 0) + 1


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    _wrote(session)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _wrote(state.session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(KEY, None)


def made(session: Session) -> int:
    """How many writes the current transaction made: compare two to know if work wrote."""
    return session.info.get(KEY, 0)


def pending(session: Session, since: int = 0) -> bool:
    """True when the current transaction wrote (since `made` said `since`), or holds changes
    not yet flushed."""
    return bool(made(session) > since or session.new or session.dirty or session.deleted)
