"""DF301-DF307: overridden CMD/ENTRYPOINT/HEALTHCHECK, and what the container really runs."""

from support import builtin_rules, findings, model_of, raw_findings

from dfcheck.config import default_settings
from dfcheck.engine import lint_text
from dfcheck.model.runtime import format_argv, image_shell
from dfcheck.rule import Options


def spans(found):
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in found]


# -- DF301 / DF302 / DF303 ---------------------------------------------------------------------------

def test_df301_each_overridden_cmd_points_at_the_winner():
    src = (
        "FROM python:3.12\n"
        'CMD ["python", "-m", "migrate"]\n'
        "CMD python -m app\n"
        'CMD ["python", "-m", "app"]\n'
    )
    message = "this CMD is overridden by the CMD at line 4; only the last CMD in a stage takes effect"
    assert findings("DF301", src) == [("DF301", 2, 1, message), ("DF301", 3, 1, message)]
    assert spans(raw_findings("DF301", src)) == [(2, 1, 2, 4), (3, 1, 3, 4)]


def test_df301_healthcheck_cmd_and_onbuild_cmd_are_not_cmds():
    src = (
        "FROM nginx\n"
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
        'ONBUILD CMD ["echo", "child"]\n'
        'CMD ["nginx", "-g", "daemon off;"]\n'
        "ONBUILD CMD other\n"
    )
    assert findings("DF301", src) == []


def test_df301_different_stages_never_conflict():
    src = (
        "FROM golang AS build\n"
        'CMD ["go", "test"]\n'
        "FROM build AS test\n"
        'CMD ["go", "vet"]\n'
        "FROM alpine\n"
        'CMD ["/app"]\n'
    )
    assert findings("DF301", src) == []


def test_df301_fix_deletes_the_overridden_instruction_with_its_continuation_lines():
    src = "FROM alpine\nCMD echo one \\\n    two\nCMD [\"x\"]\n"
    [finding] = raw_findings("DF301", src)
    assert finding.fix.applicability == "safe"
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column, edit.text) == (2, 1, 4, 1, "")
    # The last line of a file without a final newline.
    [finding] = raw_findings("DF301", 'FROM alpine\nCMD ["a"]\nCMD ["b"]')
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column) == (2, 1, 3, 1)


def test_df302_multiple_entrypoint_and_onbuild_is_not_one():
    src = (
        "FROM alpine\n"
        'ENTRYPOINT ["/docker-entrypoint.sh"]\n'
        'ONBUILD ENTRYPOINT ["x"]\n'
        'ENTRYPOINT ["tini", "--"]\n'
        "FROM alpine\n"
        'ENTRYPOINT ["y"]\n'
    )
    assert findings("DF302", src) == [(
        "DF302", 2, 1,
        "this ENTRYPOINT is overridden by the ENTRYPOINT at line 4; only the last ENTRYPOINT in a stage takes effect",
    )]


def test_df303_healthcheck_none_counts():
    src = (
        "FROM nginx\n"
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
        "HEALTHCHECK NONE\n"
        "FROM nginx\n"
        "HEALTHCHECK NONE\n"
        "HEALTHCHECK --interval=5s CMD curl -f http://localhost/health\n"
        "FROM nginx\n"
        "HEALTHCHECK NONE\n"
    )
    assert findings("DF303", src) == [
        ("DF303", 2, 1, "this HEALTHCHECK is overridden by the HEALTHCHECK at line 3; only the last HEALTHCHECK "
                        "in a stage takes effect"),
        ("DF303", 5, 1, "this HEALTHCHECK is overridden by the HEALTHCHECK at line 6; only the last HEALTHCHECK "
                        "in a stage takes effect"),
    ]


def test_mapped_codes():
    rules = builtin_rules()
    assert (rules["DF301"].hadolint, rules["DF301"].buildkit) == (("DL4003",), ("MultipleInstructionsDisallowed",))
    assert (rules["DF302"].hadolint, rules["DF302"].buildkit) == (("DL4004",), ("MultipleInstructionsDisallowed",))
    assert (rules["DF303"].hadolint, rules["DF303"].buildkit) == (("DL3012",), ("MultipleInstructionsDisallowed",))
    for code in ("DF305", "DF306"):
        assert (rules[code].hadolint, rules[code].buildkit) == (("DL3025",), ("JSONArgsRecommended",))
    for code in ("DF304", "DF307"):
        assert (rules[code].hadolint, rules[code].buildkit) == ((), ())
    assert rules["DF305"].options == {"include-cmd": True}


def test_docs_have_every_section():
    for code in ("DF301", "DF302", "DF303", "DF304", "DF305", "DF306", "DF307"):
        doc = builtin_rules()[code].doc
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
            assert section in doc, (code, section)


def test_peer_suppressions_silence_the_mapped_rules():
    rules = list(builtin_rules().values())
    settings = default_settings(rules)
    src = (
        "FROM alpine\n"
        "# hadolint ignore=DL4003\n"
        'CMD ["a"]\n'
        'CMD ["b"]\n'
    )
    assert [f.code for f in lint_text(src, "Dockerfile", settings).findings if f.code == "DF301"] == []
    src = "# check=skip=JSONArgsRecommended\nFROM debian\nENTRYPOINT python -m app\n"
    codes = [f.code for f in lint_text(src, "Dockerfile", settings).findings]
    assert "DF305" not in codes
    src = "FROM debian\n# hadolint ignore=DL3025\nENTRYPOINT python -m app\nCMD [\"--port\", \"80\"]\n"
    codes = [f.code for f in lint_text(src, "Dockerfile", settings).findings]
    assert "DF305" not in codes and "DF304" in codes  # a dropped CMD is not what DL3025 is about


# -- DF304 ---------------------------------------------------------------------------------------

def test_df304_shell_entrypoint_drops_cmd_with_the_argv_in_the_message():
    src = (
        "FROM python:3.12\n"
        "WORKDIR /app\n"
        "ENTRYPOINT python -m app\n"
        'CMD ["--port", "8000"]\n'
    )
    [finding] = raw_findings("DF304", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        3, 1,
        'shell-form ENTRYPOINT runs ["/bin/sh", "-c", "python -m app"]; CMD ["--port", "8000"] at line 4 is dropped, '
        "and so are `docker run` arguments",
    )
    assert finding.fix.applicability == "unsafe"
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_column, edit.text) == (3, 12, 25, '["python", "-m", "app"]')


def test_df304_cmd_set_before_the_entrypoint_survives_and_is_dropped():
    src = "FROM alpine\nCMD serve --port 80\nENTRYPOINT /run.sh \"$MODE\"\n"
    [finding] = raw_findings("DF304", src)
    assert (finding.span.line, finding.message) == (
        3,
        'shell-form ENTRYPOINT runs ["/bin/sh", "-c", "/run.sh \\"$MODE\\""]; CMD serve --port 80 at line 2 is '
        "dropped, and so are `docker run` arguments",
    )
    assert finding.fix is None  # a variable: the exec form would not expand it


def test_df304_shell_in_effect_is_shown():
    src = 'FROM debian\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nENTRYPOINT exec app\nCMD ["x"]\n'
    assert findings("DF304", src) == [(
        "DF304", 3, 1,
        'shell-form ENTRYPOINT runs ["/bin/bash", "-o", "pipefail", "-c", "exec app"]; CMD ["x"] at line 4 is '
        "dropped, and so are `docker run` arguments",
    )]


def test_df304_inherited_entrypoint_reported_at_the_new_cmd():
    src = (
        "FROM alpine AS base\n"
        "ENTRYPOINT /run.sh\n"
        "FROM base\n"
        'CMD ["--verbose"]\n'
    )
    assert findings("DF304", src) == [(
        "DF304", 4, 1,
        'this CMD is dropped: the shell-form ENTRYPOINT inherited from stage "base" (line 2) runs '
        '["/bin/sh", "-c", "/run.sh"] and ignores CMD',
    )]


def test_df304_both_inherited_is_reported_once_in_the_base():
    src = (
        "FROM alpine AS base\n"
        "ENTRYPOINT /run.sh\n"
        'CMD ["x"]\n'
        "FROM base\n"
        "RUN true\n"
    )
    assert [(line, col) for _, line, col, _ in findings("DF304", src)] == [(2, 1)]


def test_df304_silent_cases():
    # exec form; shell form without a CMD; an inherited CMD reset by the ENTRYPOINT; an empty CMD
    assert findings("DF304", 'FROM alpine\nENTRYPOINT ["app"]\nCMD ["x"]\n') == []
    assert findings("DF304", "FROM alpine\nENTRYPOINT app\n") == []
    assert findings("DF304", 'FROM alpine AS base\nCMD ["x"]\nFROM base\nENTRYPOINT app\n') == []
    assert findings("DF304", "FROM alpine\nENTRYPOINT app\nCMD []\n") == []


# -- DF305 ---------------------------------------------------------------------------------------

def test_df305_shell_entrypoint_keeps_the_shell_as_pid1():
    src = "FROM python:3.12-slim\nENTRYPOINT python -m app\n"
    [finding] = raw_findings("DF305", src)
    assert (finding.span.line, finding.span.column, finding.severity, finding.message) == (
        2, 1, "",
        'shell-form ENTRYPOINT runs ["/bin/sh", "-c", "python -m app"]: the shell stays PID 1 and does not pass '
        "SIGTERM on to python; use the exec form, or start the command with `exec`",
    )
    [edit] = finding.fix.edits
    assert finding.fix.applicability == "unsafe"
    assert (edit.span.line, edit.span.column, edit.span.end_column, edit.text) == (2, 12, 12, "exec ")


def test_df305_cmd_variant_is_info_and_optional():
    src = "FROM node:20\nWORKDIR /app\nCMD cd /srv && node server.js\n"
    [finding] = raw_findings("DF305", src)
    assert (finding.span.line, finding.severity, finding.message) == (
        3, "info",
        'shell-form CMD is stored as ["/bin/sh", "-c", "cd /srv && node server.js"]: the shell stays PID 1 and '
        "does not pass SIGTERM on to node; use the exec form, or start the command with `exec`",
    )
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.text) == (3, 16, "exec ")
    rule = builtin_rules()["DF305"]
    assert list(rule.check(model_of(src), Options({"include-cmd": False}))) == []
    # An ENTRYPOINT written in the file (even an empty one) makes the argv known: the message says what runs.
    src = "FROM debian AS base\nENTRYPOINT []\nFROM base\nCMD python app.py\n"
    assert findings("DF305", src)[0][3].startswith('shell-form CMD runs ["/bin/sh", "-c", "python app.py"]')


def test_df305_severity_reaches_the_output_through_the_engine():
    settings = default_settings(list(builtin_rules().values()))
    result = lint_text("FROM debian\nCMD python app.py\n", "Dockerfile", settings)
    assert [(f.code, f.severity) for f in result.findings if f.code == "DF305"] == [("DF305", "info")]
    result = lint_text("FROM debian\nENTRYPOINT python app.py\n", "Dockerfile", settings)
    assert [(f.code, f.severity) for f in result.findings if f.code == "DF305"] == [("DF305", "warning")]


def test_df305_exec_or_trap_is_fine():
    for body in (
        "ENTRYPOINT exec python -m app\n",
        "ENTRYPOINT cd /app && exec gunicorn app:app\n",
        'ENTRYPOINT set -e; exec su-exec app "$@"\n',
        "ENTRYPOINT trap 'kill $pid' TERM; python app.py & pid=$!; wait $pid\n",
        "CMD exec node server.js\n",
    ):
        assert findings("DF305", "FROM debian\n" + body) == [], body


def test_df305_shells_that_exec_a_lone_command():
    # BusyBox ash (Alpine) execs the script's last simple command.
    assert findings("DF305", "FROM alpine:3.19\nENTRYPOINT python -m app\n") == []
    assert findings("DF305", "FROM python:3.12-alpine\nCMD cd /app && python -m app\n") == []
    assert [f[1] for f in findings("DF305", "FROM alpine\nCMD python -m app > /log\n")] == [2]
    assert [f[1] for f in findings("DF305", "FROM alpine\nCMD python -m app &\n")] == [2]
    # bash (the Red Hat family, or an explicit SHELL) execs a lone simple command, but not a list.
    assert findings("DF305", "FROM fedora:40\nCMD python -m app\n") == []
    assert [f[1] for f in findings("DF305", "FROM rockylinux:9\nCMD cd /app && python -m app\n")] == [2]
    assert findings("DF305", 'FROM debian\nSHELL ["/bin/bash", "-c"]\nENTRYPOINT python -m app\n') == []
    # Debian's dash forks even a lone command; unknown images are taken for dash.
    assert [f[1] for f in findings("DF305", "FROM debian:bookworm\nCMD python -m app\n")] == [2]
    assert [f[1] for f in findings("DF305", "FROM registry.example.com/base:1\nCMD python -m app\n")] == [2]
    # A builtin last: the shell is busy waiting, whatever the shell.
    assert [f[1] for f in findings("DF305", "FROM alpine\nCMD python -m app & wait\n")] == [2]


def test_df305_silent_cases():
    assert findings("DF305", 'FROM debian\nENTRYPOINT ["python", "-m", "app"]\n') == []
    assert findings("DF305", 'FROM debian\nCMD ["python", "-m", "app"]\n') == []
    assert findings("DF305", 'FROM debian\nENTRYPOINT ["tini", "--"]\nCMD python -m app\n') == []  # DF306's case
    # FROM scratch without a shell: an error of its own (tests/rules/test_buildkit_rules.py)
    assert findings("DF305", "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD app.exe\n") == []
    assert findings("DF305", "FROM eclipse-temurin:21-jdk-windowsservercore-ltsc2022\nCMD java -jar a.jar\n") == []
    assert findings("DF305", 'FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\n'
                             "CMD Start-Service x\n") == []
    # Inherited: reported once, in the stage that wrote it.
    src = "FROM debian AS base\nENTRYPOINT python -m app\nFROM base\nRUN true\n"
    assert [f[1] for f in findings("DF305", src)] == [2]


def test_df305_no_exec_fix_when_the_last_command_is_not_plain():
    for body in ("CMD X=1 python app.py\n", "CMD python app.py | tee log\n", "CMD if true; then python x; fi\n"):
        found = raw_findings("DF305", "FROM debian\n" + body)
        assert len(found) == 1 and found[0].fix is None, body


# -- DF306 ---------------------------------------------------------------------------------------

def test_df306_exec_entrypoint_with_shell_cmd():
    src = 'FROM node:20\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD node server.js\n'
    [finding] = raw_findings("DF306", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        3, 1,
        'shell-form CMD reaches ENTRYPOINT ["docker-entrypoint.sh"] at line 2 as arguments: runs '
        '["docker-entrypoint.sh", "/bin/sh", "-c", "node server.js"]; write CMD ["node", "server.js"]',
    )
    [edit] = finding.fix.edits
    assert finding.fix.applicability == "unsafe"
    assert (edit.span.line, edit.span.column, edit.span.end_column, edit.text) == (3, 5, 19, '["node", "server.js"]')


def test_df306_inherited_entrypoint_and_a_cmd_with_shell_features():
    src = (
        'FROM postgres:16 AS db\nENTRYPOINT ["docker-entrypoint.sh"]\n'
        'FROM db\nCMD postgres -c "max_connections=${MAX:-100}"\n'
    )
    [finding] = raw_findings("DF306", src)
    assert (finding.span.line, finding.message) == (
        4,
        'shell-form CMD reaches ENTRYPOINT ["docker-entrypoint.sh"] inherited from stage "db" (line 2) as '
        'arguments: runs ["docker-entrypoint.sh", "/bin/sh", "-c", "postgres -c \\"max_connections=${MAX:-100}\\""]; '
        "use the exec form",
    )
    assert finding.fix is None


def test_df306_silent_cases():
    assert findings("DF306", 'FROM node\nENTRYPOINT ["e"]\nCMD ["node"]\n') == []
    assert findings("DF306", "FROM node\nENTRYPOINT e\nCMD node\n") == []
    assert findings("DF306", "FROM ghcr.io/acme/node\nCMD node\n") == []  # an image dfcheck's table does not know
    assert findings("DF306", "FROM node\nENTRYPOINT []\nCMD node\n") == []


# -- DF307 ---------------------------------------------------------------------------------------

def test_df307_entrypoint_resets_the_inherited_cmd():
    src = (
        "FROM python:3.12 AS app\n"
        'CMD ["python", "-m", "app"]\n'
        "\n"
        "FROM app\n"
        'ENTRYPOINT ["tini", "--"]\n'
    )
    [finding] = raw_findings("DF307", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        5, 1,
        'ENTRYPOINT resets CMD ["python", "-m", "app"] inherited from stage "app" (line 2): runs ["tini", "--"]; '
        "repeat the CMD after the ENTRYPOINT to keep it",
    )
    [edit] = finding.fix.edits
    assert finding.fix.applicability == "unsafe"
    assert (edit.span.line, edit.span.column, edit.span.end_column, edit.text) == (
        5, 26, 26, '\nCMD ["python", "-m", "app"]')


def test_df307_shell_form_cmd_is_repeated_as_stored_and_empty_entrypoint():
    src = 'FROM alpine AS a\nSHELL ["/bin/ash", "-c"]\nCMD serve\nFROM a\nENTRYPOINT []\n'
    [finding] = raw_findings("DF307", src)
    assert finding.message == (
        'ENTRYPOINT resets CMD serve inherited from stage "a" (line 3): the image has no command left; '
        "repeat the CMD after the ENTRYPOINT to keep it"
    )
    assert finding.fix.edits[0].text == '\nCMD ["/bin/ash", "-c", "serve"]'


def test_df307_silent_cases():
    # the stage sets its own CMD, after or before the ENTRYPOINT
    assert findings("DF307", 'FROM a AS b\nCMD ["x"]\nFROM b\nENTRYPOINT ["e"]\nCMD ["y"]\n') == []
    assert findings("DF307", 'FROM a AS b\nCMD ["x"]\nFROM b\nCMD ["y"]\nENTRYPOINT ["e"]\n') == []
    # the CMD of an image dfcheck's table does not know is unknown; the base stage has no CMD; a shell-form
    # ENTRYPOINT ignores CMD anyway
    assert findings("DF307", 'FROM ghcr.io/acme/python:3.12\nENTRYPOINT ["tini", "--"]\n') == []
    assert findings("DF307", 'FROM a AS b\nRUN true\nFROM b\nENTRYPOINT ["e"]\n') == []
    assert findings("DF307", 'FROM a AS b\nCMD ["x"]\nFROM b\nENTRYPOINT e\n') == []


# -- the model's helpers ---------------------------------------------------------------------------

def test_image_shell_and_argv_formatting():
    assert [image_shell(i) for i in ("alpine:3.19", "python:3.12-alpine3.19", "busybox", "fedora:40",
                                     "registry.access.redhat.com/ubi9/ubi-minimal", "debian", "node:20",
                                     "scratch", None)] == [
        "ash", "ash", "ash", "bash", "bash", "dash", "dash", "none", "dash"]
    assert format_argv(("/bin/sh", "-c", "a\n  b")) == '["/bin/sh", "-c", "a b"]'
    assert format_argv(("x" * 70,)) == '["' + "x" * 57 + '..."]'


def test_command_line_pid1_states():
    def pid1(body, image="debian"):
        rt = model_of(f"FROM {image}\n{body}\n").stages[0].runtime
        return rt.cmd.pid1(image_shell(image))

    assert pid1("CMD exec app") == "exec"
    assert pid1("CMD trap 'exit 0' TERM; app") == "trap"
    assert pid1("CMD app") == "shell"
    assert pid1("CMD app", "alpine") == "direct"
    assert pid1('CMD ["app"]') is None
    assert pid1("CMD app 'unterminated") is None


def test_command_lines_keep_form_origin_and_shell():
    m = model_of(
        "FROM alpine AS base\n"
        'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\n'
        "ENTRYPOINT run --port 80\n"
        "FROM base\n"
        'CMD ["serve", "--verbose"]\n'
    )
    base, child = m.stages
    ep = child.runtime.entrypoint
    assert (ep.exec_form, ep.inherited, ep.node.span.line, m.stage_of(ep.node) is base) == (False, True, 3, True)
    assert ep.argv == ("/bin/ash", "-eo", "pipefail", "-c", "run --port 80")
    assert ep.display == "ENTRYPOINT run --port 80"
    assert ep.static_argv() == ("run", "--port", "80")
    cmd = child.runtime.cmd
    assert (cmd.exec_form, cmd.inherited, cmd.display) == (True, False, 'CMD ["serve", "--verbose"]')
    assert child.runtime.argv == ("/bin/ash", "-eo", "pipefail", "-c", "run --port 80")  # CMD dropped
    for text in ('run "$PORT"', "run *.conf", "run > log", "X=1 run", "run ~/x", "a && b",
                 "exec", "exec -a name run", "cd /app", "exec set -e"):
        line = model_of(f"FROM alpine\nCMD {text}\n").stages[0].runtime.cmd
        assert line.static_argv() is None, text
    # `exec` replaces the shell by the program: in exec form, the program itself runs
    line = model_of("FROM alpine\nCMD exec python -m app\n").stages[0].runtime.cmd
    assert line.static_argv() == ("python", "-m", "app")
