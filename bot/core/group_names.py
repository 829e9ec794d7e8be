"""Groups of States under their names in the six languages (storage/data/group_names.toml):
understood under every one of them, shown under the reader's."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import cache

from bot.core.names import normalize
from storage import DATA_DIR
from storage.directory import DelegationName, Names
from storage.models import DelegationKind

GROUPS_FILE = DATA_DIR / "group_names.toml"


@cache
def _known() -> dict[str, dict]:
    """Each known group's English names (normalized) -> its names and aliases by language."""
    with GROUPS_FILE.open("rb") as file:
        groups = tomllib.load(file)
    return {normalize(name): spec for spec in groups.values() for name in spec["match"]}


def _spec(group: DelegationName) -> dict | None:
    known = _known()
    for name in (group.name, *group.aliases):
        spec = known.get(normalize(name))
        if spec is not None:
            return spec
    return None


@cache
def _shown(name: str, aliases: tuple[str, ...], language: str) -> str | None:
    spec = _spec(DelegationName(0, "", name, DelegationKind.GROUP, aliases, None))
    return spec["name"].get(language) if spec else None


def group_name(group: DelegationName, language: str) -> str:
    """A group's name for a reader of `language`: the UN's name in that language where the
    group is a known one; in English, and otherwise, as the programme names it."""
    if language == "en":
        return group.name
    return _shown(group.name, group.aliases, language) or group.name


def with_group_names(names: Names) -> Names:
    """The names with every known group's names in the six languages added as aliases."""
    delegations = []
    for delegation in names.delegations:
        spec = _spec(delegation) if delegation.kind == DelegationKind.GROUP else None
        if spec is not None:
            more = [*spec["name"].values()] + [
                a for words in spec["aliases"].values() for a in words
            ]
            delegation = replace(delegation, aliases=(*delegation.aliases, *dict.fromkeys(more)))
        delegations.append(delegation)
    return replace(names, delegations=tuple(delegations))
