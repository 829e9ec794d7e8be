"""Whether a session has written anything in its transaction, so read-only work skips commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

KEY = "wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[KEY] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(KEY, None)


def pending(session: Session) -> bool:
    """True when the current transaction wrote, or holds changes not yet flushed."""
    return bool(session.info.get(KEY) or session.new or session.dirty or session.deleted)
