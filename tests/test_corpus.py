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
