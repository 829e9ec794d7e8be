"""Key issue names and descriptions in the reader's language.

They come from the database, in English. The five names that General Assembly decision 62/557
fixed are in the catalogs (msgid = the English name, translated with the UN's wording in each
language), and so are the demo programme's descriptions of them; any other name or
description, or one a programme has reworded, is shown as stored.
"""

from __future__ import annotations

from typing import Protocol

from bot.context import Context
from bot.i18n import N_

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


def issue_description(ctx: Context, issue: Described) -> str:
    """A key issue's description for the reader."""
    return _translated(ctx, issue.description, KEY_ISSUE_DESCRIPTIONS)
