"""The command line: arguments, output formats, exit status, errors without tracebacks."""

import json
import os
import subprocess
import sys

import pytest

from dfcheck import __version__, engine
from dfcheck.files import write_atomic
from support import run
from throwaway_rules import boom, rule_set


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def throwaway(monkeypatch):
    """Lint with DF001, DF003 and the throwaway rules instead of whatever rules/ holds today."""
    def use(*extra):
        monkeypatch.setattr(engine, "_loaded", sorted(rule_set(*extra), key=lambda r: r.code))
    use()
    return use


BROKEN = "FROM alpine\nXYZZY bar\nRUN echo hi\n"
DOCS = "https://github.com/dfcheck/dfcheck/blob/main/docs/rules.md"  # [project.urls] Documentation


def test_text_output_for_one_finding_is_exact(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "Dockerfile").write_text(BROKEN)
    status, out, err = run(capsys, "--select", "DF001", "Dockerfile")
    assert status == 1
    assert out == (
        "Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n"
        "  |\n"
        "2 | XYZZY bar\n"
        "  | ^^^^^\n"
        "\n"
        "Found 1 finding (1 error) in 1 of 1 file.\n"
    )
    assert err == ""


def test_multi_line_spans_tabs_and_summary_counts(tmp_path, capsys, throwaway):
    (tmp_path / "Dockerfile").write_text("FROM a\nRUN\techo \\\n  more\n")
    status, out, err = run(capsys, "--select", "DF903,DF902", "--severity", "DF903=warning", "Dockerfile")
    assert out == (
        "Dockerfile:1:1: DF902 [*] [style] a FROM\n"
        "  |\n"
        "1 | FROM a\n"
        "  | ^^^^\n"
        "\n"
        "Dockerfile:2:1: DF903 [warning] RUN mentions echo (limit 3)\n"
        "  |\n"
        "2 | RUN echo \\\n"
        "  | ^^^^^^^^^^\n"
        "3 |   more\n"
        "  | ^^^^^^\n"
        "\n"
        "Found 2 findings (1 warning, 1 style) in 1 of 1 file.\n"
        "[*] 1 fixable with `--fix`.\n"
    )
    assert status == 1


def test_all_checks_passed(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / "api.Dockerfile").write_text("FROM alpine:3.20\n")
    status, out, err = run(capsys, "--select", "DF001")
    assert (status, out, err) == (0, "All checks passed: 2 files.\n", "")


def test_a_broken_file_binary_and_non_utf8_files_in_a_directory(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    (d / "Dockerfile").write_text("FROM alpine:3.20\n")
    (d / "broken.Dockerfile").write_text(BROKEN)
    (d / "bin.Dockerfile").write_bytes(b"FROM a\x00\x01\n")
    (d / "latin1.Dockerfile").write_bytes(b"FROM alpine\nLABEL author=Jos\xe9\n")
    status, out, err = run(capsys, "--select", "DF001", "--no-color", "d")
    assert status == 2
    assert err == ("d/bin.Dockerfile: cannot lint: binary file (contains NUL bytes)\n"
                   "d/latin1.Dockerfile: cannot lint: not UTF-8 (byte 0xe9 at offset 28)\n")
    assert out.startswith("d/broken.Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n")
    assert out.endswith("Found 1 finding (1 error) in 1 of 4 files. 2 errors reported on stderr.\n")


def test_a_missing_path_is_an_error_and_the_rest_still_lints(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text(BROKEN)
    status, out, err = run(capsys, "--select", "DF001", "--format", "json", "Dockerfile", "nope")
    assert status == 2
    assert err == "nope: cannot lint: No such file or directory\n"
    data = json.loads(out)
    assert data["files"] == 2 and [f["code"] for f in data["findings"]] == ["DF001"]
    assert data["errors"] == [{"path": "nope", "message": "nope: cannot lint: No such file or directory"}]


def test_json_shape_is_exact(tmp_path, capsys, throwaway):
    (tmp_path / "Dockerfile").write_text(BROKEN)
    status, out, err = run(capsys, "--format", "json", "--ignore", "DF903", ".")
    assert status == 1
    assert json.loads(out) == {
        "version": 1,
        "files": 1,
        "findings": [
            {"code": "DF902", "name": "every-from", "severity": "style", "message": "a FROM", "path": "Dockerfile",
             "line": 1, "column": 1, "end_line": 1, "end_column": 5,
             "fix": {"applicability": "safe",
                     "edits": [{"line": 1, "column": 1, "end_line": 1, "end_column": 5, "text": "from"}]},
             "url": f"{DOCS}#df902-every-from", "builds": []},
            {"code": "DF001", "name": "syntax-error", "severity": "error", "message": "unknown instruction: XYZZY",
             "path": "Dockerfile", "line": 2, "column": 1, "end_line": 2, "end_column": 6, "fix": None,
             "url": f"{DOCS}#df001-syntax-error", "builds": []},
            {"code": "DF901", "name": "every-run", "severity": "warning", "message": "a RUN", "path": "Dockerfile",
             "line": 3, "column": 1, "end_line": 3, "end_column": 4, "fix": None, "url": f"{DOCS}#df901-every-run",
             "builds": []},
        ],
        "errors": [],
    }
    assert list(json.loads(out)) == ["version", "files", "findings", "errors"]
    assert list(json.loads(out)["findings"][0]) == ["code", "name", "severity", "message", "path", "line", "column",
                                                    "end_line", "end_column", "fix", "url", "builds"]


def test_stdin_with_and_without_a_name(tmp_path, capsys, monkeypatch):
    status, out, err = run(capsys, "--select", "DF001", "--format", "json", "-", stdin=BROKEN.encode(),
                           monkeypatch=monkeypatch)
    assert status == 1 and [(f["path"], f["line"]) for f in json.loads(out)["findings"]] == [("-", 2)]
    # the name is used for output and for finding the configuration
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".dfcheck.toml").write_text('fail-on = "never"\n')
    status, out, err = run(capsys, "--select", "DF001", "--stdin-filename", "svc/Dockerfile", "--no-color",
                           stdin=BROKEN.encode(), monkeypatch=monkeypatch)
    assert status == 0 and out.startswith("svc/Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n")
    status, out, err = run(capsys, "--select", "DF001", "-", stdin=b"FROM \xff\n", monkeypatch=monkeypatch)
    assert (status, err) == (2, "-: cannot lint: not UTF-8 (byte 0xff at offset 5)\n")


def test_output_file_is_written_atomically(tmp_path, capsys, monkeypatch):
    (tmp_path / "Dockerfile").write_text(BROKEN)
    status, out, err = run(capsys, "--select", "DF001", "--output", "report.json", "--format", "json", ".")
    assert (status, out, err) == (1, "", "")
    assert json.loads((tmp_path / "report.json").read_text())["findings"][0]["code"] == "DF001"
    assert sorted(os.listdir(tmp_path)) == ["Dockerfile", "report.json"]  # no temporary file left

    # a failure half-way leaves the previous file whole and no temporary file behind
    before = (tmp_path / "report.json").read_text()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    status, out, err = run(capsys, "--select", "DF001", "--output", "report.json", ".")
    assert status == 2 and err == "dfcheck: error: --output report.json: No space left on device\n"
    assert (tmp_path / "report.json").read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["Dockerfile", "report.json"]


def test_output_into_a_missing_directory_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    status, out, err = run(capsys, "--output", "no/such/dir/out.txt", "Dockerfile")
    assert status == 2 and err == "dfcheck: error: --output no/such/dir/out.txt: No such file or directory\n"


def test_write_atomic_keeps_the_mode_of_an_existing_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(str(target), "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640


def test_colour(tmp_path, capsys, monkeypatch):
    (tmp_path / "Dockerfile").write_text(BROKEN)
    args = ("--select", "DF001", "Dockerfile")
    assert "\x1b[" not in run(capsys, *args)[1]  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run(capsys, *args)[1]
    assert "\x1b[1;31mDF001\x1b[0m" in coloured and "\x1b[1;31m^^^^^\x1b[0m" in coloured
    assert "\x1b[" not in run(capsys, "--no-color", *args)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, *args)[1]
    assert "\x1b[" in run(capsys, "--color", *args)[1]
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert "\x1b[" not in run(capsys, *args)[1]  # NO_COLOR beats a terminal
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert "\x1b[" in run(capsys, *args)[1]


def test_fail_on(tmp_path, capsys, throwaway):
    (tmp_path / "Dockerfile").write_text("FROM a\nRUN x\n")  # DF902 style, DF901 warning
    assert run(capsys, "--select", "DF902", ".")[0] == 0  # style alone does not fail by default
    assert run(capsys, "--select", "DF902", "--fail-on", "style", ".")[0] == 1
    assert run(capsys, "--fail-on", "warning", ".")[0] == 1
    assert run(capsys, "--fail-on", "error", ".")[0] == 0
    assert run(capsys, "--fail-on", "never", ".")[0] == 0
    assert run(capsys, "--severity", "DF901=error", "--fail-on", "error", ".")[0] == 1


def test_a_crashing_rule_is_reported_and_the_other_findings_still_appear(tmp_path, capsys, throwaway):
    throwaway(boom)
    (tmp_path / "Dockerfile").write_text(BROKEN)
    status, out, err = run(capsys, "--no-color", ".")
    assert status == 2
    assert err == "rule DF904 (boom) failed on Dockerfile: ValueError: kaboom\n"
    assert "Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n" in out
    assert "Dockerfile:3:1: DF901 [warning] a RUN\n" in out


def test_unused_suppressions_option(tmp_path, capsys, throwaway):
    (tmp_path / "Dockerfile").write_text("FROM a\n# dfcheck: ignore=DF901,DF903\nRUN x\n")
    status, out, err = run(capsys, "--select", "DF901,DF903", "--format", "json", ".")
    assert (status, json.loads(out)["findings"]) == (0, [])
    status, out, err = run(capsys, "--select", "DF901,DF903", "--report-unused-suppressions", "--format", "json",
                           ".")
    assert [(f["code"], f["line"], f["message"]) for f in json.loads(out)["findings"]] == [
        ("DF003", 2, "unused suppression: DF903 (run-words) silenced nothing")]
    assert status == 1


def test_config_errors_exit_2_with_one_line(tmp_path, capsys, throwaway):
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    (tmp_path / "pyproject.toml").write_text('[tool.dfcheck]\nselct = ["DF901"]\n')
    status, out, err = run(capsys, ".")
    assert (status, out) == (2, "")
    assert err == 'dfcheck: error: pyproject.toml: unknown key "selct" in [tool.dfcheck] (did you mean "select"?)\n'
    assert run(capsys, "--no-config", ".")[0] == 0
    status, out, err = run(capsys, "--no-config", "--select", "every-rn", ".")
    assert err == 'dfcheck: error: --select: unknown rule "every-rn" (did you mean "every-run"?)\n'
    status, out, err = run(capsys, "--no-config", "--severity", "DF901", ".")
    assert (status, err) == (2, "dfcheck: error: --severity: expected CODE=LEVEL, got 'DF901'\n")
    status, out, err = run(capsys, "--no-config", "--context", "nowhere", ".")
    assert (status, err) == (2, "dfcheck: error: --context nowhere: no such directory\n")


def test_usage_errors_exit_2(capsys):
    status, out, err = run(capsys, "--format", "xml", ".")
    assert status == 2 and "invalid choice: 'xml'" in err and "Traceback" not in err
    status, out, err = run(capsys, "--config", "a.toml", "--no-config")
    assert status == 2 and "not allowed with argument" in err


def test_an_internal_error_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM a\n")

    def explode(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(engine, "lint_paths", explode)
    status, out, err = run(capsys, ".")
    assert (status, err) == (2, "dfcheck: error: internal error: KeyError: 'surprise'\n")


def test_duplicate_rule_codes_exit_2_naming_both(tmp_path, capsys, monkeypatch):
    def clash():
        raise engine.RuleLoadError("rule code DF001 is defined twice: by dfcheck.rules.a and by extra (extra)")

    monkeypatch.setattr(engine, "load_rules", clash)
    monkeypatch.setattr(engine, "indexed_rules", clash)  # (what the lint command loads them with)
    assert run(capsys, ".") == (
        2, "", "dfcheck: error: rule code DF001 is defined twice: by dfcheck.rules.a and by extra (extra)\n")


def test_version_and_help(capsys):
    assert run(capsys, "--version") == (0, f"dfcheck {__version__}\n", "")
    status, out, err = run(capsys, "--help")
    assert status == 0 and "--report-unused-suppressions" in out
    # every command, with one line that says what it does
    commands = out.split("\ncommands (", 1)[1].splitlines()[1:]
    assert [line.split()[0] for line in commands] == ["rules", "rule", "layers", "parse", "config", "lsp"]
    assert all(len(line.split()) > 3 for line in commands)


def test_no_dockerfiles_found(tmp_path, capsys):
    status, out, err = run(capsys)
    assert (status, out, err) == (0, "All checks passed: 0 files.\n", "dfcheck: warning: no Dockerfiles found in .\n")


def test_rules_lists_every_rule(capsys, throwaway):
    status, out, err = run(capsys, "rules")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIXABLE", "ENABLED", "ORIGIN", "HADOLINT", "BUILDKIT"]
    assert lines[1].split() == ["DF001", "syntax-error", "error", "no", "yes", "dfcheck", "DL3043,DL3061", "-"]
    assert ["DF003", "unused-suppression", "warning", "no", "no", "dfcheck", "-", "-"] in [l.split() for l in lines]
    assert ["DF902", "every-from", "style", "yes", "yes", "dfcheck", "DL3006", "StageNameCasing"] in [
        l.split() for l in lines]
    status, out, err = run(capsys, "rules", "--format", "json")
    data = json.loads(out)
    assert [r["code"] for r in data] == ["DF001", "DF003", "DF901", "DF902", "DF903", "DF905"]
    assert data[3] == {"code": "DF902", "name": "every-from", "severity": "style", "fixable": True, "enabled": True,
                       "origin": "dfcheck", "hadolint": ["DL3006"], "buildkit": ["StageNameCasing"], "options": {},
                       "summary": "Reports every FROM instruction, with a fix that lower-cases the keyword.",
                       "url": f"{DOCS}#df902-every-from"}


def test_rule_prints_a_rules_page(capsys, throwaway):
    status, out, err = run(capsys, "rule", "run-words")
    assert status == 0
    assert out.startswith("DF903 run-words\n\nDefault severity: info. Enabled by default. No automatic fix.\n")
    assert 'Options (under [tool.dfcheck.options.DF903]):\n  word = "echo"\n  limit = 3\n  loud = false\n' in out
    assert "Reports each RUN whose text contains the configured word" in out
    status, out, err = run(capsys, "rule", "df902")
    assert "hadolint: DL3006" in out and "BuildKit check: StageNameCasing" in out
    assert "An automatic fix is available." in out
    status, out, err = run(capsys, "rule", "DF9O2")
    assert (status, err) == (2, 'dfcheck: error: dfcheck rule: unknown rule "DF9O2" (did you mean "DF902"?)\n')


def test_rule_page_of_df001_is_its_docstring(capsys):
    status, out, err = run(capsys, "rule", "DF001")
    assert status == 0 and out.startswith("DF001 syntax-error\n")
    assert "## What it does" in out and "## Fix safety" in out


def test_parse_subcommand(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text('FROM alpine AS build\nCOPY --from=x a b\nCMD ["run"]\n')
    status, out, err = run(capsys, "parse", "Dockerfile")
    assert (status, out, err) == (0, '(from "alpine" "AS" "build")\n(copy ["--from=x"] "a" "b")\n(cmd "run")\n', "")
    status, out, err = run(capsys, "parse", "--format", "json", "Dockerfile")
    assert status == 0 and isinstance(json.loads(out), dict)
    (tmp_path / "bad").write_text(BROKEN)
    status, out, err = run(capsys, "parse", "bad")
    assert (status, err) == (1, "bad:2:1: unknown instruction: XYZZY\n")
    status, out, err = run(capsys, "parse", "missing")
    assert (status, err) == (2, "missing: cannot read: No such file or directory\n")


def test_python_dash_m_and_the_console_script(tmp_path):
    (tmp_path / "Dockerfile").write_text(BROKEN)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "dfcheck", "--select", "DF001", "Dockerfile"], cwd=tmp_path,
                         capture_output=True, text=True, env=env)
    assert out.returncode == 1 and out.stdout.startswith("Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n")
    out = subprocess.run([sys.executable, "-m", "dfcheck", "--select", "DF001", "-"], cwd=tmp_path, input="FROM a\n",
                         capture_output=True, text=True, env=env)
    assert (out.returncode, out.stdout, out.stderr) == (0, "All checks passed: 1 file.\n", "")
