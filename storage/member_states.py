"""The UN's Member States and observer States, which every database knows whatever its
programme: their short names and aliases come from `data/un_members.toml`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import DATA_DIR
from storage.database import MIGRATION_LOCK
from storage.files.programme_spec import DelegationSpec
from storage.files.programme_toml import read_programme
from storage.models import Delegation, DelegationKind

REFERENCE_FILE = DATA_DIR / "un_members.toml"

log = logging.getLogger(__name__)


@cache
def reference_states() -> dict[str, DelegationSpec]:
    """The reference list's States by key."""
    return {spec.key: spec for spec in read_programme(REFERENCE_FILE).delegations}


def with_reference_aliases(key: str, aliases: Iterable[str]) -> list[str]:
    """`aliases`, then those the reference list knows for the State with this key."""
    merged = list(aliases)
    spec = reference_states().get(key)
    if spec is not None:
        merged += [alias for alias in spec.aliases if alias not in merged]
    return merged


def _refresh(row: Delegation, spec: DelegationSpec) -> bool:
    """Bring a State's kind, name and aliases in line with the reference; True if changed."""
    values = {
        "kind": DelegationKind(spec.kind),
        "name": spec.name,
        "aliases": with_reference_aliases(spec.key, row.aliases),
    }
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in changed.items():
        setattr(row, name, value)
    return bool(changed)


async def ensure_member_states(session: AsyncSession) -> int:
    """Add the reference States a database lacks and update the others' kind, name and aliases
    (keeping aliases it has besides); returns how many rows changed, the caller commits.

    A State is found by key, else by name (a programme may have given it another key). Nothing
    is deleted; groups and memberships are left alone. The flush bumps the programme revision.
    """
    if session.bind.dialect.name == "postgresql":  # processes starting together take turns
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    rows = list(await session.scalars(select(Delegation)))
    by_key = {row.key: row for row in rows}
    by_name = {row.name.casefold(): row for row in rows if row.kind != DelegationKind.GROUP}
    changed = 0
    for spec in reference_states().values():
        row = by_key.get(spec.key) or by_name.get(spec.name.casefold())
        if row is None:
            session.add(
                Delegation(
                    key=spec.key,
                    kind=DelegationKind(spec.kind),
                    name=spec.name,
                    aliases=list(spec.aliases),
                )
            )
            changed += 1
        elif row.kind == DelegationKind.GROUP:
            log.warning("a group holds the key %r of %s: State not added", spec.key, spec.name)
        elif _refresh(row, spec):
            changed += 1
    await session.flush()
    return changed
