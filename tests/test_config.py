"""Configuration: the example file is complete and valid; secrets come from the environment."""

import re
import tomllib
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest

from bot import config
from storage.retention import Retention

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_example_documents_every_key_and_loads_as_the_defaults():
    data = tomllib.loads(EXAMPLE.read_text())
    loaded = config.load(str(EXAMPLE), environ={})
    for section in ("database", "http", "telegram", "slack", "reminders", "retention"):
        keys = {f.name for f in fields(getattr(loaded, section))}
        assert set(data[section]) == keys, section
    assert loaded.database == config.Config().database
    assert loaded.reminders.lead_times == ("24h", "1h")
    assert loaded.retention.policy() == Retention()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[retention]\ndeliveries = "2h"\n', "[retention] deliveries: keep rows at least 1d"),
        ('[retention]\ncodes = "a month"\n', "[retention] codes: 'a month' is not a duration"),
        ("[retention]\nupdate_ids = 7\n", "[retention] update_ids: expected text"),
    ],
)
def test_a_retention_that_cannot_work_names_its_key(tmp_path, content, message):
    path = tmp_path / "c.toml"
    path.write_text(content)
    with pytest.raises(config.ConfigError, match=re.escape(message)):
        config.load(str(path), environ={})


def test_retention_is_read_as_durations(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[retention]\ndeliveries = "30d"\nbutton_commands = "36h"\n')
    policy = config.load(str(path), environ={}).retention.policy()
    assert (policy.deliveries, policy.button_commands) == (timedelta(days=30), timedelta(hours=36))
    assert policy.update_ids == Retention().update_ids


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
