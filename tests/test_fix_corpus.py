"""`--fix --unsafe-fixes` over copies of the whole shared corpus, as written and with CRLF line ends: every
file converges, still parses with BuildKit's parser, changes only in instructions that had a fix, keeps its
line ends, and a second run changes nothing; two runs at once give the files one run gives, and `patch -p1`
applies `--diff` to give them too."""

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dfcheck import engine
from dfcheck.config import default_settings
from dfcheck.fixes import applicable

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dockerfiles"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present (fresh clone)")


def _fixable_codes():
    return [r.code for r in engine.load_rules() if r.fixable and r.origin == "dfcheck"]


def _fix(directory, *paths, wait=True):
    # Only the fixable rules (and DF001): the others cannot change a file, and would only slow the test.
    command = [sys.executable, "-m", "dfcheck", "--fix", "--unsafe-fixes", "--no-config",
               "--select", ",".join(["DF001"] + _fixable_codes()), *(paths or ["."])]
    if not wait:
        return subprocess.Popen(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=900)


def _copy(names, directory, crlf=False):
    directory.mkdir()
    for name in names:
        data = (CORPUS / name).read_bytes()
        if crlf:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        (directory / name).write_bytes(data)  # writable: the corpus files are read-only


def _buildkit_parser():
    """The `dockerfile` package (BuildKit's parser, a test extra with wheels for Linux x86-64), or None."""
    import platform

    if sys.platform != "linux" or platform.machine() != "x86_64":
        return None
    try:
        import dockerfile
    except ImportError:
        return None
    return dockerfile


def _instructions(dockerfile, text):
    return [(c.cmd.upper(), c.json, tuple(c.flags), tuple(c.value), tuple(h.content for h in c.heredocs),
             c.start_line, c.end_line) for c in dockerfile.parse_string(text)]


def _changed_lines(dockerfile, before, after):
    """The lines of `before` whose instructions the fixes removed or changed (BuildKit's view)."""
    old, new = _instructions(dockerfile, before), _instructions(dockerfile, after)
    lines = set()
    matcher = difflib.SequenceMatcher(None, [i[:5] for i in old], [i[:5] for i in new], autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        if op in ("replace", "delete"):
            for instruction in old[i1:i2]:
                lines.update(range(instruction[5], instruction[6] + 1))
    return lines


def _fixed_lines(text, settings):
    """The lines of the instructions that the first lint finds a fix for."""
    from dfcheck.syntax import parse

    nodes = parse(text).instructions
    lines = set()
    for f in engine.lint_text(text, "Dockerfile", settings).findings:
        if applicable(f, True):
            for e in f.fix.edits:
                for node in nodes:
                    if node.span.line <= e.span.end_line and e.span.line <= node.span.end_line:
                        lines.update(range(node.span.line, node.span.end_line + 1))
    return lines


def test_fix_over_the_corpus(tmp_path):
    names = sorted(p.name for p in CORPUS.iterdir() if p.is_file())
    assert len(names) == 428
    _copy(names, tmp_path / "lf")
    _copy(names, tmp_path / "crlf", crlf=True)

    first = _fix(tmp_path)
    assert first.returncode in (0, 1), first.stderr
    assert "internal error" not in first.stderr and "cannot" not in first.stderr, first.stderr
    assert first.stderr.splitlines()[-1].startswith("Fixed ")

    changed = []
    for name in names:
        before = (CORPUS / name).read_text(encoding="utf-8")
        after = (tmp_path / "lf" / name).read_text(encoding="utf-8")
        after_crlf = (tmp_path / "crlf" / name).read_bytes().decode("utf-8")
        # CRLF stays CRLF, every line of it, and the fixes do the same on both
        assert "\n" not in after_crlf.replace("\r\n", ""), name
        assert after_crlf.replace("\r\n", "\n") == after, name
        if after != before:
            changed.append(name)
    assert len(changed) >= 30  # the corpus has fixable findings in a few dozen files

    dockerfile = _buildkit_parser()
    settings = default_settings([r for r in engine.load_rules() if r.code in _fixable_codes()])
    for name in changed:
        before = (CORPUS / name).read_text(encoding="utf-8")
        after = (tmp_path / "lf" / name).read_text(encoding="utf-8")
        if dockerfile is None:  # without BuildKit's parser, the other checks still run
            continue
        try:
            dockerfile.parse_string(before)
        except dockerfile.GoParseError:
            continue  # BuildKit rejects the original: nothing to compare
        dockerfile.parse_string(after)  # and it must accept the fixed file
        assert _changed_lines(dockerfile, before, after) <= _fixed_lines(before, settings), name

    # A second run changes nothing (the files the first left alone, it would leave alone again).
    second = _fix(tmp_path, *[f"{kind}/{name}" for kind in ("lf", "crlf") for name in changed])
    assert (second.returncode in (0, 1), second.stderr.splitlines()[-1]) == (True, "Fixed 0 findings in 0 files.")

    # Two runs at once on the files that change give the files one run gives.
    _copy(changed, tmp_path / "twice")
    runs = [_fix(tmp_path / "twice", wait=False) for _ in range(2)]
    for p in runs:
        _, err = p.communicate(timeout=900)
        assert p.returncode in (0, 1) and "internal error" not in err and "cannot" not in err, err
    for name in changed:
        assert (tmp_path / "twice" / name).read_bytes() == (tmp_path / "lf" / name).read_bytes(), name
    assert sorted(os.listdir(tmp_path / "twice")) == sorted(changed)  # no temporary file left

    # --diff shows what --fix wrote, and patch applies it.
    if shutil.which("patch") is None:
        return
    patched = tmp_path / "patched"
    patched.mkdir()
    _copy(changed, patched / "lf")
    _copy(changed, patched / "crlf", crlf=True)
    command = [sys.executable, "-m", "dfcheck", "--diff", "--unsafe-fixes", "--no-config", "--select",
               ",".join(["DF001"] + _fixable_codes()), "lf", "crlf"]
    diff = subprocess.run(command, cwd=patched, capture_output=True, timeout=900)
    assert diff.returncode == 1, diff.stderr
    subprocess.run(["patch", "-p1", "--quiet"], input=diff.stdout, cwd=patched, check=True, timeout=300)
    for kind in ("lf", "crlf"):
        for name in changed:
            assert (patched / kind / name).read_bytes() == (tmp_path / kind / name).read_bytes(), (kind, name)
