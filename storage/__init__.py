"""Storage: the schema, the queries the handlers use, migrations and importers."""
