"""--format github, gitlab, checkstyle and junit: the exact shape of each on a finding whose message and path
hold characters the format must escape, their handling of files that cannot be linted, the default format
inside GitHub Actions, and the composite action's run step."""

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ci_support import MESSAGE, clean_environment, use_rules, violations
from support import run
from dfcheck.reporters import github, gitlab, xmltext

ODD_NAME = "we,ird:name.Dockerfile"


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    clean_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    use_rules(monkeypatch)


@pytest.fixture
def two_files(tmp_path):
    (tmp_path / "Dockerfile").write_text("# nothing but a comment\n")  # no instruction: DF990 says nothing
    (tmp_path / ODD_NAME).write_text("FROM alpine\n")


def lint(capsys, fmt, *argv):
    return run(capsys, "--format", fmt, "--select", "DF990", *argv)


# ---------------------------------------------------------------- GitHub workflow commands


def test_github_exact_shape(capsys, two_files):
    status, out, err = lint(capsys, "github", ".")
    assert (status, err) == (1, "")
    assert out == ("::warning file=we%2Cird%3Aname.Dockerfile,line=1,col=1,endLine=1,endColumn=5,"
                   "title=DF990 special-chars::odd %2525 value: a,b%0Asecond <line> & \"quoted\" > end\n")


def test_github_escaping_rules():
    assert github.escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert github.escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    assert github.escape_data("%0A") == "%250A"  # an escape sequence in the text stays text
    # other control characters would act on the log's display: shown as \xNN
    assert github.escape_data("\x1b[2J\x07\x9b\t") == "\\x1b[2J\\x07\\x9b\t"
    assert github.escape_property("a\x1bb") == "a\\x1bb"


def test_github_severities_and_errors(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM a\nRUN x\n")  # DF902 style at FROM, DF901 warning at RUN
    (tmp_path / "bin.Dockerfile").write_bytes(b"\x00")
    status, out, err = run(capsys, "--format", "github", "--select", "DF901,DF902,DF001", "--severity",
                           "DF901=error", ".")
    assert status == 2
    assert out == (
        "::notice file=Dockerfile,line=1,col=1,endLine=1,endColumn=5,title=DF902 every-from::a FROM\n"
        "::error file=Dockerfile,line=2,col=1,endLine=2,endColumn=4,title=DF901 every-run::a RUN\n"
        "::error file=bin.Dockerfile,title=dfcheck error::bin.Dockerfile: cannot lint: binary file (contains NUL "
        "bytes)\n")
    assert err == "bin.Dockerfile: cannot lint: binary file (contains NUL bytes)\n"


def test_inside_github_actions_the_default_is_annotations(tmp_path, capsys, monkeypatch, two_files):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status, out, err = run(capsys, "--select", "DF990", ".")
    assert out.startswith("::warning file=we%2Cird%3Aname.Dockerfile,line=1,")
    assert run(capsys, "--select", "DF990", "--format", "text", "--no-color", ".")[1].startswith(
        f"{ODD_NAME}:1:1: DF990 [*] [warning] odd")
    # writing to a file keeps the text format: annotations in a file reach nobody
    status, out, err = run(capsys, "--select", "DF990", "--output", "report.txt", ".")
    assert out == "" and (tmp_path / "report.txt").read_text().startswith(f"{ODD_NAME}:1:1: DF990 [*] [warning]")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert run(capsys, "--select", "DF990", "--no-color", ".")[1].startswith(f"{ODD_NAME}:1:1:")


def test_github_paths_are_relative_to_the_workspace(tmp_path, capsys, monkeypatch):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text("FROM a\n")
    monkeypatch.chdir(tmp_path / "svc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert lint(capsys, "github", "Dockerfile")[1].startswith("::warning file=svc/Dockerfile,line=1,")


# ---------------------------------------------------------------- GitLab Code Quality


def test_gitlab_exact_shape(capsys, two_files):
    status, out, err = lint(capsys, "gitlab", ".")
    assert (status, err) == (1, "")
    assert json.loads(out) == [{
        "description": f"DF990 special-chars: {MESSAGE}",
        "check_name": "DF990",
        "fingerprint": gitlab.fingerprint(ODD_NAME, "DF990", MESSAGE, "FROM alpine", 1),
        "severity": "major",
        "location": {"path": ODD_NAME, "lines": {"begin": 1}},
    }]
    assert out.startswith('[\n  {\n    "description": "DF990 special-chars: odd %25 value: a,b\\nsecond <line> & '
                          '\\"quoted\\" > end",\n')
    assert len(json.loads(out)[0]["fingerprint"]) == 32


def test_gitlab_fingerprints_are_unique_and_survive_moved_lines(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM a\nRUN x\nRUN x\n")
    (tmp_path / "other.Dockerfile").write_text("FROM a\nRUN x\n")

    def fingerprints():
        status, out, err = run(capsys, "--format", "gitlab", "--select", "DF901", ".")
        return [(i["location"]["path"], i["location"]["lines"]["begin"], i["fingerprint"]) for i in json.loads(out)]

    before = fingerprints()
    assert [(p, line) for p, line, _ in before] == [("Dockerfile", 2), ("Dockerfile", 3), ("other.Dockerfile", 2)]
    assert len({f for _, _, f in before}) == 3  # two identical findings in one file still differ
    (tmp_path / "Dockerfile").write_text("FROM a\n# a comment pushes everything down\nRUN x\nRUN   x\n")
    after = fingerprints()
    assert [line for _, line, _ in after] == [3, 4, 2]
    assert [f for _, _, f in after] == [f for _, _, f in before]  # same findings, same fingerprints


def test_gitlab_severities_multi_line_spans_and_errors(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM a\nRUN echo \\\n  hi\n")
    (tmp_path / "bin.Dockerfile").write_bytes(b"\x00")
    status, out, err = run(capsys, "--format", "gitlab", "--select", "DF903,DF902,DF001", "--severity",
                           "DF902=error", ".")
    issues = json.loads(out)
    assert [(i["check_name"], i["severity"], i["location"]["lines"]) for i in issues] == [
        ("DF902", "critical", {"begin": 1}), ("DF903", "minor", {"begin": 2, "end": 3})]
    assert status == 2 and err == "bin.Dockerfile: cannot lint: binary file (contains NUL bytes)\n"


def test_gitlab_with_no_findings_is_an_empty_list(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("# just a comment\n")
    assert run(capsys, "--format", "gitlab", "--select", "DF990", ".")[:2] == (0, "[]\n")


# ---------------------------------------------------------------- checkstyle


def test_checkstyle_exact_shape(capsys, two_files):
    status, out, err = lint(capsys, "checkstyle", ".")
    assert (status, err) == (1, "")
    assert out == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<checkstyle version="4.3">\n'
        '  <file name="Dockerfile"/>\n'
        '  <file name="we,ird:name.Dockerfile">\n'
        '    <error line="1" column="1" severity="warning" message="odd %25 value: a,b&#10;second &lt;line&gt; '
        '&amp; &quot;quoted&quot; &gt; end" source="DF990"/>\n'
        '  </file>\n'
        '</checkstyle>\n')
    error = ET.fromstring(out.encode()).find("file/error")
    assert error.get("message") == MESSAGE  # the newline survives a parser


def test_checkstyle_unreadable_files(tmp_path, capsys):
    (tmp_path / "bin.Dockerfile").write_bytes(b"\x00")
    status, out, err = run(capsys, "--format", "checkstyle", ".")
    assert status == 2
    assert ('  <file name="bin.Dockerfile">\n    <error severity="error" message="bin.Dockerfile: cannot lint: '
            'binary file (contains NUL bytes)" source="dfcheck"/>\n  </file>\n') in out


# ---------------------------------------------------------------- JUnit


def test_junit_exact_shape(capsys, two_files):
    status, out, err = lint(capsys, "junit", ".")
    assert (status, err) == (1, "")
    escaped = "odd %25 value: a,b&#10;second &lt;line&gt; &amp; &quot;quoted&quot; &gt; end"
    assert out == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="dfcheck" tests="2" failures="1" errors="0">\n'
        '  <testsuite name="Dockerfile" tests="1" failures="0" errors="0">\n'
        '    <testcase classname="Dockerfile" name="dfcheck"/>\n'
        '  </testsuite>\n'
        '  <testsuite name="we,ird:name.Dockerfile" tests="1" failures="1" errors="0">\n'
        '    <testcase classname="we,ird:name.Dockerfile" name="DF990 special-chars at 1:1">'
        f'<failure type="DF990" message="{escaped}">we,ird:name.Dockerfile:1:1: DF990 [warning] odd %25 value: '
        'a,b\nsecond &lt;line&gt; &amp; "quoted" &gt; end</failure></testcase>\n'
        '  </testsuite>\n'
        '</testsuites>\n')
    failure = ET.fromstring(out.encode()).find("testsuite/testcase/failure")
    assert failure.get("message") == MESSAGE
    assert failure.text == f"{ODD_NAME}:1:1: DF990 [warning] {MESSAGE}"


def test_junit_unreadable_files_and_crashing_rules_are_errors(tmp_path, capsys):
    (tmp_path / "bin.Dockerfile").write_bytes(b"\x00")
    status, out, err = run(capsys, "--format", "junit", "--select", "DF001", ".")
    root = ET.fromstring(out.encode())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "1")
    case = root.find("testsuite/testcase")
    assert case.get("classname") == "bin.Dockerfile"
    assert case.find("error").get("message") == "bin.Dockerfile: cannot lint: binary file (contains NUL bytes)"


def test_xml_drops_nothing_it_can_carry_and_shows_what_it_cannot():
    assert xmltext.attribute("a\tb\r\nc\x01") == "a&#9;b&#13;&#10;c\\x01"
    assert xmltext.text("<&>\x1f") == "&lt;&amp;&gt;\\x1f"
    assert xmltext.text("\x1b[2J\x7f\x9b é") == "\\x1b[2J\\x7f\\x9b é"  # (DEL and C1 act on terminals)


# ---------------------------------------------------------------- the composite action


def _action():
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    return yaml.safe_load((Path(__file__).resolve().parents[2] / "action.yml").read_text(encoding="utf-8"))


def test_the_action_passes_inputs_through_the_environment_only():
    action = _action()
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"]  # no input is substituted into a script (script injection)


def _step_env(step, inputs, env):
    for name, value in step["env"].items():
        env[name] = re.sub(r"\$\{\{ inputs\.(\w+) \}\}", lambda m: inputs[m.group(1)], value)
    return env


def test_the_actions_run_step(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    action = _action()
    step = action["runs"]["steps"][-1]
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update(paths="Dockerfile sub", args="--select DF001 --no-config")
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
    env["RUNNER_TEMP"] = str(tmp_path / "runner")
    venv_bin = tmp_path / "runner" / "dfcheck-venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "dfcheck").symlink_to(Path(sys.executable).with_name("dfcheck"))  # as if the install step ran
    (tmp_path / "Dockerfile").write_text("XYZZY\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "api.Dockerfile").write_text("FROM a\nXYZZY\n")
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=_step_env(step, inputs, env),
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "::error file=Dockerfile,line=1,col=1,endLine=1,endColumn=6,title=DF001 syntax-error::unknown instruction: "
        "XYZZY\n"
        "::error file=sub/api.Dockerfile,line=2,col=1,endLine=2,endColumn=6,title=DF001 syntax-error::unknown "
        "instruction: XYZZY\n")
    inputs.update(format="sarif", output="out dir.sarif")  # a space in a file name survives
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=_step_env(step, inputs, env),
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert violations((tmp_path / "out dir.sarif").read_text(encoding="utf-8")) == []
