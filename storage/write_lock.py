"""One short write at a time per database in this process, waited for in the event loop.

SQLite lets one transaction write at a time; a second connection that tries waits in SQLite's
busy handler, which sleeps in growing steps (1, 2, 5, 10 ... 100 ms) whatever the first one
does: new people writing at once, each waited for in those steps, took 5 to 40 ms each.
Queued on an asyncio lock instead, each begins the moment the last one has committed.
"""

from __future__ import annotations

import asyncio
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

_LOCKS: WeakKeyDictionary[Engine, asyncio.Lock] = WeakKeyDictionary()


def write_lock(session: AsyncSession) -> asyncio.Lock:
    """The lock of the session's database: hold it from a transaction's first write to its
    commit, and keep that short."""
    engine = session.sync_session.get_bind()
    lock = _LOCKS.get(engine)
    if lock is None:
        lock = _LOCKS[engine] = asyncio.Lock()
    return lock
