"""The parser against BuildKit's own parser test data (../shared/conformance/buildkit, see its NOTICE).

- testfiles/<case>: the BuildKit instruction dump of the Dockerfile equals `result` byte for byte;
- testfiles-negative/<case>: the Dockerfile is a parse error (DF001 with exit status 1 through the CLI);
- testfile-line: the instructions span the lines BuildKit reports.

Dockerfiles are read as bytes and decoded as UTF-8, never normalised: some lack a final newline or carry
significant trailing spaces.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from dfcheck.syntax import parse
from dfcheck.syntax.dump import buildkit_dump

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BUILDKIT = SHARED / "conformance" / "buildkit"

needs_shared = pytest.mark.skipif(not BUILDKIT.is_dir(), reason=f"BuildKit conformance data not found at {BUILDKIT}")


def _cases(kind: str) -> list[Path]:
    folder = BUILDKIT / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / "Dockerfile").is_file())


def _ids(paths):
    return [p.name for p in paths]


POSITIVE = _cases("testfiles")
NEGATIVE = _cases("testfiles-negative")


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _cli_main():
    if importlib.util.find_spec("dfcheck.cli") is None:
        pytest.skip("dfcheck.cli is not there yet")
    from dfcheck.cli import main

    return main


@needs_shared
def test_the_data_is_complete():
    # The issue promises 33 positive and 4 negative cases; a partial copy would silently test less.
    assert len(POSITIVE) == 33
    assert len(NEGATIVE) == 4


# BuildKit's parser tests stop at the parser; these cases hold instructions that BuildKit's next step
# (frontend/dockerfile/instructions) rejects, and dfcheck, which does both steps, reports them.
INSTRUCTION_ERRORS = {
    "flags": [
        ("unknown flag: --user", 3), ("unknown flag: --doit", 4), ("unknown flag: --user", 5),
        ("unknown flag: --doit", 6), ("unknown flag: --doit", 8), ("unknown flag: --doit", 9),
        ("unknown flag: --doit", 10),
    ],
    "health": [
        ("HEALTHCHECK requires at least one argument", 4),
        ("Missing command after HEALTHCHECK CMD", 7),
        ('Unknown type "CONNECT" in HEALTHCHECK (try CMD)', 10),
    ],
}


@needs_shared
@pytest.mark.parametrize("case", POSITIVE, ids=_ids(POSITIVE))
def test_dump_matches_buildkit(case: Path):
    dockerfile = parse(_read(case / "Dockerfile"))
    assert buildkit_dump(dockerfile) == _read(case / "result")


@needs_shared
@pytest.mark.parametrize("case", POSITIVE, ids=_ids(POSITIVE))
def test_errors_are_only_those_of_the_instructions_step(case: Path):
    dockerfile = parse(_read(case / "Dockerfile"))
    assert [(e.message, e.span.line) for e in dockerfile.errors] == INSTRUCTION_ERRORS.get(case.name, [])


@needs_shared
@pytest.mark.parametrize("case", POSITIVE, ids=_ids(POSITIVE))
def test_cli_parse_buildkit_prints_the_dump(case: Path, capsys):
    main = _cli_main()
    status = main(["parse", "--format", "buildkit", str(case / "Dockerfile")])
    out = capsys.readouterr().out
    assert out == _read(case / "result")
    assert status == (1 if case.name in INSTRUCTION_ERRORS else 0)


@needs_shared
@pytest.mark.parametrize("case", NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_case_is_a_parse_error(case: Path):
    dockerfile = parse(_read(case / "Dockerfile"))
    assert dockerfile.errors, f"{case.name} should not parse"
    lines = _read(case / "Dockerfile").splitlines() or [""]
    for error in dockerfile.errors:
        assert 1 <= error.span.line <= error.span.end_line <= len(lines)


@needs_shared
@pytest.mark.parametrize("case", NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_case_is_df001_through_the_cli(case: Path, capsys):
    main = _cli_main()
    status = main(["--format", "json", str(case / "Dockerfile")])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert "DF001" in {f["code"] for f in report["findings"]}


NEGATIVE_MESSAGES = {
    "empty_dockerfile": ("file with no instructions", 1),
    "only_comments": ("file with no instructions", 3),
    "env_no_value": ("ENV must have two arguments", 3),
    "shykes-nested-json": ("when using JSON array syntax, arrays must be comprised of strings only", 1),
}


@needs_shared
@pytest.mark.parametrize("case", NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_case_message(case: Path):
    message, line = NEGATIVE_MESSAGES[case.name]
    errors = parse(_read(case / "Dockerfile")).errors
    assert [(e.message, e.span.line) for e in errors] == [(message, line)]


@needs_shared
def test_testfile_line_spans():
    dockerfile = parse(_read(BUILDKIT / "testfile-line" / "Dockerfile"))
    assert dockerfile.errors == []
    assert [(n.span.line, n.span.end_line) for n in dockerfile.instructions] == [(5, 5), (11, 12), (17, 31)]
