"""Exporting positions: by key issue, then Member States, observer States and groups; the CSV
in the columns the import reads, sources by their titles, so that a round trip changes
nothing."""

import csv
import io
import re

from storage.importer import DEMO_FILE
from tests.test_cli import plenary as cli

SQLITE_ONLY = True  # the command line on its embedded database
G4_STATEMENT = "G4 statement, 1 April 2014 (German mission to the UN)"


def test_positions_export_as_markdown_and_csv(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'export.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path, stdin="").returncode == 0
    markdown = cli("export", "positions", *db, cwd=tmp_path)
    assert markdown.returncode == 0, markdown.stderr
    text = markdown.stdout
    assert text.index("## Categories of membership") < text.index("## The question of the veto")
    assert "### Groups" in text
    assert f"- **G4** (2014-04-01, version 1; sources: {G4_STATEMENT}): Expansion in both" in text
    out = tmp_path / "positions.csv"
    written = cli("export", "positions", "--format", "csv", "--output", str(out), *db, cwd=tmp_path)
    assert written.returncode == 0 and "Wrote 11 positions" in written.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 11 and list(rows[0]) == ["issue", "holder", "date", "source", "text"]
    g4_veto = next(r for r in rows if r["holder"] == "G4" and r["issue"] == "veto")
    assert g4_veto["date"] == "2016-03-09"
    assert g4_veto["source"] == "Statement by the Permanent Representative of India, 9 March 2016"
    assert g4_veto["text"].startswith("On the veto (India, 9 March 2016)")


def test_a_csv_export_imports_back_changing_nothing(tmp_path):
    """Into a real programme's database (the demo's refuses imports): the demo's positions
    written out, read back, and nothing to change; one text changed is one new version."""
    db = ["--db", f"sqlite:///{tmp_path / 'real.db'}"]
    programme = tmp_path / "programme.toml"
    demo = DEMO_FILE.read_text(encoding="utf-8")
    programme.write_text(re.sub(r"(?m)^\[demo\]\n(#.*\n)?clock_starts_at = .*\n", "", demo))
    assert cli("import", str(programme), *db, cwd=tmp_path).returncode == 0
    out = tmp_path / "positions.csv"
    cli("export", "positions", "--format", "csv", "--output", str(out), *db, cwd=tmp_path)
    again = cli("import", str(out), *db, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Nothing to change: the database already matches." in again.stdout
    changed = out.read_text().replace("On the veto (India", "On the veto, (India", 1)
    out.write_text(changed)
    once = cli("import", str(out), *db, cwd=tmp_path)
    assert once.stdout.splitlines()[0] == "new version of position g4/veto"
