"""The labelled evaluation set (tests/labels/) and benchmarks/headline_accuracy.py, which scores dfcheck on it.

The label files must stay well-formed, and every label must point at the first line of an instruction of its
corpus file (checked when ../shared is present). The script runs on a tiny fixture of its own, so that it
cannot rot unnoticed; its figures on the real set are not asserted (they are what it measures).
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dfcheck.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "labels"
SCRIPT = ROOT / "benchmarks" / "headline_accuracy.py"
CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfiles"

_spec = importlib.util.spec_from_file_location("headline_accuracy", SCRIPT)
accuracy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(accuracy)

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus at ../shared/corpus/dockerfiles")


def _not_flagged():
    return [fields for _, fields in accuracy.read_tsv(LABELS / "not_flagged.tsv", 4)]


def test_label_files_are_well_formed():
    files, labels = accuracy.load_labels(LABELS)
    assert len(files) >= 80
    assert {key[2] for key in labels} == set(accuracy.FAMILIES)
    for name, line, family, _note in _not_flagged():
        assert name in files, name
        assert line.isdigit() and family in accuracy.FAMILIES, (name, line, family)


@needs_corpus
def test_every_label_starts_an_instruction():
    files, labels = accuracy.load_labels(LABELS)
    places = {(name, int(line)) for name, line, _, _ in _not_flagged()} | {key[:2] for key in labels}
    starts = {}
    for name in files:
        text = (CORPUS / name).read_text(encoding="utf-8")
        starts[name] = {i.span.line for i in parse(text).instructions}
    wrong = sorted(place for place in places if place[1] not in starts[place[0]])
    assert wrong == []


@pytest.mark.parametrize("row, message", [
    ("a.Dockerfile\t2\tcache\tDF401\trequired\tx", "DF401 is not a code of family 'cache'"),
    ("a.Dockerfile\tfour\tadd\tDF401\trequired\tx", "line 'four' is not a positive number"),
    ("a.Dockerfile\t4\tadd\tDF401\tmaybe\tx", "status 'maybe' is not one of required, optional"),
    ("z.Dockerfile\t4\tadd\tDF401\trequired\tx", "z.Dockerfile is not in files.tsv"),
    ("a.Dockerfile\t4\tadd\tDF401\trequired", "headline.tsv:2: expected 6 non-empty tab-separated fields"),
])
def test_malformed_labels_are_rejected(tmp_path, row, message):
    (tmp_path / "files.tsv").write_text("a.Dockerfile\towner/repo\t5\tplain\n")
    (tmp_path / "headline.tsv").write_text("# header\n" + row + "\n")
    with pytest.raises(ValueError) as e:
        accuracy.load_labels(tmp_path)
    assert message in str(e.value)


FIXTURE = {
    # an update-only RUN before an install (DF102), a plain ADD (DF401) and an ADD labelled optional
    "a.Dockerfile": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
                    "ADD app.py /app/\nADD run.sh /app/\n",
    # nothing to flag; the label below is deliberately wrong, so it must come out as a miss
    "b.Dockerfile": "FROM alpine:3.20\nCOPY x /x\n",
    # an ADD nobody labelled: a false alarm
    "c.Dockerfile": "FROM alpine:3.20\nADD notes.txt /srv/\n",
}
FIXTURE_LABELS = (
    "a.Dockerfile\t2\tcache\tDF102\trequired\tupdate alone, install later\n"
    "a.Dockerfile\t4\tadd\tDF401\trequired\tlocal file\n"
    "a.Dockerfile\t5\tadd\tDF401\toptional\tlocal script\n"
    "b.Dockerfile\t2\tlayers\tDF201\trequired\twrong on purpose\n"
)


@pytest.fixture
def fixture(tmp_path):
    corpus, labels = tmp_path / "corpus", tmp_path / "labels"
    corpus.mkdir()
    labels.mkdir()
    for name, text in FIXTURE.items():
        (corpus / name).write_text(text)
    (labels / "files.tsv").write_text("".join(f"{name}\towner/repo\t2\tplain\n" for name in FIXTURE))
    (labels / "headline.tsv").write_text(FIXTURE_LABELS)
    return corpus, labels


def _run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)


def test_script_scores_the_fixture(fixture):
    corpus, labels = fixture
    done = _run("--corpus", str(corpus), "--labels", str(labels), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["files"] == 3 and data["errors"] == []
    fam = data["families"]
    counts = {f: (r["labels"], r["findings"], r["true_positives"], r["on_optional"]) for f, r in fam.items()}
    assert counts == {"cache": (1, 1, 1, 0), "layers": (1, 0, 0, 0), "add": (1, 2, 1, 1), "all": (3, 3, 2, 1)}
    assert (fam["add"]["recall"], fam["add"]["precision"]) == (1.0, 0.5)
    assert (fam["layers"]["recall"], fam["layers"]["precision"]) == (0.0, None)
    assert fam["layers"]["misses"] == [{"file": "b.Dockerfile", "line": 2, "family": "layers", "code": "DF201",
                                        "status": "required", "reason": "wrong on purpose"}]
    assert [(f["file"], f["line"], f["code"]) for f in fam["add"]["false_alarms"]] == [("c.Dockerfile", 2, "DF401")]


def test_script_details(fixture):
    corpus, labels = fixture
    done = _run("--corpus", str(corpus), "--labels", str(labels), "--details")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "3 labelled files; a finding counts once per instruction and family" in lines
    assert next(line for line in lines if line.startswith("add ")).split()[:6] == \
        ["add", "1", "2", "1", "1.00", "0.50"]
    assert "  miss   b.Dockerfile:2 DF201: wrong on purpose" in lines
    assert any(line.startswith("  false  c.Dockerfile:2 DF401 (line 2): ") for line in lines)


def test_script_without_the_shared_corpus(tmp_path, monkeypatch, capsys):
    # a fresh clone has no ../shared: the default set is skipped, not an error
    monkeypatch.setattr(accuracy, "DEFAULT_CORPUS", tmp_path / "nowhere")
    assert accuracy.main([]) == 0
    nowhere = tmp_path / "nowhere"
    assert capsys.readouterr().out == f"{nowhere}: no corpus here (../shared is missing); nothing to measure\n"


def test_script_rejects_a_corpus_that_is_not_a_folder(tmp_path):
    done = _run("--corpus", str(tmp_path / "nowhere"), "--labels", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path / 'nowhere'}: not a folder\n"


def test_script_names_the_set_it_measured(fixture):
    corpus, labels = fixture
    done = _run("--corpus", str(corpus), "--labels", str(labels), "--json")
    data = json.loads(done.stdout)
    assert (data["corpus"], data["labels"]) == (str(corpus), str(labels))
    done = _run("--corpus", str(corpus), "--labels", str(labels))
    assert f"files {corpus}, labels {labels}" in done.stdout.splitlines()


def test_script_accepts_notes_of_another_set(fixture):
    corpus, labels = fixture
    (labels / "not_flagged.tsv").write_text("# file\tline\tfamily\tnote\n"
                                            "b.Dockerfile\t2\tcache\tCOPY of one file, not broad\n")
    done = _run("--corpus", str(corpus), "--labels", str(labels), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["families"]["all"]["labels"] == 3


def test_script_refuses_labels_that_miss_an_instruction(fixture):
    # a label or note on a continuation line could never meet a finding: the set is refused, not scored
    corpus, labels = fixture
    (corpus / "d.Dockerfile").write_text("FROM alpine:3.20\nRUN apk add \\\n    curl\n")
    (labels / "files.tsv").write_text((labels / "files.tsv").read_text() + "d.Dockerfile\towner/repo\t2\tplain\n")
    (labels / "headline.tsv").write_text(FIXTURE_LABELS + "d.Dockerfile\t3\tlayers\tDF201\trequired\tx\n")
    (labels / "not_flagged.tsv").write_text("a.Dockerfile\t9\tadd\tpast the end\n")
    done = _run("--corpus", str(corpus), "--labels", str(labels))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "labels: 2 labels or notes do not point at an instruction:",
        "  a.Dockerfile:9 (not_flagged.tsv, add) is not the first line of an instruction (no instruction there)",
        "  d.Dockerfile:3 (headline.tsv, layers DF201) is not the first line of an instruction "
        "(inside the instruction at line 2)",
    ]


@pytest.mark.parametrize("row, message", [
    ("z.Dockerfile\t2\tcache\tx", "not_flagged.tsv:1: z.Dockerfile is not in files.tsv"),
    ("a.Dockerfile\t2\tbloat\tx", "not_flagged.tsv:1: 'bloat' is not a family (cache, layers, add)"),
    ("a.Dockerfile\t0\tcache\tx", "not_flagged.tsv:1: line '0' is not a positive number"),
])
def test_script_rejects_broken_notes(fixture, row, message):
    corpus, labels = fixture
    (labels / "not_flagged.tsv").write_text(row + "\n")
    done = _run("--corpus", str(corpus), "--labels", str(labels))
    assert done.returncode == 2
    assert done.stderr == f"labels: {message}\n"


def test_script_rejects_broken_labels(fixture):
    corpus, labels = fixture
    (labels / "headline.tsv").write_text("a.Dockerfile\t4\tadd\tDF201\trequired\tx\n")
    done = _run("--corpus", str(corpus), "--labels", str(labels))
    assert done.returncode == 2
    assert done.stderr == "labels: headline.tsv:1: DF201 is not a code of family 'add'\n"
