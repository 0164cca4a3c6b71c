"""Linting as the build files build: each Dockerfile once per distinct build its Compose services and Bake targets
describe, findings labelled with the builds they belong to, the command line and configuration on top, notes
said once, and `dfcheck layers` and --show-settings saying what is in use and where it comes from."""

import json
import os
import shutil
from pathlib import Path

import pytest
from support import run, tree

FIXTURE = Path(__file__).parent / "monorepo"
API = "services/api/Dockerfile"
WORKER = "services/worker/Dockerfile"
NOTES = ('dfcheck: note: services/compose.yaml:11: service "api": build.args.GIT_SHA: ${GIT_SHA} is not set; its '
         "value is left unknown\n"
         'dfcheck: note: docker-bake.hcl:30: target "_stamped": args.BUILD_DATE: timestamp() cannot be read '
         "statically; its value is left unknown\n")
NO_USER = ("the image sets no USER and its base image `{}` runs as root, so its containers run as root; add a "
           "`USER <unprivileged user>` after the steps that need root")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The monorepo fixture in a repository of its own (a `.git` with a file in it: what `COPY . .` from the
    repository root takes along), as the current directory, with no variable of the fixture in the
    environment."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    for name in ("PYTHON_VERSION", "GIT_SHA", "DEBUG", "REGISTRY", "API_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(root)
    return root


def lint_json(capsys, *argv):
    status, out, err = run(capsys, "--format", "json", *argv)
    return status, [(f["path"], f["code"], f["line"], f["message"], f["builds"]) for f in json.loads(out)["findings"]
                    ], err


def test_the_monorepo_each_dockerfile_with_its_builds_inputs(repo, capsys):
    status, found, err = lint_json(capsys, ".")
    assert status == 1
    assert found == [
        # the api is built from the repository root (compose's context `..`, bake's `.`): .git goes in (DF104)
        (API, "DF609", 5, NO_USER.format("python:3.12-slim"), ["service api"]),  # its named context `base`
        (API, "DF609", 5, NO_USER.format("python:3.11-slim"), ["bake target api"]),  # bake's PYTHON_VERSION
        (API, "DF104", 6, "COPY . copies .git (1 file, 21 B) from the build context: there is no .dockerignore; they "
                          "change the cache key of this copy and everything after it, and go into the image", []),
        # with compose's `base` context the stage that sets WORKDIR is not built
        (API, "DF417", 6, "COPY to the relative destination . without a WORKDIR: where it lands depends on the base "
                          "image's working directory", ["service api"]),
        # the worker's two builds differ in args it does not use: one lint's findings, unlabelled
        (WORKER, "DF609", 1, NO_USER.format("python:3.12-slim"), []),
    ]
    # `COPY --from=shared` names a named context of both builds: no DF414; the notes come once, on stderr
    assert err == NOTES
    assert run(capsys, "-q", "--format", "json", ".")[2] == ""


def test_without_build_files_each_dockerfile_is_linted_as_before(repo, capsys):
    expected = [
        (API, "DF414", 4, "no stage is named shared: BuildKit pulls the image docker.io/library/shared:latest", []),
        (API, "DF609", 5, NO_USER.format("python:3.13-slim"), []),  # the Dockerfile's own default
        (WORKER, "DF609", 1, NO_USER.format("python:3.12-slim"), []),
    ]
    assert lint_json(capsys, "--no-build-files", ".") == (1, expected, "")
    (repo / ".dfcheck.toml").write_text("build-files = false\n")
    assert lint_json(capsys, ".") == (1, expected, "")
    assert lint_json(capsys, API)[1] == expected[:2]  # a file named on the command line too


def test_the_command_line_and_the_configuration_win_value_by_value(repo, capsys):
    status, found, err = lint_json(capsys, "--build-arg", "PYTHON_VERSION=3.10", "--select", "DF609", API)
    assert [(message, builds) for _, _, _, message, builds in found] == [
        (NO_USER.format("python:3.12-slim"), ["service api"]),  # the named context still replaces the stage
        (NO_USER.format("python:3.10-slim"), ["bake target api"])]
    # a target in the configuration: both builds stop at `base`, with their own PYTHON_VERSION
    (repo / ".dfcheck.toml").write_text('target = "base"\n')
    status, found, err = lint_json(capsys, "--select", "DF609,DF414", API)
    assert [(line, message, builds) for _, _, line, message, builds in found] == [
        (2, NO_USER.format("python:3.12-slim"), ["service api"]),
        (2, NO_USER.format("python:3.11-slim"), ["bake target api"])]
    # the context given: DF104 has no .git to find
    (repo / "empty").mkdir()
    status, found, err = lint_json(capsys, "--context", "empty", "--select", "DF104", API)
    assert found == []


def test_a_dockerfile_no_definition_names_is_linted_as_today(repo, capsys):
    tree(repo / "tools", {"Dockerfile": "FROM alpine:3.20\nUSER app\nCOPY --from=shared . /s\n"})
    status, found, err = lint_json(capsys, "tools/Dockerfile")
    assert found == [("tools/Dockerfile", "DF414", 3, "no stage is named shared: BuildKit pulls the image "
                                                      "docker.io/library/shared:latest", [])]
    assert err == NOTES.splitlines(keepends=True)[1]  # the Bake file at the root is read: its note


TWO_TARGETS = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "compose.yaml": "services:\n  web:\n    build: {context: ., target: dev}\n"
                    "  web-prod:\n    build: {context: ., target: prod}\n",
    "Dockerfile": (
        "FROM python:3.12-slim AS base\n"
        "ADD app.py /app/\n"
        "FROM base AS dev\n"
        'ENTRYPOINT ["tini", "--"]\n'
        "FROM base AS prod\n"
        "USER root\n"
        "CMD python /app/app.py\n"
    ),
    "app.py": "print('hi')\n",
}


def test_two_services_with_different_targets_report_each_finding_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tree(tmp_path, TWO_TARGETS))
    status, found, err = lint_json(capsys, "--select", "DF401,DF307,DF602,DF609", ".")
    assert [(code, line, builds) for _, code, line, _, builds in found] == [
        ("DF401", 2, []),  # the rules that read every stage find the same in both builds: once, unlabelled
        ("DF609", 3, ["service web"]),  # the image of target dev sets no USER
        ("DF307", 4, []),
        ("DF602", 6, ["service web-prod"]),  # the image of target prod runs as root
    ]
    # the text formats say it after the message; SARIF in the message and a property
    status, out, err = run(capsys, "--select", "DF609", "--format", "concise", ".")
    assert out.splitlines()[0] == f"Dockerfile:3:1: DF609 [warning] {NO_USER.format('python:3.12-slim')} [service web]"
    status, out, err = run(capsys, "--select", "DF609", "--format", "github", ".")
    assert out.startswith("::warning file=Dockerfile,line=3,") and out.endswith(" [service web]\n")
    pytest.importorskip("sarif_om")
    status, out, err = run(capsys, "--select", "DF609", "--format", "sarif", ".")
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["message"]["text"].endswith("root [service web]") and result["properties"] == {
        "builds": ["service web"]}


def test_definitions_the_command_line_makes_alike_are_one_build(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tree(tmp_path, TWO_TARGETS))
    status, found, err = lint_json(capsys, "--select", "DF602,DF609", "--target", "dev", ".")
    assert [(code, builds) for _, code, _, _, builds in found] == [("DF609", [])]
    status, out, err = run(capsys, "--show-settings", "Dockerfile", "--target", "dev")
    assert ("# Dockerfile is built as its build files say (1 build; --no-build-files: as configured instead):\n"
            '# build 1, as compose service "web" (compose.yaml:2) and compose service "web-prod" (compose.yaml:4) '
            "says:\n") in out
    assert "#   target = dev  (command line)\n" in out


def test_an_unresolved_bake_expression_is_one_note_not_a_crash(tmp_path, capsys, monkeypatch):
    tree(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "docker-bake.hcl": (
            'target "a" {\n  context = "a"\n  args = { V = uuidv4() }\n}\n'
            'target "b" {\n  context = "b"\n  args = { V = uuidv4() }\n}\n'
            'target "c" {\n  context = "${notafunction(1)}/c"\n}\n'),
        "a/Dockerfile": "FROM alpine:3.20\nARG V\nUSER app\nRUN echo $V\n",
        "b/Dockerfile": "FROM alpine:3.20\nUSER app\n",
        "c/Dockerfile": "FROM alpine:3.20\nUSER app\n",
    })
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "--select", "DF0", ".")
    assert status == 0, err
    notes = err.splitlines()
    assert len(notes) == len(set(notes)) >= 2 and all(n.startswith("dfcheck: note: docker-bake.hcl:") for n in notes)
    assert any("uuidv4()" in n for n in notes) and any("notafunction" in n for n in notes)


def test_notes_quote_the_build_files_with_control_characters_escaped(tmp_path, capsys, monkeypatch):
    tree(tmp_path, {
        ".git/HEAD": "x\n",
        "compose.yaml": 'services:\n  "ev\\e[31mil":\n    build:\n      context: .\n      args: {A: "${NOPE}"}\n',
        "Dockerfile": "FROM alpine:3.20\nUSER app\n",
    })
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "--select", "DF0", ".")
    assert err == ('dfcheck: note: compose.yaml:5: service "ev\\x1b[31mil": build.args.A: ${NOPE} is not set; its '
                   "value is left unknown\n")


def test_show_settings_says_what_each_build_uses_and_where_it_comes_from(repo, capsys):
    status, out, err = run(capsys, "--show-settings", API, "--build-arg", "DEBUG=2")
    block = out[out.index("#\n# services/api/Dockerfile"):].splitlines()
    assert block[:13] == [
        "#",
        "# services/api/Dockerfile is built as its build files say (2 builds; --no-build-files: as configured "
        "instead):",
        '# build 1, as compose service "api" (compose.yaml:3) says:',
        f"#   context = {repo}",
        "#   target = prod",
        "#   arg PYTHON_VERSION = 3.12",
        "#   arg BUILD_ENV = production",
        "#   arg GIT_SHA = (set, value not known statically)",
        "#   arg DEBUG = 2  (command line)",
        f"#   context shared = {repo / 'libs' / 'shared'}",
        "#   context base = docker-image://python:3.12-slim",
        '#   stage "base": not built, the named context base replaces it',
        '#   stage "prod": FROM base: the named context docker-image://python:3.12-slim; python 3.12.13, debian, '
        '/bin/sh dash, apt, runs as root, CMD ["python3"], no ENTRYPOINT (dfcheck\'s table: '
        "docker-library/python@4f07059567fa 3.12/bookworm, 2026-12-02; docker-library/python@4f07059567fa "
        "3.12/trixie, 2026-12-02)",
    ]
    assert '#   stage "base": FROM python:3.11-slim: python 3.11.15, debian, /bin/sh dash' in out
    assert err == NOTES
    # an image the table does not know: guessed
    tree(repo / "tools", {"Dockerfile": "FROM ghcr.io/acme/tool:1\nFROM scratch\n"})
    status, out, err = run(capsys, "--show-settings", "tools/Dockerfile")
    assert out.split("#\n# tools/Dockerfile is built as configured:\n")[1].splitlines()[:4] == [
        f"#   context = {repo / 'tools'}  (the Dockerfile's directory)",
        "#   target = the last stage",
        "#   stage 0: FROM ghcr.io/acme/tool:1: not in dfcheck's table: USER, CMD and ENTRYPOINT unknown; /bin/sh "
        "guessed dash from the name",
        "#   stage 1: FROM scratch: an empty image: no /bin/sh, no user but root",
    ]


def test_layers_uses_the_same_builds_and_picks_one(repo, capsys):
    status, out, err = run(capsys, "layers", API)
    assert status == 0 and err == NOTES
    header, layers = out.split("\n\n", 1)
    assert header.splitlines()[2] == '# build 1, as compose service "api" (compose.yaml:3) says:'
    assert header.splitlines()[-1] == ("# (also built as bake target api: pick one with --service NAME or "
                                       "--bake-target NAME)")
    assert layers.startswith(f"{API} (target prod; context {repo})")
    assert 'stage 1 "prod": FROM base (line 5)' in layers  # `base` is the named context: only prod is built
    status, out, err = run(capsys, "layers", "--bake-target", "api", API)
    assert '# build 2, as bake target "api" (docker-bake.hcl:36) says:' in out
    assert 'stage 0 "base": FROM python:3.11-slim (line 2)' in out and 'stage 1 "prod": FROM base (line 5)' in out
    assert run(capsys, "layers", "--service", "nope", API)[:3:2] == (
        2, f"dfcheck: error: {API}: no service nope builds it (its builds: service api, bake target api)\n")
    status, out, err = run(capsys, "layers", "--no-build-files", API)
    assert out.startswith(f"#\n# {API} is built as configured:\n") and err == ""


def test_the_api_lints_as_the_command_line_does(repo):
    import dfcheck

    found = [(f.code, f.span.line, f.builds) for f in dfcheck.lint(API)]
    assert found == [("DF609", 5, ("service api",)), ("DF609", 5, ("bake target api",)), ("DF104", 6, ()),
                     ("DF417", 6, ("service api",))]
    assert os.path.isdir(repo)
