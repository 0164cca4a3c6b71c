"""The whole linter over the 428 real Dockerfiles of ../shared/corpus: every file linted, no internal error."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dockerfiles"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present (fresh clone)")


def test_every_corpus_file_lints_with_every_rule_and_no_error(tmp_path):
    # A subprocess, as users run it: both cores, and any traceback would land on stderr. It runs outside
    # the checkout so that `-m dfcheck` imports the installed package, not the source tree.
    run = subprocess.run(
        [sys.executable, "-m", "dfcheck", "--no-config", "--select", "ALL", "--format", "json", str(CORPUS)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert run.returncode in (0, 1), run.stderr
    assert run.stderr == ""
    report = json.loads(run.stdout)
    assert report["files"] == len(list(CORPUS.iterdir())) == 428
    assert report["errors"] == []
    assert {f["path"] for f in report["findings"]} <= {str(p) for p in CORPUS.iterdir()}
    for finding in report["findings"]:
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])


def test_layers_and_rules_agree_on_every_corpus_file():
    """`dfcheck layers` and the rules read one model of sources and layers: what the layers view shows
    extracted, DF401 never calls a plain copy; every layer DF201/DF202 name as holding bytes shows waste, and
    every RUN DF203 reports shows a cache left in it."""
    import re

    from support import builtin_rules

    from dfcheck.model.layers import layers_data
    from dfcheck.model import build_model
    from dfcheck.syntax import parse

    rules = builtin_rules()
    checked = 0
    for path in sorted(CORPUS.iterdir()):
        model = build_model(parse(path.read_text(encoding="utf-8")), path=str(path), context_dir=str(CORPUS))
        rows = {row["line"]: row for stage in layers_data(model)["stages"] for row in stage["layers"]}
        found = {code: list(rules[code].check(model, rules[code].options))
                 for code in ("DF201", "DF202", "DF203", "DF401")}
        for finding in found["DF401"]:
            row = rows.get(finding.span.line)
            if row is not None:
                assert not [a for a in row["adds"] if a.startswith(("extract ", "download "))], (path.name, row)
        for line, row in rows.items():
            if any(a.startswith("extract ") for a in row["adds"]) and row["instruction"].startswith("ADD"):
                assert line not in {f.span.line for f in found["DF401"]}, (path.name, row)
        for finding in found["DF201"] + found["DF202"]:
            holders = [int(n) for n in re.findall(r"\b(?:RUN|COPY|ADD|WORKDIR) at line (\d+)", finding.message)]
            assert holders, (path.name, finding.message)
            for line in holders:
                assert rows[line]["wasted"] != 0 or not rows[line]["wasted_complete"], (path.name, line)
                checked += 1
        for finding in found["DF203"]:
            [node] = [n for n in model.instructions if n.span.line <= finding.span.line <= n.span.end_line]
            assert not rows[node.span.line]["wasted_complete"], (path.name, finding.span.line)
    assert checked > 0
