"""Configuration: the example file is complete and valid; secrets come from the environment."""

import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from bot import config
from storage.retention import Retention

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_example_documents_every_key_and_loads_as_the_defaults():
    data = tomllib.loads(EXAMPLE.read_text())
    loaded = config.load(str(EXAMPLE), environ={})
    for section in (
        "database",
        "http",
        "telegram",
        "slack",
        "reminders",
        "calendar",
        "retention",
        "logging",
    ):
        keys = set(type(getattr(loaded, section)).model_fields)
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
    assert loaded.telegram.token.get_secret_value() == "from-env"
    assert loaded.slack.signing_secret.get_secret_value() == "s3cret"
    assert "from-env" not in repr(loaded) and "s3cret" not in str(loaded)
    assert loaded.database.url == "postgresql://x/y"


def test_no_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = config.load(None, environ={})
    assert loaded.source == "built-in defaults" and loaded.embedded


def test_a_boolean_is_not_a_number_and_unrelated_variables_are_ignored(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[telegram]\nmessages_per_second = true\n")
    with pytest.raises(config.ConfigError, match=r"\[telegram\] messages_per_second: expected"):
        config.load(str(path), environ={})
    path.write_text('[http]\nport = 8081\n[reminders]\nlead_times = ["2h"]\n')
    loaded = config.load(str(path), environ={"HTTP": '{"port": 1}', "DATABASE": "x"})
    assert loaded.http.port == 8081 and loaded.reminders.lead_times == ("2h",)


def test_a_mistyped_secret_is_never_repeated(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[telegram]\nwebhook_secret = "not allowed!"\n')
    with pytest.raises(config.ConfigError) as raised:
        config.load(str(path), environ={})
    assert "[telegram] webhook_secret: use 1-256 characters" in str(raised.value)
    assert "not allowed!" not in str(raised.value)


def test_another_database_is_checked(tmp_path):
    loaded = config.load(None, environ={})
    assert loaded.with_database("sqlite:///other.db").database.url == "sqlite:///other.db"
    with pytest.raises(config.ConfigError, match=r"\[database\] url"):
        loaded.with_database("mysql://nowhere")


def test_http_enabled_and_the_calendar_default_duration_are_checked(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[http]\nenabled = true\n[calendar]\ndefault_duration = "90m"\n')
    loaded = config.load(str(path), environ={})
    assert loaded.http.enabled and loaded.calendar.meeting_length == timedelta(minutes=90)
    for text, message in (
        ('[http]\nenabled = "yes"\n', "[http] enabled: expected true or false"),
        ('[calendar]\ndefault_duration = "3 hours"\n', "[calendar] default_duration: '3 hours'"),
        ('[calendar]\ndefault_duration = "0m"\n', "[calendar] default_duration: a meeting"),
    ):
        path.write_text(text)
        with pytest.raises(config.ConfigError, match=re.escape(message)):
            config.load(str(path), environ={})
