"""Storage: the schema, the queries the handlers use, migrations and importers."""

from storage import revisions  # noqa: F401 - keeps the programme revision on every session
