"""Exporting positions: by key issue, then Member States, observer States and groups."""

import csv
import io

from tests.test_cli import plenary as cli

SQLITE_ONLY = True  # the command line on its embedded database


def test_positions_export_as_markdown_and_csv(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'export.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path, stdin="").returncode == 0
    markdown = cli("export", "positions", *db, cwd=tmp_path)
    assert markdown.returncode == 0, markdown.stderr
    text = markdown.stdout
    assert text.index("## Categories of membership") < text.index("## The question of the veto")
    assert "### Groups" in text
    assert "- **G4** (2014-04-01, version 1; sources: de\\_g4\\_2014): Expansion in both" in text
    out = tmp_path / "positions.csv"
    written = cli("export", "positions", "--format", "csv", "--output", str(out), *db, cwd=tmp_path)
    assert written.returncode == 0 and "Wrote 11 positions" in written.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 11
    g4_veto = next(r for r in rows if r["holder"] == "G4" and r["key_issue"] == "veto")
    assert g4_veto["stated_on"] == "2016-03-09" and g4_veto["sources"] == "in_0309"
    assert g4_veto["text"].startswith("On the veto (India, 9 March 2016)")
