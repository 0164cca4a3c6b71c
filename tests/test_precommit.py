"""The pre-commit hook, run by the real pre-commit tool against this checkout.

`pre-commit try-repo` installs the hook's repository into an environment of its own (pip, from PyPI for the
dependencies) and runs it on the files of a git repository. It would take this checkout's HEAD plus its
modified tracked files, which is whatever state other work in progress has left; the test gives it instead
a snapshot repository holding the checkout's tracked files as they are on disk, and the hook manifest.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML (which pre-commit brings) is not installed")

from dfcheck.discovery import is_dockerfile_name  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
NAMES = ["Dockerfile", "Dockerfile.dev", "api.Dockerfile", "web.dockerfile", "Containerfile",
         "Containerfile.prod", "services/worker/Dockerfile"]
NOT_DOCKERFILES = ["Dockerfile.dockerignore", "README.md", "notes.txt"]
BROKEN = "FROM alpine:3.20\nXYZZY bar\n"
CLEAN = "FROM alpine:3.20\nRUN echo hi\n"
OFFLINE = ("NewConnectionError", "Temporary failure in name resolution", "Could not find a version",
           "No matching distribution found", "Network is unreachable", "ConnectTimeout")


def hook():
    (entry,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return entry


def test_the_manifest():
    entry = hook()
    assert (entry["id"], entry["language"], entry["entry"]) == ("dfcheck", "python", "dfcheck")
    assert "types" not in entry  # identify's `dockerfile` type misses *.dockerfile: the name regex decides


@pytest.mark.parametrize("path", NAMES + NOT_DOCKERFILES + [
    "Dockerfile.", ".Dockerfile", "a/b/Containerfile.x", "Containerfile.dockerignore", "Dockerfiles",
    "xDockerfile", "dockerfile", "Dockerfile/inside", "app.dockerignore"])
def test_the_hook_matches_exactly_the_names_dfcheck_searches_for(path):
    entry = hook()
    matched = bool(re.search(entry["files"], path)) and not re.search(entry.get("exclude", "^$"), path)
    assert matched == is_dockerfile_name(path.rsplit("/", 1)[-1])


def _git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=dfcheck tests", "-c", "user.email=tests@dfcheck.invalid",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True)


def _snapshot(target: Path) -> Path:
    """A git repository with the checkout's tracked files (as on disk) and the hook manifest."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", "pyproject.toml", "README.md", "LICENSE*", "dfcheck",
                             "rules"], cwd=ROOT, capture_output=True)
    files = [f for f in listed.stdout.decode().split("\0") if f] if listed.returncode == 0 else []
    if not files:  # not a git checkout: take the directories as they are
        files = [str(p.relative_to(ROOT)) for d in ("dfcheck", "rules") for p in (ROOT / d).rglob("*.py")]
        files += [n for n in ("pyproject.toml", "README.md") if (ROOT / n).exists()]
    for name in files + [MANIFEST.name]:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "snapshot", cwd=target)
    return target


def _try_repo(snapshot: Path, work: Path, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "FORCE_COLOR", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1", NO_COLOR="1")
    result = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(snapshot), "dfcheck",
                             "--all-files", "--color", "never"], cwd=work, env=env, capture_output=True, text=True,
                            timeout=900)
    output = result.stdout + result.stderr
    if result.returncode not in (0, 1) and any(sign in output for sign in OFFLINE):
        pytest.skip("pre-commit could not install the hook from PyPI (offline?)")
    return result


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_lints_every_dockerfile_name_and_fails_on_a_finding(tmp_path):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    snapshot = _snapshot(tmp_path / "dfcheck")
    work = tmp_path / "work"
    for name in NAMES + NOT_DOCKERFILES:
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(BROKEN)  # a Dockerfile's syntax error in the files that are not linted too
    (work / ".dfcheck.toml").write_text('select = ["DF001"]\n')  # only DF001: rules added later change nothing
    _git("init", "-q", cwd=work)
    _git("add", "-A", cwd=work)

    result = _try_repo(snapshot, work, tmp_path / "pre-commit-home")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"^dfcheck\.+Failed$", output, re.MULTILINE), output
    for name in NAMES:
        assert f"{name}:2:1: DF001 [error] unknown instruction: XYZZY" in output, (name, output)
    for name in NOT_DOCKERFILES:
        assert f"{name}:" not in output, (name, output)
    # (pre-commit shares the files out among parallel dfcheck runs: one summary line per run)
    assert sum(int(n) for n in re.findall(r"^Found (\d+) findings? ", output, re.MULTILINE)) == len(NAMES), output

    for name in NAMES:
        (work / name).write_text(CLEAN)
    _git("add", "-A", cwd=work)
    result = _try_repo(snapshot, work, tmp_path / "pre-commit-home")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^dfcheck\.+Passed$", output, re.MULTILINE), output
