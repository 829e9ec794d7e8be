"""Handlers: one module per capability; importing this package registers their commands."""

from handlers import (
    accounts,
    announcements,
    follows,
    groups,
    help,
    history,
    issues,
    letters,
    meetings,
    notices,
    positions,
    programme,
    roles,
    settings,
    submissions,
    subscriptions,
)

__all__ = [
    "accounts",
    "announcements",
    "follows",
    "groups",
    "help",
    "history",
    "issues",
    "letters",
    "meetings",
    "notices",
    "positions",
    "programme",
    "roles",
    "settings",
    "submissions",
    "subscriptions",
]
