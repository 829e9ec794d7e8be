"""The `plenary` command as an operator uses it: piped chat, imports, bad configuration."""

import sqlite3
import subprocess
from pathlib import Path

import pytest

from testkit.service import PLENARY, ROOT


def plenary(*args: str, cwd: Path, stdin: str = "", env: dict | None = None):
    return subprocess.run(
        [*PLENARY, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_piped_chat_answers_each_line_on_the_embedded_demo(tmp_path):
    result = plenary(
        "chat",
        "--as-of",
        "2016-01-15T12:00-05:00",
        cwd=tmp_path,
        stdin="when is the next meeting?\nwhat does the G4 say about the veto?\n"
        "what does the G4 say about categories?\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Wednesday 3 February 2016, 10:00 New York time" in out
    assert "Trusteeship Council Chamber" in out
    assert "the relationship between the Council and the General Assembly" in out
    # --as-of decides what is known: the G4 spoke on the veto only on 9 March 2016
    assert "G4: no position on the question of the veto on record." in out
    assert "Statement by the Permanent Representative of India" not in out
    assert "G4 on categories of membership" in out and "Stated 1 April 2014" in out
    assert "G4 statement, 1 April 2014 (German mission to the UN)" in out
    assert (tmp_path / "plenary.db").exists()


def test_run_without_configuration_starts_the_demo_clock(tmp_path):
    result = plenary("run", cwd=tmp_path, stdin="/next\n")
    assert result.returncode == 0, result.stderr
    assert "Demo clock: it is now Friday 15 January 2016, 12:00 New York time." in result.stdout
    assert "Wednesday 3 February 2016" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[telegram]\ntokn = 'x'\n", "[telegram] tokn: unknown key"),
        ("[http]\nport = '80'\n", "[http] port: expected a whole number"),
        ("[telegram]\nmode = 'push'\n", '[telegram] mode: must be "polling" or "webhook"'),
        (
            "[reminders]\nlead_times = ['banana']\n",
            "[reminders] lead_times: 'banana' is not a duration",
        ),
        ("[nonsense]\n", "[nonsense]: unknown section"),
        ("[http\n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_the_key_and_exits_2(tmp_path, content, message):
    (tmp_path / "bad.toml").write_text(content)
    result = plenary("chat", "--config", "bad.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "plenary.db").exists()


def test_unreadable_configuration(tmp_path):
    result = plenary("chat", cwd=tmp_path, env={"PLENARY_CONFIG": "missing.toml"})
    assert result.returncode == 2
    assert "missing.toml: cannot read the file" in result.stderr


def test_import_dry_run_on_a_current_schema_then_import_then_nothing_to_change(tmp_path):
    programme = ROOT / "storage" / "demo" / "ign70.toml"
    db = ["--db", f"sqlite:///{tmp_path / 'real.db'}"]
    refused = plenary("import", str(programme), "--dry-run", *db, cwd=tmp_path)
    assert refused.returncode == 2 and "needs `plenary db upgrade`" in refused.stderr
    with sqlite3.connect(tmp_path / "real.db") as untouched:
        assert untouched.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert plenary("db", "upgrade", *db, cwd=tmp_path).returncode == 0
    dry = plenary("import", str(programme), "--dry-run", *db, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "add meeting ign70-1" in dry.stdout and "nothing was stored" in dry.stdout
    chat = plenary("chat", *db, cwd=tmp_path, stdin="/next\n")
    assert "No meeting is scheduled" in chat.stdout
    real = plenary("import", str(programme), *db, cwd=tmp_path)
    assert "add meeting ign70-1" in real.stdout and "Imported" in real.stdout
    again = plenary("import", str(programme), *db, cwd=tmp_path)
    assert "Nothing to change" in again.stdout


def test_malformed_import_names_the_line_and_exits_2(tmp_path):
    (tmp_path / "bad.toml").write_text(
        '[[meetings]]\nkey = "m1"\ntimezone = "UTC"\nstart = "tomorrow"\n'
    )
    result = plenary("import", "bad.toml", "--db", f"sqlite:///{tmp_path / 'x.db'}", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.toml: line 1: meetings[1].start: expected a date-time" in result.stderr
    assert "nothing was imported" in result.stderr


def test_a_real_database_never_gets_the_demo_unasked(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'prod.db'}"]
    assert "No meeting is scheduled" in plenary("chat", *db, cwd=tmp_path, stdin="/next\n").stdout
    demo = plenary("chat", *db, "--demo", cwd=tmp_path, stdin="/next\n")
    assert "Wednesday 3 February 2016" in demo.stdout


def test_db_upgrade_and_bad_as_of(tmp_path):
    upgraded = plenary("db", "upgrade", "--db", f"sqlite:///{tmp_path / 'x.db'}", cwd=tmp_path)
    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    bad = plenary("chat", "--as-of", "2016-01-15T12:00", cwd=tmp_path)
    assert bad.returncode == 2 and "needs a UTC offset" in bad.stderr
