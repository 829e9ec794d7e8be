"""States and groups under their names in the reader's language (States: the Unicode CLDR's,
through Babel, and the UN's short names in English; groups: storage/data/group_names.toml),
and lists of names joined by each language's own rule (Babel's format_list)."""

from __future__ import annotations

from functools import cache
from typing import Protocol

from babel import Locale
from babel.lists import format_list

from bot.core.context import Context
from bot.core.group_names import group_name
from storage.directory import DelegationName
from storage.models import DelegationKind
from storage.state_names import codes


class Holder(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> DelegationKind: ...


@cache
def _state_name(key: str, language: str) -> str | None:
    code = codes().get(key)
    return Locale(language).territories.get(code) if code else None


def holder_name(ctx: Context, holder: Holder) -> str:
    """A State's or group's name for the reader."""
    language = ctx.tr.language
    if language == "en":
        return holder.name
    if holder.kind == DelegationKind.GROUP:
        found = ctx.names.delegations.get(getattr(holder, "id", -1))
        named = found if isinstance(found, DelegationName) else None
        if named is None:
            return holder.name
        return group_name(named, language)
    return _state_name(holder.key, language) or holder.name


def names_list(ctx: Context, names: list[str]) -> str:
    """ "A, B and C" as the reader's language writes it ("A、B和C", "A و B")."""
    return format_list(names, locale=ctx.tr.language) if names else ""
