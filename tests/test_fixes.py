"""Applying fixes: offsets from spans, overlapping edits, CRLF and BOM, and the CLI's --fix and --diff."""

import io
import sys

from dfcheck.cli import main
from dfcheck.fixes import apply_fixes
from dfcheck.rule import Edit, Finding, Fix
from dfcheck.syntax.nodes import Span


def finding(line, column, end_line, end_column, text, applicability="safe"):
    span = Span(line, column, end_line, end_column)
    return Finding(span, "m", Fix(applicability, [Edit(span, text)]))


def test_edits_replace_insert_and_delete_lines():
    text = "FROM a\nADD x /y\nRUN b \\\n\n  c\n"
    fixed, applied = apply_fixes(text, [
        finding(2, 1, 2, 4, "COPY"),
        finding(4, 1, 5, 1, ""),  # delete the empty line
        finding(1, 7, 1, 7, " AS base"),  # insert at the end of a line
    ])
    assert fixed == "FROM a AS base\nCOPY x /y\nRUN b \\\n  c\n"
    assert len(applied) == 3


def test_overlapping_fixes_first_wins_and_unsafe_needs_opt_in():
    text = "WORKDIR app\n"
    first, second = finding(1, 9, 1, 12, "/app"), finding(1, 1, 1, 12, "WORKDIR /srv")
    fixed, applied = apply_fixes(text, [first, second])
    assert (fixed, applied) == ("WORKDIR /srv\n", [second])  # it starts first
    unsafe = finding(1, 9, 1, 12, "/x", "unsafe")
    assert apply_fixes(text, [unsafe]) == (text, [])
    assert apply_fixes(text, [unsafe], unsafe=True) == ("WORKDIR /x\n", [unsafe])


def test_crlf_and_bom_are_kept():
    text = "\ufeffFROM a\r\nADD x /y\r\n"
    fixed, _ = apply_fixes(text, [finding(2, 1, 2, 4, "COPY"), finding(1, 7, 1, 9, "")])
    assert fixed == "\ufeffFROM a\r\nCOPY x /y\r\n"


def test_cli_fix_writes_the_file_and_reports_what_is_left(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\nMAINTAINER me\nWORKDIR srv\n")
    assert main(["--fix", "--no-config", str(dockerfile)]) == 1
    assert dockerfile.read_text() == "FROM scratch\nMAINTAINER me\nWORKDIR /srv\n"
    out, err = capsys.readouterr()
    assert f"{dockerfile}:2:1: DF404 [info] MAINTAINER is deprecated" in out
    assert "DF405" not in out
    assert err.endswith("Fixed 1 finding in 1 file.\n")
    assert main(["--fix", "--unsafe-fixes", "--no-config", str(dockerfile)]) == 0
    assert dockerfile.read_text() == 'FROM scratch\nLABEL org.opencontainers.image.authors="me"\nWORKDIR /srv\n'


def test_cli_diff_changes_nothing(tmp_path, capsys):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\nWORKDIR srv\n")
    assert main(["--diff", "--no-config", str(dockerfile)]) == 1
    out, err = capsys.readouterr()
    assert out == (
        f"--- a/{dockerfile}\n+++ b/{dockerfile}\n@@ -1,2 +1,2 @@\n FROM scratch\n-WORKDIR srv\n+WORKDIR /srv\n"
    )
    assert err == "1 fix available in 1 file.\n"
    assert dockerfile.read_text() == "FROM scratch\nWORKDIR srv\n"


def test_cli_fix_on_stdin_prints_the_fixed_text(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"FROM scratch\nWORKDIR srv\n")))
    assert main(["--fix", "--no-config", "-", "--stdin-filename", "Dockerfile"]) == 0
    out, err = capsys.readouterr()
    assert out == "FROM scratch\nWORKDIR /srv\n"
    assert err.endswith("Fixed 1 finding in 1 file.\n")
