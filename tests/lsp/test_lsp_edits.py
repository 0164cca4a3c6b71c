"""Random small edits to real Dockerfiles: after each, the language server's findings are exactly those of a
full lint in a fresh process.

The server keeps work from one lint to the next (built instructions, parsed scripts, per-stage results: see
`dfcheck.lsp.server.keep_between_lints`); a fresh `python` process keeps nothing. Each example opens a corpus
file in an in-process server, applies a few edits (a character typed or deleted, a line added or removed, a
stage added or removed, lines inserted above a stage, a FROM, ARG, COPY --from or WORKDIR changed), lints each
version as the server does on a change, and compares the findings with those one fresh process gives for every
version. Besides the random examples, a few fixed ones always run: each kind of edit that moves or changes
stages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")

from hypothesis import HealthCheck, example, given, settings, strategies as st  # noqa: E402
from lsprotocol import types as T  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dockerfiles"
FILES = [  # several stages each, FROM <stage>, COPY --from, ARGs before FROM, platform variables
    "moby__moby__Dockerfile.Dockerfile",
    "pytorch__pytorch__Dockerfile.Dockerfile",
    "moby__buildkit__hack-dockerfiles-generated-files.Dockerfile.Dockerfile",
    "moby__moby__integration-build-testdata-Dockerfile.TestBuildMultiStageCopy.Dockerfile",
    "moby__moby__hack-dockerfiles-generate-files.Dockerfile.Dockerfile",
]
LINES = [
    "FROM alpine:3.20 AS extra\n", "FROM base AS child\n", "FROM scratch\n", "FROM ${GOLANG_IMAGE} AS again\n",
    "ARG VERSION=1.2\n", "ARG GO_VERSION=1.99\n", "ARG TARGETOS\n", "COPY --from=base /usr/bin /usr/bin\n",
    "COPY --from=build /out /out\n", "COPY --from=nowhere /x /y\n", "COPY --from=0 /a /b\n", "WORKDIR /work\n",
    "WORKDIR sub\n", "USER nobody\n", "ENV PATH=/opt/bin:$PATH\n", "RUN apt-get update && apt-get install -y curl\n",
    "RUN rm -rf /go/src\n", "RUN --mount=from=base,target=/b cp /b/x /x\n", "ONBUILD RUN make\n", "# note\n", "\n",
]
WORDS = ["alpine", "base", "build", "scratch", "${GO_VERSION}", "golang:1.22", "dev", "frozen-images"]
EDIT = st.one_of(
    st.tuples(st.just("type"), st.floats(0, 1), st.floats(0, 1), st.sampled_from(list(" x$-=/\\\"{}1"))),
    st.tuples(st.just("delete"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("add line"), st.floats(0, 1), st.sampled_from(LINES)),
    st.tuples(st.just("remove line"), st.floats(0, 1)),
    st.tuples(st.just("change word"), st.sampled_from(["FROM", "ARG", "COPY", "WORKDIR"]), st.floats(0, 1),
              st.sampled_from(WORDS)),
    st.tuples(st.just("above stage"), st.floats(0, 1), st.lists(st.sampled_from(LINES), min_size=1, max_size=3)),
    st.tuples(st.just("add stage"), st.floats(0, 1), st.sampled_from(WORDS)),
    st.tuples(st.just("remove stage"), st.floats(0, 1)),
)


def _stages(lines: list[str]) -> list[int]:
    """The index of each FROM line."""
    return [i for i, line in enumerate(lines) if line.upper().startswith("FROM ")]


def _edit(lines: list[str], edit) -> list[str]:
    """The document's lines (each with its newline) after one edit."""
    lines = list(lines)
    kind, at = edit[0], edit[1]
    if kind == "change word":  # the last word of one FROM, ARG, COPY or WORKDIR line
        keyword, at, word = edit[1], edit[2], edit[3]
        found = [i for i, line in enumerate(lines) if line.upper().startswith(keyword + " ")]
        if found:
            i = found[int(at * (len(found) - 1))]
            head, _, _ = lines[i].rstrip("\n").rpartition(" ")
            if keyword == "COPY":
                word = f"--from={word} /src /dst"
            elif keyword == "ARG":
                word = f"{head.split()[-1].split('=')[0] if len(head.split()) > 1 else 'X'}={word}"
                head = "ARG"
            lines[i] = f"{head} {word}\n"
        return lines
    if kind in ("above stage", "add stage", "remove stage"):  # lines inserted above a FROM, or a stage removed
        froms = _stages(lines)
        if not froms:
            return lines
        k = int(at * (len(froms) - 1))
        if kind == "above stage":
            lines[froms[k]:froms[k]] = edit[2]
        elif kind == "add stage":
            lines[froms[k]:froms[k]] = [f"FROM {edit[2]} AS added{k}\n", "WORKDIR /src\n",
                                        "COPY --from=0 /etc/os-release /x\n", "RUN make install\n"]
        else:
            end = froms[k + 1] if k + 1 < len(froms) else len(lines)
            del lines[froms[k]:end]
        return lines
    i = min(int(at * len(lines)), max(len(lines) - 1, 0))
    if kind == "add line":
        lines.insert(i, edit[2])
    elif kind == "remove line" and lines:
        del lines[i]
    elif lines:
        body = lines[i].rstrip("\n")
        column = int(edit[2] * len(body))
        rest = lines[i][len(body):]
        if kind == "type":
            body = body[:column] + edit[3] + body[column:]
        elif body:
            column = min(column, len(body) - 1)
            body = body[:column] + body[column + 1:]
        lines[i] = body + rest
    return lines


def _row(f) -> tuple:
    s = f.span
    return (f.code, s.line, s.column, s.end_line, s.end_column, f.severity, f.message, tuple(f.builds or ()))


FRESH = """
import json, sys
from dfcheck.config import Resolver
from dfcheck.engine import lint_text, load_rules
path, texts = json.load(sys.stdin)
settings = Resolver(load_rules()).settings_for(path)
out = []
for text in texts:
    r = lint_text(text, path, settings)
    s = [(f.code, f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.severity, f.message,
          list(f.builds or ())) for f in r.findings]
    out.append([s, [e.message for e in r.errors]])
json.dump(out, sys.stdout)
"""


def fresh_lints(path: str, texts: list[str]) -> list:
    """What a fresh process that keeps nothing between lints finds in each text."""
    run = subprocess.run([sys.executable, "-c", FRESH], input=json.dumps([path, texts]), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return [([tuple(r[:7]) + (tuple(r[7]),) for r in rows], errors) for rows, errors in json.loads(run.stdout)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from pygls.workspace import Workspace

    from dfcheck.lsp.server import DfcheckServer, keep_between_lints

    root = tmp_path_factory.mktemp("edits")
    keep_between_lints()
    ls = DfcheckServer()
    ls.protocol._workspace = Workspace(root.as_uri())
    return ls, root


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus (../shared/corpus/dockerfiles)")
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILES), edits=st.lists(EDIT, min_size=1, max_size=6))
@example(name=FILES[0], edits=[("above stage", 0.5, ["# moved\n", "\n"]), ("type", 0.5, 0.9, "x")])
@example(name=FILES[0], edits=[("add stage", 0.3, "base"), ("change word", "FROM", 0.6, "alpine"),
                               ("remove stage", 0.8)])
@example(name=FILES[1], edits=[("change word", "ARG", 0.0, "golang:1.22"),
                               ("above stage", 0.0, ["ARG VERSION=1.2\n"]), ("change word", "COPY", 0.5, "build"),
                               ("change word", "WORKDIR", 0.5, "dev")])
@example(name=FILES[3], edits=[("remove stage", 0.0), ("add stage", 1.0, "scratch"), ("remove line", 0.5)])
def test_after_each_small_edit_the_server_finds_what_a_fresh_lint_finds(server, name, edits):
    ls, root = server
    path = root / "Dockerfile"
    uri = path.as_uri()
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines(keepends=True)
    texts = ["".join(lines)]
    for edit in edits:
        lines = _edit(lines, edit)
        texts.append("".join(lines))
    expected = fresh_lints(str(path), texts)

    ls.workspace.put_text_document(T.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=texts[0]))
    try:
        for version, (text, (rows, errors)) in enumerate(zip(texts, expected), 1):
            if version > 1:  # the whole text as the change: the server sees only the new text either way
                ls.workspace.update_text_document(T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                                                  T.TextDocumentContentChangeWholeDocument(text=text))
            linted = ls.linted(uri, quick=True)
            assert linted.version == version
            assert [e.message for e in linted.result.errors] == errors
            assert [_row(f) for f in linted.result.findings] == rows, f"version {version} after {edits[:version - 1]}"
    finally:
        ls.forget(uri)
        ls.workspace.remove_text_document(uri)
