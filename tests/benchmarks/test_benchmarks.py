"""Smoke test of benchmarks/bench.py: it runs on two files with --quick and prints its table.

No timing is asserted: the figures depend on the machine. The test uses the development install
(--dev) so that it needs no fresh virtual environment; hadolint and tally take part when installed.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "bench.py"


def _dfcheck_next_to_python() -> bool:
    return any((Path(sys.executable).parent / name).is_file() for name in ("dfcheck", "dfcheck.exe"))


pytestmark = pytest.mark.skipif(not _dfcheck_next_to_python(), reason="no dfcheck script next to this Python")


@pytest.fixture
def two_files(tmp_path):
    folder = tmp_path / "dockerfiles"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "python-app" / "Dockerfile", folder / "python.Dockerfile")
    shutil.copy(ROOT / "examples" / "go-service" / "Dockerfile", folder / "go.Dockerfile")
    return folder


def _bench(*args):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_quick_table(two_files):
    done = _bench(str(two_files), "--quick", "--dev")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "(2 Dockerfiles)" in out
    row = next(line for line in out.splitlines() if line.startswith("dfcheck "))
    assert "2/2" in row and " no " in row  # both files linted, no crash
    assert "goal whole folder" in out and "goal one file cold" in out and "goal small file cold" in out


def test_quick_json(two_files):
    done = _bench(str(two_files), "--quick", "--dev", "--tools", "dfcheck", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    d = data["tools"]["dfcheck"]
    assert d["folder_files"] == [2] and not d["crashed"]
    assert d["cold"]["runs"] == 3 and d["small"]["runs"] == 3 and d["folder"]["runs"] == 1
    assert data["meta"]["small_file_lines"] < data["meta"]["file_lines"]  # the python file is the shorter
    assert data["meta"]["skipped"] == {"hadolint": "not asked for (--tools)", "tally": "not asked for (--tools)"}
    assert data["goals"]["folder"]["met"] is None  # no hadolint, no verdict


def test_buildkit_checks_counts_found_and_false_per_check(tmp_path):
    """benchmarks/buildkit_checks.py on two made-up cases in BuildKit's format."""
    case = tmp_path / "cases" / "casing"
    case.mkdir(parents=True)
    (case / "Dockerfile").write_text("\nFROM scratch as base\nENV a b\n")
    (case / "expected").write_text("FromAsCasing\t2\tx\nStageNameCasing\t2\ty\n")
    other = tmp_path / "cases" / "args"
    other.mkdir()
    (other / "Dockerfile").write_text("#check=skip=all\nFROM scratch as base\n")
    (other / "expected").write_text("FromAsCasing\t2\tx\n")
    (other / "build-args").write_text("BUILDKIT_DOCKERFILE_CHECK=skip=none\n")
    script = ROOT / "benchmarks" / "buildkit_checks.py"
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "cases")], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert rows["FromAsCasing"] == ["2", "2", "0"]
    assert rows["StageNameCasing"] == ["1", "0", "0"]
    assert rows["LegacyKeyValueFormat"] == ["0", "0", "1"]
    assert rows["total"] == ["3", "2", "1"]
SCALING = ROOT / "benchmarks" / "scaling.py"


def test_the_scaling_benchmark_runs_and_prints_an_exponent_per_case():
    # No timing is asserted: only that the script generates, lints and reports each case it is given.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, str(SCALING), "--quick", "copy-glob-stars", "long-run"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    assert header.split()[:2] == ["case", "n"] and [r.split()[0] for r in rows] == ["copy-glob-stars", "long-run"]
    assert all(len(r.split()) >= 8 for r in rows)
    listing = subprocess.run([sys.executable, str(SCALING), "--list"], capture_output=True, text=True, env=env,
                             timeout=60)
    assert "stage-chain" in listing.stdout and "real-files" in listing.stdout
