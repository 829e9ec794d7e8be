"""Handlers: one module per capability; importing this package registers their commands."""

from handlers import (
    accounts,
    announcements,
    groups,
    help,
    issues,
    letters,
    meetings,
    notices,
    positions,
    programme,
    roles,
    settings,
    subscriptions,
)

__all__ = [
    "accounts",
    "announcements",
    "groups",
    "help",
    "issues",
    "letters",
    "meetings",
    "notices",
    "positions",
    "programme",
    "roles",
    "settings",
    "subscriptions",
]
