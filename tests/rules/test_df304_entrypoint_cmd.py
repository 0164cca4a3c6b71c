"""DF304: entrypoint cmd (rules/df304_entrypoint_cmd.py)."""

from support import builtin_rules, findings, model_of, raw_findings

from dfcheck.config import default_settings
from dfcheck.engine import lint_text
from dfcheck.rule import Options


def spans(found):
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in found]


def test_df304_an_entrypoint_resets_the_image_cmd_so_nothing_is_dropped():
    assert findings("DF304", "FROM node\nENTRYPOINT node server.js\n") == []
    assert findings("DF304", "FROM nginx:1.27\nENTRYPOINT nginx -g 'daemon off;'\n") == []
    assert findings("DF304", "FROM node:22 AS base\nFROM base\nENTRYPOINT node server.js\n") == []


def test_df304_a_cmd_set_before_the_entrypoint_survives():
    assert findings("DF304", 'FROM node:22\nCMD ["--port", "80"]\nENTRYPOINT node server.js\n') == [
        ("DF304", 3, 1, 'shell-form ENTRYPOINT runs ["/bin/sh", "-c", "node server.js"]; CMD ["--port", "80"] at '
                        "line 2 is dropped, and so are `docker run` arguments")]


def test_df305_takes_the_shell_from_the_table():
    # docker:29 is Alpine: BusyBox ash execs the lone command, dockerd is PID 1
    assert findings("DF305", "FROM docker:29\nENTRYPOINT dockerd --debug\n") == []
    # the same name on another registry: not in the table, guessed Debian's dash, which forks
    assert [line for _, line, _, _ in findings("DF305", "FROM ghcr.io/acme/docker:29\nENTRYPOINT dockerd --debug\n")
            ] == [2]


def test_df305_a_cmd_on_an_image_without_entrypoint_runs():
    assert findings("DF305", "FROM python:3.12\nCMD cd /app && python -m app\n") == [
        ("DF305", 2, 1, 'shell-form CMD runs ["/bin/sh", "-c", "cd /app && python -m app"]: the shell stays PID 1 '
                        "and does not pass SIGTERM on to python; use the exec form, or start the command with `exec`")]
    # an image with an entrypoint script: DF306's
    assert findings("DF305", "FROM node:22\nCMD cd /app && node server.js\n") == []


def test_df306_nginx_entrypoint_skips_its_init_scripts():
    [finding] = raw_findings("DF306", 'FROM nginx\nCMD nginx -g "daemon off;"\n')
    assert (finding.span.line, finding.span.column, finding.message) == (
        2, 1,
        'shell-form CMD reaches ENTRYPOINT ["/docker-entrypoint.sh"] of the base image `nginx` as arguments: runs '
        '["/docker-entrypoint.sh", "/bin/sh", "-c", "nginx -g \\"daemon off;\\""]; /docker-entrypoint.sh runs the '
        "scripts in /docker-entrypoint.d/ (configuration templates, IPv6 listen, worker tuning) only when its first "
        'argument is nginx or nginx-debug, and gets /bin/sh; write CMD ["nginx", "-g", "daemon off;"]')
    [edit] = finding.fix.edits
    assert (finding.fix.applicability, edit.text) == ("unsafe", '["nginx", "-g", "daemon off;"]')


def test_df306_node_entrypoint_through_a_stage():
    assert findings("DF306", "FROM node:22-alpine AS base\nFROM base\nCMD node server.js\n") == [
        ("DF306", 3, 1, 'shell-form CMD reaches ENTRYPOINT ["docker-entrypoint.sh"] of the base image '
                        '`node:22-alpine` as arguments: runs ["docker-entrypoint.sh", "/bin/sh", "-c", '
                        '"node server.js"]; write CMD ["node", "server.js"]')]


def test_df306_silent_cases_from_the_table():
    assert findings("DF306", 'FROM nginx\nCMD ["nginx", "-g", "daemon off;"]\n') == []
    assert findings("DF306", "FROM python:3.12\nCMD python app.py\n") == []  # python sets no ENTRYPOINT
    assert findings("DF306", "FROM ghcr.io/acme/nginx\nCMD nginx\n") == []  # not in the table
    assert findings("DF306", "FROM nginx\nENTRYPOINT []\nCMD nginx\n") == []  # the script is gone


def test_df307_an_entrypoint_resets_the_image_cmd():
    [finding] = raw_findings("DF307", 'FROM nginx:1.27\nENTRYPOINT ["/entry.sh"]\n')
    assert (finding.span.line, finding.severity, finding.message) == (
        2, "info", 'ENTRYPOINT resets CMD ["nginx", "-g", "daemon off;"] of the base image `nginx:1.27`: runs '
                   '["/entry.sh"]; repeat the CMD after the ENTRYPOINT to keep it')
    assert finding.fix.edits[0].text == '\nCMD ["nginx", "-g", "daemon off;"]'
    # through a stage that sets nothing
    assert [(line, message.split(":")[0]) for _, line, _, message in findings(
        "DF307", 'FROM python:3.12 AS app\nFROM app\nENTRYPOINT ["tini", "--"]\n')] == [
        (3, 'ENTRYPOINT resets CMD ["python3"] of the base image `python')]


def test_df307_silent_cases_from_the_table():
    assert findings("DF307", 'FROM nginx\nCMD ["nginx"]\nENTRYPOINT ["/e"]\n') == []  # its own CMD first
    assert findings("DF307", 'FROM python:3.12\nENTRYPOINT ["python"]\nCMD ["app.py"]\n') == []
    assert findings("DF307", 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\n') == []  # no CMD
    assert findings("DF307", 'FROM ghcr.io/acme/python\nENTRYPOINT ["tini", "--"]\n') == []
    # the OS images' CMD only starts a shell: replacing it loses nothing
    assert findings("DF307", 'FROM alpine:3.20\nENTRYPOINT ["/traefik"]\n') == []
    assert findings("DF307", 'FROM ubuntu:24.04 AS base\nFROM base\nENTRYPOINT ["tini", "--", "start.sh"]\n') == []


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
    # FROM scratch without a shell: an error of its own (tests/rules/test_df415_shell_form_in_scratch.py)
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

