"""Key issue names and descriptions in the reader's language, and understood in any.

They come from the database, in English. The five names that General Assembly decision 62/557
fixed are in the catalogs (msgid = the English name, translated with the UN's wording in each
language), and so are the demo programme's descriptions of them; any other name or
description, or one a programme has reworded, is shown as stored. The five are understood
under their names in every language, and under the shorter words people use for them
(storage/data/key_issue_words.toml: "вето", "否决权").
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import cache
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import Context
from bot.core.group_names import with_group_names
from bot.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, translator
from storage import DATA_DIR
from storage.directory import Names, load_names

WORDS_FILE = DATA_DIR / "key_issue_words.toml"

KEY_ISSUES = frozenset(
    {
        N_("categories of membership"),
        N_("the question of the veto"),
        N_("regional representation"),
        N_("size of an enlarged Security Council and working methods of the Council"),
        N_("the relationship between the Council and the General Assembly"),
    }
)

# As in storage/demo/ign70.toml.
KEY_ISSUE_DESCRIPTIONS = frozenset(
    {
        N_(
            "Whether to add permanent seats, non-permanent (elected) seats, both, or "
            "longer-term re-electable seats."
        ),
        N_(
            "Whether the veto should be retained, restricted, abolished, or extended to new "
            "permanent members."
        ),
        N_("How new seats are distributed among regions and groups."),
        N_(
            "Total membership after enlargement (proposals range roughly 21-27) and the "
            "Council's procedures."
        ),
        N_(
            "Reporting, accountability and interaction between the Security Council and the "
            "General Assembly."
        ),
    }
)


# Shorter names for buttons, where the full ones are too long to read at a glance.
KEY_ISSUE_LABELS = {
    "categories of membership": N_("categories of membership"),
    "the question of the veto": N_("the veto"),
    "regional representation": N_("regional representation"),
    "size of an enlarged Security Council and working methods of the Council": N_(
        "size and working methods"
    ),
    "the relationship between the Council and the General Assembly": N_(
        "relationship with the General Assembly"
    ),
}


class Named(Protocol):
    @property
    def name(self) -> str: ...


class Described(Protocol):
    @property
    def description(self) -> str: ...


def _translated(ctx: Context, text: str, known: frozenset[str]) -> str:
    return ctx._(text) if text in known else text


def issue_name(ctx: Context, issue: Named | str) -> str:
    """A key issue's name (given as the issue or as its stored name) for the reader."""
    return _translated(ctx, issue if isinstance(issue, str) else issue.name, KEY_ISSUES)


def issue_label(ctx: Context, issue: Named) -> str:
    """A key issue's name for a button: the shorter form of the five, in the reader's
    language."""
    short = KEY_ISSUE_LABELS.get(issue.name)
    return ctx._(short) if short else issue.name


def issue_description(ctx: Context, issue: Described) -> str:
    """A key issue's description for the reader."""
    return _translated(ctx, issue.description, KEY_ISSUE_DESCRIPTIONS)


@cache
def _other_names() -> dict[str, tuple[str, ...]]:
    """Each of the five names -> its names and words in the other languages."""
    with WORDS_FILE.open("rb") as file:
        words = tomllib.load(file)
    others = [translator(code) for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    return {
        name: tuple(
            dict.fromkeys(
                [tr.gettext(name) for tr in others]
                + [word for in_one in words.get(name, {}).values() for word in in_one]
            )
        )
        for name in KEY_ISSUES
    }


async def understood_names(session: AsyncSession) -> Names:
    """Every name Plenary understands: the database's, the five key issues and the known
    groups in every language."""
    names = with_group_names(await load_names(session))
    others = _other_names()
    issues = tuple(
        replace(issue, aliases=(*issue.aliases, *others.get(issue.name, ())))
        for issue in names.issues
    )
    return replace(names, issues=issues)
