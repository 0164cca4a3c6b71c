"""DF301-DF307: overridden CMD/ENTRYPOINT/HEALTHCHECK, and what the container really runs."""

from support import builtin_rules, model_of

from dfcheck.config import default_settings

from dfcheck.engine import lint_text

from dfcheck.model.runtime import format_argv, image_shell


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

