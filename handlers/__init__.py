"""Handlers: one module per capability; importing this package registers their commands."""

from handlers import groups, help, issues, meetings, positions, settings

__all__ = ["groups", "help", "issues", "meetings", "positions", "settings"]
