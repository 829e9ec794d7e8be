"""Full-text search over the latest version of every position, alike on SQLite and PostgreSQL.

The database finds the candidates through its index of every version (migrations 0010 and
0050: FTS5 on SQLite, a GIN index on PostgreSQL), kept to each position's latest version
known by the day searched; Python then checks each one against the query and ranks them, so that
both databases give the same hits in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, cast, column, literal_column, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from storage import positions
from storage.models import Delegation, KeyIssue, PositionVersion
from storage.positions import CurrentPosition
from storage.search_query import Query, parse_query
from storage.search_text import fold

_FTS5 = table("position_search", column("rowid"))  # SQLite: every version's words
_VECTOR = literal_column("position_versions.position_search")  # PostgreSQL: each version's


class EmptyQuery(ValueError):
    """The search holds no word to look for (it is empty, or only punctuation)."""


@dataclass(frozen=True)
class Hit(CurrentPosition):
    """A current position that mentions every term searched for."""

    rank: int  # how often it mentions the terms: the more, the earlier
    terms: tuple[str, ...]  # the words and phrases that matched, as folded (see search_text)


class Hits(list[Hit]):
    """A page of hits, knowing how many there are in all."""

    def __init__(self, hits: list[Hit], total: int) -> None:
        super().__init__(hits)
        self.total = total


def _candidates(dialect: str, query: Query, as_of: date | None) -> Select:
    found = positions.latest(
        PositionVersion.id, PositionVersion.text, Delegation.name, KeyIssue.position, as_of=as_of
    )
    if dialect == "sqlite":
        return found.join(_FTS5, _FTS5.c.rowid == PositionVersion.id).where(
            literal_column("position_search").match(query.fts5())
        )
    return found.where(_VECTOR.op("@@")(cast(query.tsquery(), TSQUERY)))


async def search_positions(
    session: AsyncSession,
    query: str | Query,
    limit: int = 10,
    offset: int = 0,
    as_of: date | None = None,
) -> Hits:
    """The current positions that mention every term of `query`, the most mentions first
    (then by holder and key issue); raises EmptyQuery when there is nothing to search for."""
    parsed = parse_query(query) if isinstance(query, str) else query
    if parsed is None:
        raise EmptyQuery(query)
    ranked = []
    for version_id, text, holder, issue_order in await session.execute(
        _candidates(session.bind.dialect.name, parsed, as_of)
    ):
        mentions = parsed.mentions(fold(text))
        if mentions:  # else the database read the words otherwise (see search_text)
            ranked.append((-mentions, holder, issue_order, version_id))
    ranked.sort()
    page = ranked[offset : offset + limit]
    current = {
        c.version.id: c
        for c in await positions.of_versions(session, [row[3] for row in page], as_of)
    }
    hits = []
    for rank, _, _, version_id in page:
        c = current.get(version_id)
        if c is not None:  # unless a write came in between
            terms = parsed.found(fold(c.version.text))
            hits.append(Hit(c.delegation, c.key_issue, c.version, c.version_count, -rank, terms))
    return Hits(hits, len(ranked))
