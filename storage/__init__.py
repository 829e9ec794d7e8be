"""Storage: the schema, the queries the handlers use, migrations and importers."""

from pathlib import Path

# Session-wide listeners: the programme revision, and whether a transaction wrote.
from storage import revisions, writes  # noqa: F401

DATA_DIR = Path(__file__).with_name("data")  # reference data shipped with Plenary
