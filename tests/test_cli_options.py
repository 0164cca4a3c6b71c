"""The command line as ruff users expect it: --target checked, `layers` configured like lint, --statistics,
--output-format concise, --exit-zero, -q, --show-settings, comma lists, the progress line."""

import json

import pytest

from dfcheck import engine
from support import run
from throwaway_rules import rule_set

STAGES = "FROM alpine:3.20 AS build\nRUN echo hi\nFROM build AS test\nRUN true\n"


@pytest.fixture(autouse=True)
def here(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def throwaway(monkeypatch):
    monkeypatch.setattr(engine, "_loaded", sorted(rule_set(), key=lambda r: r.code))


def test_a_target_that_names_no_stage_is_an_error_in_lint_and_layers(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text(STAGES)
    (tmp_path / "other.Dockerfile").write_text("FROM alpine:3.20\nADD a /a\n")
    status, out, err = run(capsys, "--no-color", "--target", "nope", "Dockerfile", "other.Dockerfile")
    assert status == 2
    assert err == ('Dockerfile: cannot lint: the target "nope" is not a stage of this Dockerfile (its named stages: '
                   'build, test)\n'
                   'other.Dockerfile: cannot lint: the target "nope" is not a stage of this Dockerfile (it names no '
                   'stage)\n')
    assert "DF001" not in out
    status, out, err = run(capsys, "layers", "--target", "nope", "Dockerfile")
    assert (status, out) == (2, "")
    assert err == ('dfcheck: error: Dockerfile: the target "nope" is not a stage of this Dockerfile (its named '
                   'stages: build, test)\n')
    assert run(capsys, "layers", "--target", "test", "Dockerfile")[0] == 0


@pytest.mark.parametrize("command", [[], ["layers"]], ids=["lint", "layers"])
def test_lint_and_layers_take_the_build_options_alike(command, tmp_path, capsys, monkeypatch):
    (tmp_path / "Dockerfile").write_text(STAGES + "ARG V\nRUN echo $V\n")
    for options, error in (
            (["--context", "nowhere"], "--context nowhere: no such directory"),
            (["--context", "Dockerfile"], "--context Dockerfile: no such directory"),
            (["--build-arg", "=1"], "--build-arg: expected NAME=VALUE, got '=1'"),
            (["--build-arg", "V=1", "--build-arg", " =x"], "--build-arg: expected NAME=VALUE, got ' =x'")):
        status, out, err = run(capsys, *command, "--no-config", *options, "Dockerfile")
        assert (status, out, err) == (2, "", f"dfcheck: error: {error}\n"), options
    # good values: a build argument from the environment when it has no `=`, a target, a context
    monkeypatch.setenv("V", "from-env")
    (tmp_path / "ctx").mkdir()
    good = ["--no-config", "--context", "ctx", "--target", "test", "--build-arg", "V", "--build-arg", "W=2"]
    status, out, err = run(capsys, *command, *good, *([] if command else ["--show-settings"]), "Dockerfile")
    assert (status, err) == (0, "")
    assert f"#   context = {tmp_path / 'ctx'}  (command line)\n#   target = test  (command line)\n" \
           "#   arg V = from-env  (command line)\n#   arg W = 2  (command line)\n" in out


def test_layers_reads_the_configuration_like_lint(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text(STAGES + "FROM alpine:3.20 AS last\n")
    (tmp_path / ".dfcheck.toml").write_text('target = "test"\n')
    status, out, err = run(capsys, "layers", "--format", "json", "Dockerfile")
    assert status == 0 and [s["name"] for s in json.loads(out)["stages"]] == ["build", "test"]
    assert [s["name"] for s in json.loads(run(capsys, "layers", "--format", "json", "--no-config",
                                             "Dockerfile")[1])["stages"]] == ["last"]
    (tmp_path / ".dfcheck.toml").write_text('target = "nope"\n')
    status, out, err = run(capsys, "layers", "Dockerfile")
    assert status == 2 and 'the target "nope" is not a stage' in err
    (tmp_path / ".dfcheck.toml").write_text('target = [\n')
    status, out, err = run(capsys, "layers", "Dockerfile")
    assert (status, err) == (2, "dfcheck: error: .dfcheck.toml:2: invalid TOML: Invalid value at the end of the file\n")


TWO_FILES = {"Dockerfile": "FROM a\nRUN x\nRUN y\n", "b.Dockerfile": "FROM a\nXYZZY\n"}


def write(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text)


def test_statistics_count_findings_per_rule(tmp_path, capsys, throwaway):
    write(tmp_path, TWO_FILES)
    status, out, err = run(capsys, "--statistics", ".")
    assert (status, err) == (1, "")
    assert out == ("2  DF901      every-run\n"
                   "2  DF902  [*] every-from\n"
                   "1  DF001      syntax-error\n")
    status, out, err = run(capsys, "--statistics", "--format", "json", ".")
    assert json.loads(out) == [
        {"code": "DF901", "name": "every-run", "count": 2, "fixable": False},
        {"code": "DF902", "name": "every-from", "count": 2, "fixable": True},
        {"code": "DF001", "name": "syntax-error", "count": 1, "fixable": False}]
    status, out, err = run(capsys, "--statistics", "--format", "sarif", ".")
    assert (status, err) == (2, "dfcheck: error: --statistics prints text or json\n")


def test_concise_output_is_one_line_per_finding(tmp_path, capsys, throwaway):
    write(tmp_path, TWO_FILES)
    expected = ("Dockerfile:1:1: DF902 [*] [style] a FROM\n"
                "Dockerfile:2:1: DF901 [warning] a RUN\n"
                "Dockerfile:3:1: DF901 [warning] a RUN\n"
                "b.Dockerfile:1:1: DF902 [*] [style] a FROM\n"
                "b.Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n")
    summary = "Found 5 findings (1 error, 2 warnings, 2 style) in 2 of 2 files.\n[*] 2 fixable with `--fix`.\n"
    assert run(capsys, "--output-format", "concise", ".") == (1, expected + summary, "")
    assert run(capsys, "--format", "concise", "-q", ".") == (1, expected, "")
    # `full` is ruff's name for the text output
    assert run(capsys, "--output-format", "full", "--select", "DF001", "b.Dockerfile")[1].startswith(
        "b.Dockerfile:2:1: DF001 [error] unknown instruction: XYZZY\n  |\n")


def test_exit_zero_and_quiet(tmp_path, capsys, throwaway):
    write(tmp_path, TWO_FILES)
    status, out, err = run(capsys, "--exit-zero", "--format", "json", ".")
    assert status == 0 and len(json.loads(out)["findings"]) == 5
    (tmp_path / "bin.Dockerfile").write_bytes(b"FROM a\0")
    assert run(capsys, "--exit-zero", "--format", "json", ".")[0] == 2  # errors are not findings
    (tmp_path / "bin.Dockerfile").unlink()
    # -q: the findings, without the summary line or the notes
    status, out, err = run(capsys, "-q", "--no-color", "--select", "DF001,DL3020", ".")
    assert status == 1 and err == ""
    assert out.startswith("Dockerfile:2:1: DF901 [warning] a RUN\n") and "Found" not in out
    (tmp_path / "Dockerfile").unlink()
    (tmp_path / "b.Dockerfile").unlink()
    assert run(capsys, "-q", ".") == (0, "", "")  # not even "no Dockerfiles found"


def test_list_options_take_comma_lists(tmp_path, capsys, throwaway):
    write(tmp_path, TWO_FILES)
    for d in ("a", "b", "c"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "Dockerfile").write_text("FROM a\n")
    status, out, err = run(capsys, "--exclude", "a,b", "--extend-exclude", "c,b.Dockerfile", "--select", "DF902",
                           "--format", "json", ".")
    assert sorted({f["path"] for f in json.loads(out)["findings"]}) == ["Dockerfile"]
    status, out, err = run(capsys, "--severity", "DF901=error,DF902=info", "--select", "DF901,DF902", "--format",
                           "json", "Dockerfile")
    assert [(f["code"], f["severity"]) for f in json.loads(out)["findings"]] == [
        ("DF902", "info"), ("DF901", "error"), ("DF901", "error")]


def test_show_settings_names_the_file_and_prints_what_applies(tmp_path, capsys, throwaway):
    (tmp_path / "base.toml").write_text('fail-on = "warning"\n[options.DF903]\nlimit = 7\n')
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "pyproject.toml").write_text(
        '[tool.dfcheck]\nextend = "../base.toml"\nselect = ["DF90"]\nignore = ["DL3006"]\n'
        'build-args = { V = "1" }\n')
    status, out, err = run(capsys, "--show-settings", "svc/Dockerfile", "--extend-select", "DF001")
    assert status == 0
    assert out == (
        "# Settings for svc/Dockerfile\n"
        "# from svc/pyproject.toml, which extends base.toml\n"
        "# with the command line's extend-select on top\n"
        'select = ["DF001", "DF901", "DF903", "DF905"]\n'
        "severity = {}\n"
        'fail-on = "warning"\n'
        f'context = "{tmp_path / "svc"}"\n'
        "# target: not set\n"
        'build-args = { "V" = "1" }\n'
        'exclude = ["node_modules", ".venv", "venv", "vendor", "dist", "build", ".tox"]\n'
        "extend-exclude = []\n"
        "respect-gitignore = true\n"
        "build-files = true\n"
        "#\n"
        "# svc/Dockerfile is built as configured:\n"
        f"#   context = {tmp_path / 'svc'}  (the Dockerfile's directory)\n"
        "#   target = the last stage\n"
        "#   arg V = 1  (configuration svc/pyproject.toml)\n"
        "\n"
        "[options.DF903]  # run-words\n"
        'word = "echo"\n'
        "limit = 7\n"
        "loud = false\n")
    assert err == ("dfcheck: note: svc/pyproject.toml: [tool.dfcheck] \"ignore\": hadolint's DL3006 is DF902 "
                   "(every-from)\n")
    status, out, err = run(capsys, "--show-settings", "Dockerfile")
    assert out.splitlines()[1] == "# from no configuration file: the defaults"


def test_a_progress_line_on_a_terminal_for_long_runs(tmp_path, capsys, monkeypatch, throwaway):
    import sys

    from dfcheck.progress import Progress

    write(tmp_path, TWO_FILES)
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    status, out, err = run(capsys, "--format", "json", ".")
    assert err.startswith("\r\x1b[Kdfcheck: 1/2 files") and err.endswith("\r\x1b[K")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert run(capsys, "--format", "json", ".")[2] == ""  # never in a log
