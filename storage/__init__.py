"""Storage: the schema, the queries the handlers use, migrations and importers."""

# Session-wide listeners: the programme revision, and whether a transaction wrote.
from storage import revisions, writes  # noqa: F401
