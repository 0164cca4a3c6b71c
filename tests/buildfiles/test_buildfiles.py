"""Build definitions from Compose and Bake files: what each says about how a Dockerfile is built."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dfcheck.buildfiles import MAX_FILE_BYTES, BuildDefinition, BuildFiles, Note, project_directories, read_project
from dfcheck.buildfiles.compose import Unresolved, interpolate, read_dotenv
from support import tree

FIXTURE = Path(__file__).parent / "monorepo"


@pytest.fixture
def repo(tmp_path):
    """The monorepo fixture, in a repository of its own (a `.git` directory at its root)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / ".git").mkdir()
    return str(root)


def definitions(files: BuildFiles, path: str) -> list[tuple]:
    return [(d.kind, d.name, d.dockerfile, d.context, d.target, d.args, d.contexts) for d in
            files.definitions_for(path)]


def notes(files: BuildFiles, root: str) -> list[str]:
    return [str(n).replace(root + os.sep, "") for n in files.notes]


# -- the monorepo: Compose beside the services (context ..), Bake at the root ----------------------------------


def test_each_dockerfile_gets_every_definition_that_builds_it(repo):
    files = BuildFiles(environ={})
    api = os.path.join(repo, "services", "api", "Dockerfile")
    assert definitions(files, api) == [
        ("compose", "api", api, repo, "prod",
         # the default of ${PYTHON_VERSION:-3.12}; GIT_SHA is unset: set, value unknown; DEBUG from the override
         {"PYTHON_VERSION": "3.12", "BUILD_ENV": "production", "GIT_SHA": None, "DEBUG": "1"},
         {"shared": os.path.join(repo, "libs", "shared"), "base": "docker-image://python:3.12-slim"}),
        ("bake", "api", api, repo, "prod",
         # _common's args, then _stamped's (timestamp(): unknown), then its own
         {"PYTHON_VERSION": "3.11", "REGISTRY": "ghcr.io/acme", "BUILD_DATE": None, "DEBUG": "0"},
         {"shared": os.path.join(repo, "libs", "shared")}),
    ]
    worker = os.path.join(repo, "services", "worker", "Dockerfile")
    assert definitions(files, worker) == [
        ("compose", "worker", worker, os.path.dirname(worker), None, {}, {}),  # build: ./worker
        ("bake", "worker", worker, os.path.dirname(worker), None,
         {"PYTHON_VERSION": "3.11", "REGISTRY": "ghcr.io/acme", "QUEUE": "FAST"}, {}),
    ]
    assert notes(files, repo) == [
        'services/compose.yaml:11: service "api": build.args.GIT_SHA: ${GIT_SHA} is not set; its value is left unknown',
        'docker-bake.hcl:30: target "_stamped": args.BUILD_DATE: timestamp() cannot be read statically; its value '
        "is left unknown",
    ]
    origins = [d.origin for d in files.definitions_for(api)]
    assert origins == ['compose service "api" (compose.yaml:3)', 'bake target "api" (docker-bake.hcl:36)']


def test_the_environment_interpolates_and_overrides_variables(repo):
    files = BuildFiles(environ={"PYTHON_VERSION": "3.10", "GIT_SHA": "abc123", "DEBUG": "true"})
    compose, bake = files.definitions_for(os.path.join(repo, "services", "api", "Dockerfile"))
    assert compose.args == {"PYTHON_VERSION": "3.10", "BUILD_ENV": "production", "GIT_SHA": "abc123", "DEBUG": "1"}
    assert bake.args == {"PYTHON_VERSION": "3.10", "REGISTRY": "ghcr.io/acme", "BUILD_DATE": None, "DEBUG": "1"}
    assert len(files.notes) == 1  # timestamp() only


def test_notes_are_given_once_and_files_read_once(repo):
    files = BuildFiles(environ={})
    for _ in range(2):
        files.definitions_for(os.path.join(repo, "services", "api", "Dockerfile"))
        files.definitions_for(os.path.join(repo, "services", "worker", "Dockerfile"))
    assert len(files.notes) == 2


def test_a_dockerfile_no_definition_names(repo):
    path = tree(Path(repo) / "tools", {"Dockerfile": "FROM alpine\n"})
    assert BuildFiles(environ={}).definitions_for(os.path.join(path, "Dockerfile")) == []


def test_the_walk_stops_at_the_repository_root(tmp_path):
    tree(tmp_path, {"compose.yaml": "services:\n  app:\n    build: repo/app\n",
                    "repo/.git": "gitdir: /elsewhere\n",  # a worktree's .git is a file
                    "repo/app/Dockerfile": "FROM alpine\n"})
    app = tmp_path / "repo" / "app"
    assert project_directories(str(app)) == [str(app), str(tmp_path / "repo")]
    assert BuildFiles(environ={}).definitions_for(str(app / "Dockerfile")) == []
    # outside any repository only the linted directory counts
    tree(tmp_path, {"loose/compose.yaml": "services:\n  x:\n    build: .\n", "loose/Dockerfile": "FROM alpine\n"})
    assert project_directories(str(tmp_path / "loose")) == [str(tmp_path / "loose")]


# -- Compose -----------------------------------------------------------------------------------------------


def read(root, files: dict, environ=None) -> tuple[list, list]:
    tree(root, files)
    compose = [os.path.join(root, n) for n in ("compose.yaml", "compose.override.yml") if n in files]
    bake = [os.path.join(root, n) for n in ("docker-bake.json", "docker-bake.hcl", "docker-bake.override.hcl")
            if n in files]
    found, found_notes = read_project(compose, bake, environ or {})
    return found, [str(n).replace(str(root) + os.sep, "") for n in found_notes]


def test_compose_scalars_are_yaml_1_2_and_list_args_take_the_environment(tmp_path):
    found, problems = read(tmp_path, {"compose.yaml": (
        "services:\n"
        "  app:\n"
        "    build:\n"
        "      context: .\n"
        "      args:\n"
        "        - ANSWER=yes\n"  # a string in YAML 1.2 (PyYAML's default would make it a boolean)
        "        - FROM_ENV\n"
        "        - NOT_IN_ENV\n"
        "  web:\n"
        "    build:\n"
        "      args: {VERSION: 3.10, ON: true, COUNT: 0x10, NAME: null}\n")}, environ={"FROM_ENV": "e"})
    assert [(d.name, d.args) for d in found] == [
        ("app", {"ANSWER": "yes", "FROM_ENV": "e"}),  # a bare key the environment lacks is not passed
        ("web", {"VERSION": "3.1", "ON": "true", "COUNT": "16"}),
    ]
    assert problems == []


def test_compose_override_extends_and_what_is_left_out(tmp_path):
    found, problems = read(tmp_path, {
        "compose.yaml": (
            "include:\n  - other/compose.yaml\n"
            "services:\n"
            "  base:\n    build:\n      context: app\n      args: {A: '1', B: '1'}\n"
            "  child:\n    extends: base\n    build:\n      target: dev\n      args: {B: '2'}\n"
            "  far:\n    extends:\n      file: lib/common.yaml\n      service: tool\n"
            "  inline:\n    build:\n      dockerfile_inline: FROM alpine\n"
            "  remote:\n    build: https://github.com/acme/app.git#main\n"
            "  needs:\n    build:\n      context: ${CONTEXT:?the build context}\n"
            "  image_only:\n    image: redis\n"),
        "compose.override.yml": "services:\n  base:\n    build:\n      dockerfile: Base.Dockerfile\n",
        "lib/common.yaml": "services:\n  tool:\n    build:\n      context: ../tools\n"})
    assert [(d.name, d.dockerfile, d.context, d.target, d.args) for d in found] == [
        ("base", str(tmp_path / "app" / "Base.Dockerfile"), str(tmp_path / "app"), None, {"A": "1", "B": "1"}),
        ("child", str(tmp_path / "app" / "Dockerfile"), str(tmp_path / "app"), "dev", {"A": "1", "B": "2"}),
        ("far", str(tmp_path / "tools" / "Dockerfile"), str(tmp_path / "tools"), None, {}),  # relative to its file
    ]
    assert problems == [
        "compose.yaml:1: include: the included files are not followed",
        'compose.yaml:17: service "inline": build.dockerfile_inline: an inline Dockerfile is not linted',
        'compose.yaml:20: service "remote": build.context https://github.com/acme/app.git#main is not a local '
        "directory: its build is not read",
        'compose.yaml:24: service "needs": build.context: ${CONTEXT} is required: the build context; the '
        "service's build is not read",
    ]


@pytest.mark.parametrize("text, problem", [
    ("services:\n  app:\n    build: [\n", "compose.yaml:4: not valid YAML: did not find expected node content"),
    ("- a list\n", "compose.yaml:1: not a Compose file (its top level is not a mapping)"),
    # merge keys that would build huge mappings (older PyYAML copies every merged pair: exponential with aliases)
    ("a: &a {" + ", ".join(f"k{i}: 1" for i in range(10001)) + "}\nb: {<<: *a}\n",
     "compose.yaml:2: not valid YAML: merge keys (<<) expand too far"),
])
def test_compose_files_that_cannot_be_read_are_one_note(tmp_path, text, problem):
    found, problems = read(tmp_path, {"compose.yaml": text})
    assert (found, problems) == ([], [problem])


@pytest.mark.parametrize("text, expected", [
    ("plain", "plain"),
    ("$NAME-${NAME}", "app-app"),
    ("${EMPTY:-default} ${EMPTY-kept}", "default "),
    ("${UNSET:-${NAME}:${UNSET2:-x}}", "app:x"),
    ("${NAME:+alt} ${UNSET:+alt}", "alt "),
    ("$$NAME costs $$5 $", "$NAME costs $5 $"),
    ("${NAME:?required}", "app"),
])
def test_compose_interpolation(text, expected):
    assert interpolate(text, {"NAME": "app", "EMPTY": ""}) == expected


@pytest.mark.parametrize("text, reason", [
    ("${UNSET}", "${UNSET} is not set"),
    ("$UNSET/x", "$UNSET is not set"),
    ("${UNSET:?give it}", "${UNSET} is required: give it"),
    ("${NAME", "invalid interpolation in '${NAME'"),
    ("${NAME:-x", "unterminated ${ in '${NAME:-x'"),
    ("${A:-" * 3000, "defaults nested too deeply"),
    ("${}", "invalid interpolation in '${}'"),
])
def test_compose_interpolation_that_cannot_be_resolved(text, reason):
    with pytest.raises(Unresolved) as info:
        interpolate(text, {"NAME": "app"})
    assert str(info.value) == reason


def test_dotenv(tmp_path):
    path = tree(tmp_path, {".env": (
        "# settings\nexport A=1\nB='$A literal'\nC=\"x ${A}\\ty\"\nD=plain # comment\nE=${MISSING}\nnot a pair\n")})
    problems = []
    pairs = read_dotenv(os.path.join(path, ".env"), {"A": "from-env"}, problems)
    assert pairs == [("A", "1"), ("B", "$A literal"), ("C", "x from-env\ty"), ("D", "plain")]
    assert [(n.line, n.message) for n in problems] == [
        (6, "E: ${MISSING} is not set; the variable is left unset"), (7, "not a KEY=VALUE line: ignored")]


# -- Bake ------------------------------------------------------------------------------------------------


def test_bake_json_inherits_in_order_and_leaves_out_what_it_cannot_build(tmp_path):
    found, problems = read(tmp_path, {"docker-bake.json": """{
  "variable": {"TAG": {"default": "1.0"}, "FAST": {"default": true}},
  "group": {"default": {"targets": ["app", "all"]}, "all": {"targets": ["tools"]}},
  "target": {
    "one": {"args": {"A": "one", "B": "one"}, "target": "one"},
    "two": {"args": {"B": "two", "C": "two"}, "dockerfile": "two.Dockerfile"},
    "app": {"inherits": ["one", "two"], "args": {"C": "own", "V": "${TAG}", "F": "${FAST}", "N": 3}},
    "tools": {"inherits": ["one"], "context": "tools"},
    "inline": {"dockerfile-inline": "FROM alpine"},
    "remote": {"context": "https://github.com/acme/repo.git"},
    "matrix": {"matrix": {"v": ["1", "2"]}, "name": "m-${v}", "args": {"V": "${v}"}, "inherits": ["one"]}
  }
}
"""}, environ={"TAG": "2.0", "FAST": "0"})
    assert [(d.name, d.dockerfile, d.context, d.target, d.args) for d in found] == [
        ("app", str(tmp_path / "two.Dockerfile"), str(tmp_path), "one",
         {"A": "one", "B": "two", "C": "own", "V": "2.0", "F": "false", "N": "3"}),
        ("tools", str(tmp_path / "tools" / "Dockerfile"), str(tmp_path / "tools"), "one", {"A": "one", "B": "one"}),
        ("m-1", str(tmp_path / "Dockerfile"), str(tmp_path), "one", {"A": "one", "B": "one", "V": "1"}),
        ("m-2", str(tmp_path / "Dockerfile"), str(tmp_path), "one", {"A": "one", "B": "one", "V": "2"}),
    ]  # "one" and "two" are templates: inherited, in no group
    assert problems == [
        'docker-bake.json:9: target "inline": dockerfile-inline: an inline Dockerfile is not linted',
        'docker-bake.json:10: target "remote": context https://github.com/acme/repo.git is not a local directory: '
        "its build is not read",
    ]


def test_bake_matrix_targets_and_targets_named_as_contexts(tmp_path):
    found, problems = read(tmp_path, {"docker-bake.hcl": """
group "default" {
  targets = ["lint", "app"]
}
target "base" {
  dockerfile = "base.Dockerfile"
}
target "app" {
  contexts = { base = "target:base" }
}
target "lint" {
  name = "lint-${check.name}"
  matrix = {
    check = [{ name = "go", stage = "golangci" }, { name = "yaml", stage = "yamllint" }]
  }
  dockerfile = "lint.Dockerfile"
  target = check.stage
}
target "checks" {
  name = "check-${md5(f)}"
  matrix = { f = ["a", "b"] }
  inherits = ["base"]
  args = { F = f }
}
target "stamped" {
  name = "s-${timestamp()}"
  matrix = { v = ["1"] }
}
target "huge" {
  name = "h-${a}-${b}"
  matrix = { a = range(100), b = range(100) }
}
"""})
    assert [(d.name, os.path.basename(d.dockerfile), d.target, d.args, d.contexts) for d in found] == [
        ("app", "Dockerfile", None, {}, {"base": "target:base"}),
        ("lint-go", "lint.Dockerfile", "golangci", {}, {}),
        ("lint-yaml", "lint.Dockerfile", "yamllint", {}, {}),
        ("check-0cc175b9c0f1b6a831c399e269772661", "base.Dockerfile", None, {"F": "a"}, {}),
        ("check-92eb5ffee6ae2fec3ad71c777531578f", "base.Dockerfile", None, {"F": "b"}, {}),
        ("base", "base.Dockerfile", None, {}, {}),  # not built on its own: app's context needs it
    ]
    assert problems == [
        'docker-bake.hcl:25: target "stamped": name: timestamp() cannot be read statically; its builds are not read',
        'docker-bake.hcl:29: target "huge": a matrix of more than 256 builds: not read',
    ]


def test_bake_files_merge_over_the_compose_services_beside_them(tmp_path):
    found, problems = read(tmp_path, {
        "compose.yaml": "services:\n  api:\n    build:\n      context: api\n      args: {FROM_COMPOSE: '1'}\n",
        "docker-bake.hcl": (
            'variable "N" {\n  default = 2\n}\n'
            'function "tag" {\n  params = [name, v]\n  result = "${name}:${v}"\n}\n'
            'target "api" {\n  args = { FROM_BAKE = tag("x", N + 1) }\n}\n'
            'target "loop" {\n  inherits = ["loop"]\n}\n'
            'target "orphan" {\n  inherits = ["missing"]\n}\n'),
        "docker-bake.override.hcl": 'target "api" {\n  dockerfile = "cwd://api.Dockerfile"\n}\n'})
    assert [(d.kind, d.dockerfile, d.context, d.args) for d in found] == [
        ("compose", str(tmp_path / "api" / "Dockerfile"), str(tmp_path / "api"), {"FROM_COMPOSE": "1"}),
        ("bake", str(tmp_path / "api.Dockerfile"), str(tmp_path / "api"), {"FROM_COMPOSE": "1", "FROM_BAKE": "x:3"}),
    ]
    assert problems == [
        'docker-bake.hcl:11: target "loop": inherits "loop", in a cycle: Bake would not build it',
        'docker-bake.hcl:14: target "orphan": inherits "missing", which no file defines: Bake would not build it',
    ]


def test_a_bake_target_that_repeats_its_compose_service_is_one_definition(tmp_path):
    found, _ = read(tmp_path, {"compose.yaml": "services:\n  api:\n    build: api\n",
                               "docker-bake.hcl": 'group "default" {\n  targets = ["api"]\n}\n'
                                                  'target "api" {}\n'})
    assert [(d.kind, d.name) for d in found] == [("compose", "api")]


@pytest.mark.parametrize("text, problem", [
    ('target "a" {\n  args = {\n', "docker-bake.hcl:3: not valid HCL: unexpected end of file (column 1)"),
    ('variable "V" {\n  default = V\n}\ntarget "a" {\n  args = { X = V }\n}\n',
     "docker-bake.hcl:1: variable V: variable V refers to itself; what uses it is left unknown"),
    ('target "a" {\n  context = BAKE_CMD_CONTEXT\n}\n',
     'docker-bake.hcl:1: target "a": context: BAKE_CMD_CONTEXT is not a variable of the Bake files'),
])
def test_bake_problems_are_one_note(tmp_path, text, problem):
    found, problems = read(tmp_path, {"docker-bake.hcl": text})
    assert problems == [problem]


def test_bake_json_that_cannot_be_read(tmp_path):
    assert read(tmp_path, {"docker-bake.json": '{"target": {\n  "a": }\n}'}) == (
        [], ["docker-bake.json:2: not valid JSON: Expecting value"])


# -- reading files safely, lazily ------------------------------------------------------------------------------


def test_only_regular_files_of_a_bounded_size_are_read(tmp_path):
    tree(tmp_path, {"compose.yaml": "services:\n  app:\n    extends:\n      file: fifo.yaml\n      service: app\n"})
    os.mkfifo(tmp_path / "fifo.yaml")  # reading it would block
    os.mkfifo(tmp_path / "docker-bake.hcl")  # not a file: not even found
    big = tmp_path / "big"
    tree(big, {"docker-bake.json": "{}" + " " * MAX_FILE_BYTES})
    files = BuildFiles(environ={})
    assert files.read_directory(str(tmp_path)) == [] and files.read_directory(str(big)) == []
    assert [str(n) for n in files.notes] == [
        f"{tmp_path / 'fifo.yaml'}: not a regular file: not read",
        f"{big / 'docker-bake.json'}: larger than 1024 KiB: not read",
    ]


def test_yaml_and_hcl_are_imported_only_for_such_files(tmp_path):
    tree(tmp_path, {"app/Dockerfile": "FROM alpine\n", "app/.git/HEAD": "ref: refs/heads/main\n"})
    probe = ("import sys\nfrom dfcheck.buildfiles import BuildFiles\n"
             f"BuildFiles(environ={{}}).definitions_for({str(tmp_path / 'app' / 'Dockerfile')!r})\n"
             "print(sorted(m for m in ('yaml', 'hcl2', 'lark') if m in sys.modules))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2])] + sys.path))
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(compose=st.text(max_size=300), bake=st.text(max_size=300))
def test_any_text_in_build_files_is_notes_never_an_exception(compose, bake):
    with tempfile.TemporaryDirectory() as root:
        for name, text in (("compose.yaml", compose), ("docker-bake.hcl", bake)):
            with open(os.path.join(root, name), "w", encoding="utf-8") as f:
                f.write(text)
        found, found_notes = read_project([os.path.join(root, "compose.yaml")],
                                          [os.path.join(root, "docker-bake.hcl")], {})
        assert all(isinstance(d, BuildDefinition) for d in found)
        assert all(isinstance(n, Note) for n in found_notes)


def test_definition_key_and_origin():
    d = BuildDefinition("/r/a/Dockerfile", "/r", "prod", {"B": "2", "A": None}, {"x": "/r/x"}, "bake", "api",
                        "/r/docker-bake.hcl", 12)
    assert d.key == ("/r/a/Dockerfile", "/r", "prod", (("A", None), ("B", "2")), (("x", "/r/x"),))
    assert d.origin == 'bake target "api" (docker-bake.hcl:12)'
