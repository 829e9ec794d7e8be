"""Configuration: the example file is complete and valid; secrets come from the environment."""

import tomllib
from dataclasses import fields
from pathlib import Path

from bot import config

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_example_documents_every_key_and_loads_as_the_defaults():
    data = tomllib.loads(EXAMPLE.read_text())
    loaded = config.load(str(EXAMPLE), environ={})
    for section in ("database", "http", "telegram", "slack", "reminders"):
        keys = {f.name for f in fields(getattr(loaded, section))}
        assert set(data[section]) == keys, section
    assert loaded.database == config.Config().database
    assert loaded.reminders.lead_times == ("24h", "1h")


def test_secrets_from_the_environment_win(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[telegram]\ntoken = "from-file"\n')
    loaded = config.load(
        str(path),
        environ={
            "PLENARY_TELEGRAM_TOKEN": "from-env",
            "PLENARY_SLACK_SIGNING_SECRET": "s3cret",
            "PLENARY_DATABASE_URL": "postgresql://x/y",
        },
    )
    assert loaded.telegram.token == "from-env"
    assert loaded.slack.signing_secret == "s3cret"
    assert loaded.database.url == "postgresql://x/y"


def test_no_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = config.load(None, environ={})
    assert loaded.source == "built-in defaults" and loaded.embedded
