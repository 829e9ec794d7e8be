"""full-text search over positions

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

SQLite: a contentless FTS5 table holding the words of each position's latest version (rowid =
the version's id), kept so by triggers: a version is indexed while its number is its
position's `version_count`. PostgreSQL: each version's words in a stored generated tsvector
column with a GIN index; searches join to the latest versions. Words are defined once, in
storage/search_text.py: a change there needs a migration that rebuilds both.
"""

from alembic import op

from storage.search_text import FTS5_TOKENIZER, postgres_vector_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_LATEST = (
    "SELECT id, text FROM position_versions WHERE position_id = {row}.id "
    "AND number = {row}.version_count"
)
_UNINDEX = "INSERT INTO position_search(position_search, rowid, text) SELECT 'delete', id, text "
_INDEX = "INSERT INTO position_search(rowid, text) SELECT id, text "
_IS_LATEST = "{row}.number = (SELECT version_count FROM positions WHERE id = {row}.position_id)"

SQLITE_TRIGGERS = {
    "position_search_version_added": f"""
        AFTER INSERT ON position_versions WHEN {_IS_LATEST.format(row="new")}
        BEGIN INSERT INTO position_search(rowid, text) VALUES (new.id, new.text); END""",
    "position_search_version_edited": f"""
        AFTER UPDATE OF text ON position_versions WHEN {_IS_LATEST.format(row="new")}
        BEGIN
            INSERT INTO position_search(position_search, rowid, text)
                VALUES ('delete', old.id, old.text);
            INSERT INTO position_search(rowid, text) VALUES (new.id, new.text);
        END""",
    "position_search_version_removed": f"""
        BEFORE DELETE ON position_versions WHEN {_IS_LATEST.format(row="old")}
        BEGIN
            INSERT INTO position_search(position_search, rowid, text)
                VALUES ('delete', old.id, old.text);
        END""",
    "position_search_latest_changed": f"""
        AFTER UPDATE OF version_count ON positions
        WHEN old.version_count IS NOT new.version_count
        BEGIN
            {_UNINDEX}FROM ({_LATEST.format(row="old")});
            {_INDEX}FROM ({_LATEST.format(row="new")});
        END""",
    "position_search_position_removed": f"""
        BEFORE DELETE ON positions
        BEGIN {_UNINDEX}FROM ({_LATEST.format(row="old")}); END""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE position_search USING fts5("
            f"text, content='', tokenize='{FTS5_TOKENIZER}')"
        )
        op.execute(
            f"{_INDEX}FROM (SELECT v.id, v.text FROM position_versions v "
            "JOIN positions p ON p.id = v.position_id AND v.number = p.version_count)"
        )
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        return
    op.execute(
        "CREATE FUNCTION position_search_vector(body text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $search$ SELECT {postgres_vector_sql('body')} $search$"
    )
    op.execute(
        "ALTER TABLE position_versions ADD COLUMN position_search tsvector "
        "GENERATED ALWAYS AS (position_search_vector(text)) STORED"
    )
    op.execute(
        "CREATE INDEX position_search_words ON position_versions USING gin (position_search)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE position_search")
        return
    op.execute("DROP INDEX position_search_words")
    op.execute("ALTER TABLE position_versions DROP COLUMN position_search")
    op.execute("DROP FUNCTION position_search_vector(text)")
