"""Key issue names in the reader's language.

The names come from the database, in English. The five that General Assembly decision 62/557
fixed are in the catalogs (msgid = the English name, translated with the UN's wording in each
language); any other name, or one a programme has reworded, is shown as stored.
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


class Named(Protocol):
    @property
    def name(self) -> str: ...


def issue_name(ctx: Context, issue: Named | str) -> str:
    """A key issue's name (given as the issue or as its stored name) for the reader."""
    name = issue if isinstance(issue, str) else issue.name
    return ctx._(name) if name in KEY_ISSUES else name
