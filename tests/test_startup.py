"""Start-up: linting one file imports only what it needs.

A behaviour test, not a timing test: the modules below each cost milliseconds of a one-file run (see
benchmarks/README.md) and are needed only for other commands, other formats, a configuration file or
content the file does not have.
"""

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Modules dfcheck must not import on this path.
NOT_IMPORTED = (
    "typing",  # ~10 % of a one-file run: tree_sitter's extension module is loaded without its package's __init__
    "contextlib",  # (typing's and importlib.util's)
    "importlib.util",
    "dataclasses",  # 40 data classes cost 11 ms to create, plus the import: plain classes instead
    "inspect",
    "importlib.metadata",  # the plugin scan reads entry_points.txt itself
    "importlib.resources",  # tree_sitter_bash's __init__ imports it: its binding is loaded directly
    "urllib.parse",  # only for an ADD of a URL
    "bz2",  # only for sniffing a compressed ADD source
    "lzma",
    "sarif_om",  # --format sarif
    "pygls",  # the language server
    "libcst",  # DF701, only for a RUN heredoc run by Python
    "tomllib",  # no configuration file
    "tomli",
    "argparse",  # the usual command lines are read without it
    "gettext",
    "zipfile",  # (importlib.metadata's)
    "email",
)

DOCKERFILE = """\
FROM python:3.12-slim
ARG VERSION
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y curl && pip install -r requirements.txt
ADD config/ /etc/app/
RUN rm -rf /var/lib/apt/lists/* && chown -R nobody /app && find /app -name "*.pyc" -exec rm {} +
ENTRYPOINT python -m app --version $VERSION
CMD ["--port", "8000"]
"""

PROBE = """\
import re, sys, dfcheck.cli
try:
    dfcheck.cli.main(['--no-config', *sys.argv[1:], 'Dockerfile'])
finally:
    compiled = sorted({key[1] for key in re._cache if isinstance(key[1], str)})
    modules = sorted(sys.modules)
    from dfcheck.engine import indexed_rules
    print('PAGES CLEANED', sum(type(r._doc) is str for r in indexed_rules()))  # (the rules the command used)
    print('PATTERNS', repr(compiled))
    print('MODULES', ' '.join(modules))
"""

# Regular expressions compiled only for the rare text that needs them (each costs 0.2-2.5 M instructions to
# compile, 1 % of a one-file run for the largest).
NOT_COMPILED = {
    "dfcheck.syntax.gocompat": ("_JSON_TOKEN", "_INT"),  # arrays nested deeper than json goes; HEALTHCHECK --retries
    "dfcheck.syntax.instructions": ("_LONE_SURROGATE",),  # exec forms with non-ASCII values
    "dfcheck.syntax.validation": ("_STAGE_NAME",),  # FROM ... AS name
    "dfcheck.model.shell.quoting": ("_SEQUENCE",),  # brace sequences: {1..5}
    "dfcheck.model.walker": ("_DIRNAME",),  # `$(dirname "$X")`
    "dfcheck.rules.df402_add_url_without_checksum": ("_COMMIT",),  # ADD of a git URL
    "dfcheck.rules.df702_shellcheck": ("_CODE",),  # its `exclude` option
}


def _probe(directory, options):
    # -S: no site module, so no .pth file runs (an editable install's finder imports pathlib and urllib.parse
    # before dfcheck starts); the checkout and the directories of the dependencies come from PYTHONPATH.
    path = [str(REPO)] + [p for p in sys.path if p and os.path.isdir(p) and Path(p).resolve() != REPO / "tests"]
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = os.pathsep.join(path)
    out = subprocess.run([sys.executable, "-S", "-c", PROBE, *options], cwd=directory, env=env, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    return out


@pytest.mark.parametrize("options", [[], ["--format", "json"]], ids=["text", "json"])
def test_linting_one_file_imports_none_of_the_costly_modules(tmp_path, options):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "app.conf").write_text("port = 8000\n")
    out = _probe(tmp_path, options)
    # The run did the work: shell code parsed (DF203, DF201), layers followed (DF202), the context read (DF101),
    # an ADD checked (DF401), CMD and ENTRYPOINT combined (DF304).
    for code in ("DF101", "DF201", "DF202", "DF203", "DF304", "DF401"):
        assert (f'"{code}"' if options else f" {code} ") in out.stdout, (code, out.stdout)
    modules = set(out.stdout.rsplit("MODULES ", 1)[1].split())
    assert "tree_sitter._binding" in modules  # the probe ran the real thing
    assert [m for m in NOT_IMPORTED if m in modules] == []
    assert "PAGES CLEANED 0\n" in out.stdout  # the rules' pages are cleaned only when shown
    compiled = ast.literal_eval(out.stdout.rsplit("PATTERNS ", 1)[1].split("\n", 1)[0])
    lazy = [getattr(importlib.import_module(m), name) for m, names in NOT_COMPILED.items() for name in names]
    assert [p for p in lazy if p in compiled] == []
    assert all(isinstance(p, str) for p in lazy)  # (a compiled pattern would be compiled at import)


def test_a_file_without_an_exec_form_needs_no_json(tmp_path):
    """json (~3 % of a run) is imported for the JSON formats and an exec form that is not plain strings (an
    escape, a non-ASCII character), not for every file."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nRUN apk add curl\nENV A=1\nUSER nobody\n")
    out = _probe(tmp_path, [])
    assert " DF203 " in out.stdout  # (apk add without --no-cache: the shell code was read)
    modules = set(out.stdout.rsplit("MODULES ", 1)[1].split())
    assert "tree_sitter._binding" in modules and "json" not in modules
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.20\nUSER nobody\nCMD ["curl", "-sS", "example.com"]\n')
    out = _probe(tmp_path, [])
    assert "All checks passed" in out.stdout and "json" not in out.stdout.rsplit("MODULES ", 1)[1].split()
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.20\nUSER nobody\nCMD ["echo", "caf\\u00e9"]\n')
    assert "json" in _probe(tmp_path, []).stdout.rsplit("MODULES ", 1)[1].split()


@pytest.mark.parametrize("options", [[], ["--format", "json"]], ids=["text", "json"])
def test_the_fix_loop_is_imported_for_a_fix_to_show(tmp_path, options):
    """The fixes shown are those the fix loop would apply (`fixes.keep_verified`): its module is imported for a
    file with a fix to show, not for every file."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN apk del curl\n")
    out = _probe(tmp_path, options)
    assert ('"DF201"' if options else " DF201 [warning] ") in out.stdout  # (no [*]: no fix)
    assert "dfcheck.fixes" not in out.stdout.rsplit("MODULES ", 1)[1].split()
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nADD app.conf /etc/\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nADD app.conf /etc/\n")
    (tmp_path / "app.conf").write_text("x\n")
    out = _probe(tmp_path, options)
    assert ('"DF401"' if options else " DF401 [*] ") in out.stdout
    assert "dfcheck.fixes" in out.stdout.rsplit("MODULES ", 1)[1].split()


# A file without ADD, WORKDIR, MAINTAINER, EXPOSE or HEALTHCHECK: the rules about those (Rule.reads) do not
# run, and their modules (~0.5 M instructions each) are not imported; nor are those of the rules off by default.
NOT_RUN = ("df401_add_instead_of_copy", "df402_add_url_without_checksum", "df403_add_remote_archive_not_extracted",
           "df404_maintainer_deprecated", "df405_relative_workdir", "df409_expose_protocol_casing",
           "df410_expose_invalid_format", "df411_invalid_expose_port", "df003_unused_suppression",
           "df702_shellcheck")


@pytest.mark.parametrize("options", [[], ["--format", "json"], ["--format", "sarif"]], ids=["text", "json", "sarif"])
def test_rule_modules_are_imported_for_the_rules_that_run(tmp_path, options):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nCOPY . /app\nRUN apk add --no-cache curl\n"
                                         "CMD [\"/app/run\"]\n")
    out = _probe(tmp_path, options)
    modules = set(out.stdout.rsplit("MODULES ", 1)[1].split())
    assert "dfcheck.rules.df101_copy_before_dependency_install" in modules  # (COPY and RUN: it ran)
    if options == ["--format", "sarif"]:  # SARIF describes every rule, with its page
        assert {f"dfcheck.rules.{m}" for m in NOT_RUN} <= modules
    else:
        assert [m for m in NOT_RUN if f"dfcheck.rules.{m}" in modules] == []
        assert "PAGES CLEANED 0\n" in out.stdout
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nWORKDIR app\nEXPOSE 80/TCP\n")
    out = _probe(tmp_path, [])
    assert " DF405 " in out.stdout and " DF409 " in out.stdout
    modules = set(out.stdout.rsplit("MODULES ", 1)[1].split())
    assert {"dfcheck.rules.df405_relative_workdir", "dfcheck.rules.df409_expose_protocol_casing"} <= modules
    assert "dfcheck.rules.df401_add_instead_of_copy" not in modules


def test_project_urls_are_pyprojects():
    """The addresses in findings (JSON, SARIF, the language server) are a constant, not read from the installed
    metadata (importlib.metadata on every run): it must say what pyproject.toml says."""
    from dfcheck.config import load_toml
    from dfcheck.docs import PROJECT_URLS

    urls = load_toml(str(REPO / "pyproject.toml"))["project"]["urls"]
    assert PROJECT_URLS == {label.lower(): url for label, url in urls.items()}


# -- the plain classes that replaced the dataclasses behave as the dataclasses did ------------------------------


def test_cleandoc_is_inspects():
    import inspect

    from dfcheck.engine import load_rules
    from dfcheck.rule import cleandoc

    docs = [r.check.__doc__ or "" for r in load_rules()] + [
        "", "\n", "One line.", "  First.\n    second\n      third\n", "\n\n  a\n\tb\n  \n", "x\n  \f y\n  z",
    ]
    for doc in docs:
        assert cleandoc(doc) == inspect.cleandoc(doc), doc


def test_value_semantics_and_defaults():
    import pickle

    import pytest

    from dfcheck.model.stages import Stage
    from dfcheck.model.runtime import CommandLine, Runtime, Setting
    from dfcheck.model.shell import Word, parse_shell
    from dfcheck.records import replace
    from dfcheck.rule import Edit, Finding, Fix, Rule
    from dfcheck.syntax.nodes import Instruction, Span

    span = Span(1, 2, 1, 5)
    assert span == Span(1, 2, 1, 5) and span != Span(1, 2, 1, 6) and len({span, Span(1, 2, 1, 5)}) == 1
    assert repr(span) == "Span(line=1, column=2, end_line=1, end_column=5)"
    fix = Fix("safe", [Edit(span, "COPY")])
    assert fix.edits == (Edit(span, "COPY"),) and hash(fix) == hash(Fix("safe", (Edit(span, "COPY"),)))
    finding = Finding(span, "m", fix, code="DF401")
    assert finding == Finding(span, "m", fix, "DF401") and finding != Finding(span, "m", fix)
    with pytest.raises(TypeError):
        hash(finding)  # a non-frozen dataclass with eq was not hashable
    assert pickle.loads(pickle.dumps(finding)) == finding  # findings come back from worker processes

    check = lambda model, options: ()  # noqa: E731
    plain = Rule("DF999", "x", "info", check, "doc.")
    copy = plain.replace(origin="pack")
    assert (copy.origin, copy.code, plain.origin) == ("pack", "DF999", "dfcheck") and copy != plain
    assert Rule("DF999", "x", "info", check, "doc.").options is not plain.options  # a fresh dict each

    first = Instruction("RUN", span, span, "RUN x", "x", 4)
    second = Instruction("RUN", span, span, "RUN x", "x", 4)
    assert first.flags == [] and first.flags is not second.flags and first != second  # eq=False: identity
    assert Runtime().workdir == Setting("/", None) and Runtime().expose is not Runtime().expose

    line = CommandLine(first, False, ("python app.py",), ("/bin/sh", "-c"))
    line.script  # noqa: B018 -- fills the parse cache, which takes no part in comparisons
    inherited = replace(line, inherited=True)
    assert inherited == CommandLine(first, False, ("python app.py",), ("/bin/sh", "-c"), True)
    assert inherited._parsed is line._parsed  # shared, as dataclasses.replace shared it
    assert Word("a", "a", 0, 1, _mask="0") == Word("a", "a", 0, 1) and "_mask" not in repr(Word("a", "a", 0, 1))

    command = parse_shell("sudo apt-get install -y curl > log").find("apt-get")[0]
    assert command.name == "apt-get" and command.wrappers == ("sudo",) and command.redirects

    stage = Stage(0, first, "build", "scratch", None, None)
    stage.base_stage = stage  # a cycle shows as "...", not as a RecursionError
    assert "base_stage=..." in repr(stage) and stage.references == [] and stage.runtime.known_base


# -- the lint command's arguments read without argparse ----------------------------------------------------------


def test_quick_arguments_know_every_option_of_the_parser():
    from dfcheck.cli import lint as cli

    parser = cli._lint_parser()
    known = {**cli._FLAGS, **cli._VALUES, **cli._LISTS, **{o: d for o, (d, _) in cli._CONSTS.items()}}
    for action in parser._actions:
        if action.dest in ("help", "version"):
            continue  # left to argparse
        for option in action.option_strings:
            assert known.get(option) == action.dest, option
        if action.choices is not None and action.option_strings:
            assert tuple(action.choices) == cli._CHOICES[action.dest]
    assert set(known) == {o for a in parser._actions for o in a.option_strings} - {"-h", "--help", "--version"}


QUICK = [
    [], ["Dockerfile"], ["--format", "json", "Dockerfile"], ["--format=sarif", "a", "b"], ["a", "b", "-q"],
    ["--select", "DF401,DF101", "--select=DF5", "--ignore", "DF501", "--extend-select", "ALL", "."],
    ["--severity", "DF401=error", "--fail-on", "warning", "--exit-zero", "--statistics", "x"],
    ["--config", "c.toml", "--context", "ctx", "--target", "build", "--build-arg", "A=1", "--build-arg=B", "f"],
    ["--no-config", "--no-build-files", "--exclude", "vendor", "--extend-exclude", "x,y", "--no-respect-gitignore"],
    ["--respect-gitignore", "--color", "--fix", "--unsafe-fixes", "-v", "--report-unused-suppressions", "-"],
    ["--diff", "--no-color", "--output", "out.json", "--output-format", "full", "--stdin-filename", "Dockerfile"],
    ["--show-settings", "Dockerfile", "--include-suppressed", "--quiet", "--verbose", "--format", "text"],
    ["--output=", "--target", "", ""],
]
TO_ARGPARSE = [
    ["--help"], ["-h"], ["--version"], ["--form", "json"], ["--format", "xml"], ["--format"], ["--fail-on=all"],
    ["a", "--format", "json", "b"], ["--config", "c", "--no-config"], ["--color", "--no-color"], ["-qv"],
    ["--select", "-DF401"], ["--", "-file"], ["--fix=yes"], ["--unknown"], ["-x"],
    ["--respect-gitignore", "--no-respect-gitignore"],
]


@pytest.mark.parametrize("argv", QUICK, ids=" ".join)
def test_quick_arguments_are_argparses(argv):
    from dfcheck.cli import lint as cli

    quick = cli._quick_args(argv)
    assert quick is not None
    assert vars(quick) == vars(cli._lint_parser().parse_args(argv))


@pytest.mark.parametrize("argv", TO_ARGPARSE, ids=" ".join)
def test_unusual_arguments_are_left_to_argparse(argv):
    from dfcheck.cli import lint as cli

    assert cli._quick_args(argv) is None
