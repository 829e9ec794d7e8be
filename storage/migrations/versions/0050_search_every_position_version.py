"""full-text search over every position version (SQLite), so that a search as of a past day
finds the version then latest

Revision ID: 0050
Revises: 0040
Create Date: 2026-12-02

SQLite's FTS5 table held only each position's latest version (migration 0010); the clock
now decides which version is the latest known, so every version is indexed, as PostgreSQL's
generated column already does, and the search joins to the versions known by its day.
"""

import importlib

from alembic import op

revision = "0050"
down_revision = "0040"
branch_labels = None
depends_on = None

_EVERY_VERSION = {
    "position_search_version_added": """
        AFTER INSERT ON position_versions
        BEGIN INSERT INTO position_search(rowid, text) VALUES (new.id, new.text); END""",
    "position_search_version_edited": """
        AFTER UPDATE OF text ON position_versions
        BEGIN
            INSERT INTO position_search(position_search, rowid, text)
                VALUES ('delete', old.id, old.text);
            INSERT INTO position_search(rowid, text) VALUES (new.id, new.text);
        END""",
    "position_search_version_removed": """
        BEFORE DELETE ON position_versions
        BEGIN
            INSERT INTO position_search(position_search, rowid, text)
                VALUES ('delete', old.id, old.text);
        END""",
}
_LATEST_ONLY = importlib.import_module(
    "storage.migrations.versions.0010_position_search"
).SQLITE_TRIGGERS


def _reindex(triggers: dict[str, str], versions: str) -> None:
    """Replace the old triggers by `triggers` and index the versions `versions` selects."""
    for name in {**_EVERY_VERSION, **_LATEST_ONLY}:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("INSERT INTO position_search(position_search) VALUES ('delete-all')")
    op.execute(f"INSERT INTO position_search(rowid, text) {versions}")
    for name, body in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _reindex(_EVERY_VERSION, "SELECT id, text FROM position_versions")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _reindex(
            _LATEST_ONLY,
            "SELECT v.id, v.text FROM position_versions v "
            "JOIN positions p ON p.id = v.position_id AND v.number = p.version_count",
        )
