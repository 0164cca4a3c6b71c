"""No input makes a rule crash: every rule, on generated Dockerfiles, with and without a build context.

A rule that raises becomes an error line and exit status 2 in the user's CI, so the whole pipeline (parser,
model, shell parsing, filesystem effects, every rule including the ones off by default) is run on
Dockerfiles assembled from the constructs real files use, on real Dockerfiles mutated (the shared corpus
when ../shared is there, else the examples), on hostile constructs (deep nesting, star-heavy patterns, long
ONBUILD chains, control characters), and on plain noise.

The number of examples is bounded for a normal run (a few hundred per test). For a long fuzzing run:

    HYPOTHESIS_PROFILE=long pytest tests/rules/test_robustness.py   # 50 times as many examples, no deadline
"""

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dfcheck.config import Settings
from dfcheck.engine import lint_text, load_rules
from strategies import dockerfile


LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def examples(n: int) -> int:
    """`n` examples for a normal run, 50 times as many with HYPOTHESIS_PROFILE=long."""
    return n * 50 if LONG else n


def _shellcheck_installed() -> bool:
    from dfcheck.model.shellcheck import find_shellcheck

    return find_shellcheck() is not None


# DF702 runs ShellCheck (the `test` extra installs it); without the program it reports an error, by design.
RULES = tuple(sorted((r for r in load_rules() if r.code != "DF702" or _shellcheck_installed()), key=lambda r: r.code))
ALL = Settings(RULES, RULES, options={r.code: dict(r.options) for r in RULES})

def _context():
    root = tempfile.mkdtemp(prefix="dfcheck-robustness-")
    for name, data in {"requirements.txt": b"flask\n", "package.json": b"{}", "a.tar.gz": b"\x1f\x8b\x08junk",
                       "src/main.py": b"print()\n", ".dockerignore": b"*.md\n!README.md\n**/node_modules\n"}.items():
        path = os.path.join(root, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return root


CONTEXT = _context()
WITH_CONTEXT = Settings(RULES, RULES, options={r.code: dict(r.options) for r in RULES}, context_dir=CONTEXT)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile())
def test_no_rule_crashes_on_generated_dockerfiles(text):
    for config in (ALL, WITH_CONTEXT):
        result = lint_text(text, "Dockerfile", config)
        assert [e.message for e in result.errors] == []
        for f in result.findings:
            assert 1 <= f.span.line and 1 <= f.span.column
            assert (f.span.end_line, f.span.end_column) >= (f.span.line, f.span.column)


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_no_rule_crashes_on_noise(text):
    result = lint_text("FROM alpine\n" + text, "Dockerfile", ALL)
    assert [e.message for e in result.errors] == []


# -- real Dockerfiles, mutated -------------------------------------------------------------------------------

_HERE = Path(__file__).resolve().parent.parent  # tests/
_CORPUS = _HERE.parent.parent / "shared" / "corpus" / "dockerfiles"
_SOURCES = sorted(_CORPUS.iterdir()) if _CORPUS.is_dir() else sorted((_HERE.parent / "examples").glob("*/Dockerfile"))
_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in _SOURCES]
_PIECES = st.sampled_from([
    "\\\n", "\\", '"', "'", "`", "$", "${", "}", "$(", ")", "<<EOF\n", "\nEOF\n", "<<-'PY'\npython3\n", "#",
    "# dfcheck: ignore=DF401\n", "# hadolint ignore=DL3008\n", "# escape=`\n", "\n", "\t", " ", "&&", "|", ";",
    "--mount=type=cache,target=/x ", "--from=", "AS ", "ONBUILD ", "ARG ", "FROM scratch\n", "*", "**/", "?",
    "\x1b[2J", "\x00", "\ufeff", "é", "\u202e", "${V//*a*a*a/z}", "python3 -c '((('", "[\"", "\"]",
])


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        size = len(text)
        at = draw(st.integers(0, size))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate", "swap"]))
        if kind == "insert":
            text = text[:at] + draw(_PIECES) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 80)):]
        elif kind == "duplicate":
            text = text[:at] + text[at:at + draw(st.integers(1, 200))] + text[at:]
        elif kind == "truncate":
            text = text[:at]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def _clean(result, text):
    assert [e.message for e in result.errors] == []
    lines = max(1, text.count("\n") + 1)
    for f in result.findings:
        assert 1 <= f.span.line <= f.span.end_line <= lines and 1 <= f.span.column, (f.code, f.span)
        assert (f.span.end_line, f.span.end_column) >= (f.span.line, f.span.column)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_no_rule_crashes_on_mutated_real_dockerfiles(text):
    for config in (ALL, WITH_CONTEXT):
        _clean(lint_text(text, "Dockerfile", config), text)


# -- hostile constructs: nothing crashes, nothing hangs ------------------------------------------------------------

@st.composite
def hostile(draw):
    n = draw(st.integers(1, 150))  # (ShellCheck, behind DF702, takes seconds on hundreds of nested $( )
    construct = draw(st.sampled_from([
        lambda: "RUN python3 -c '" + "(" * n + "'",
        lambda: "RUN python3 <<EOF\n" + "not " * (n * 10) + "x\n" + "[" * n + "\nEOF",
        lambda: "ENV V=" + "a" * n + " W=${V#" + "*a" * n + "b}",
        lambda: "COPY " + "*a" * n + "b /app/",
        lambda: "ONBUILD " * n + "RUN x",
        lambda: "ARG A" + "\nARG A".join(str(i) for i in range(n)),
        lambda: "RUN " + " && ".join(f"echo {i} | tee /tmp/{i}" for i in range(n)),
        lambda: "LABEL " + " ".join(f'k{i}="\x1b[{i}m"' for i in range(n)),
        lambda: "FROM alpine AS s0\n" + "\n".join(f"FROM s{i} AS s{i + 1}" for i in range(n)),
        lambda: "RUN " + "$(" * n + "x" + ")" * n,
        lambda: "RUN " + "{ " * n + "x; " + "} " * n,
        lambda: "ADD https://[]x/" + "a" * n + ".tar /z/",
    ]))
    return "FROM python:3.12\n" + construct() + "\n"


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile())
def test_no_rule_crashes_on_hostile_constructs(text):
    _clean(lint_text(text, "Dockerfile", WITH_CONTEXT), text)
