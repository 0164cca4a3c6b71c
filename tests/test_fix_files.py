"""--fix on real files (dfcheck.files): links, owner, mode, extended attributes, read-only files and
directories, the same file named twice, concurrent runs, line ends."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from dfcheck.files import NotWritable, update
from support import run

BEFORE = "FROM scratch\nWORKDIR srv\nADD a.txt /a\n"
AFTER = "FROM scratch\nWORKDIR /srv\nCOPY a.txt /a\n"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def plain(monkeypatch, tmp_path):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)


def write(path, text=BEFORE):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


def test_the_same_file_twice_through_a_symbolic_link_is_fixed_once(tmp_path, capsys):
    # the example: `RUN apt-get install -y -y curl`, and both CMDs deleted
    text = "FROM debian\nRUN apt-get update && apt-get install curl\nCMD a\nCMD b\n"
    real = write(tmp_path / "real" / "Dockerfile", text)
    (tmp_path / "link").mkdir()
    (tmp_path / "link" / "Dockerfile").symlink_to(real)
    status, out, err = run(capsys, "--fix", "--no-config", "--select", "DF501,DF301",
                           "link/Dockerfile", "real/Dockerfile")
    assert (status, err) == (0, "Fixed 2 findings in 1 file.\n")
    assert real.read_text() == "FROM debian\nRUN apt-get update && apt-get install -y curl\nCMD b\n"
    assert (tmp_path / "link" / "Dockerfile").is_symlink()


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path, capsys):
    target = write(tmp_path / "shared" / "base.Dockerfile")
    link = tmp_path / "Dockerfile"
    link.symlink_to(os.path.join("shared", "base.Dockerfile"))
    status, out, err = run(capsys, "--fix", "--no-config", "Dockerfile")
    assert err == "Fixed 2 findings in 1 file.\n"
    assert link.is_symlink() and os.readlink(link) == os.path.join("shared", "base.Dockerfile")
    assert target.read_text() == AFTER


def test_hard_links_mode_and_extended_attributes_are_kept(tmp_path, capsys):
    first = write(tmp_path / "a" / "Dockerfile")
    second = tmp_path / "b" / "Dockerfile"
    second.parent.mkdir()
    os.link(first, second)
    other = write(tmp_path / "c" / "Dockerfile")
    other.chmod(0o640)
    xattr = hasattr(os, "setxattr")
    if xattr:
        try:
            os.setxattr(other, "user.origin", b"kept")
        except OSError:
            xattr = False  # the file system has none
    inode = other.stat().st_ino
    status, out, err = run(capsys, "--fix", "--no-config", "a", "c")
    assert err == "Fixed 4 findings in 2 files.\n"
    assert first.read_text() == second.read_text() == AFTER
    assert first.stat().st_ino == second.stat().st_ino and first.stat().st_nlink == 2
    assert other.read_text() == AFTER and stat.S_IMODE(other.stat().st_mode) == 0o640
    assert other.stat().st_ino != inode  # a new file, renamed over the old one
    if xattr:
        assert os.getxattr(other, "user.origin") == b"kept"
    assert sorted(os.listdir(tmp_path / "c")) == ["Dockerfile"]  # no temporary file left


@pytest.mark.skipif(not ROOT, reason="giving a file to another owner needs root")
def test_owner_and_group_are_kept(tmp_path, capsys):
    dockerfile = write(tmp_path / "Dockerfile")
    os.chown(dockerfile, 4321, 4322)
    dockerfile.chmod(0o4755)  # set-user-ID: chown would clear it if done after
    status, out, err = run(capsys, "--fix", "--no-config", "Dockerfile")
    assert err == "Fixed 2 findings in 1 file.\n"
    st = dockerfile.stat()
    assert (dockerfile.read_text(), st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (AFTER, 4321, 4322, 0o4755)


def test_a_read_only_file_or_directory_is_reported_and_the_others_are_still_fixed(tmp_path, capsys):
    read_only = write(tmp_path / "ro" / "Dockerfile")
    read_only.chmod(0o444)
    in_read_only_dir = write(tmp_path / "rodir" / "Dockerfile")
    (tmp_path / "rodir").chmod(0o555)
    fine = write(tmp_path / "ok" / "Dockerfile")
    try:
        status, out, err = run(capsys, "--fix", "--no-config", "ro", "rodir", "ok")
    finally:
        (tmp_path / "rodir").chmod(0o755)
    assert status == 2
    assert err == ("Fixed 2 findings in 1 file.\n"
                   "ro/Dockerfile: cannot write: read-only file; not fixed\n"
                   "rodir/Dockerfile: cannot write: read-only directory; not fixed\n")
    assert read_only.read_text() == in_read_only_dir.read_text() == BEFORE and fine.read_text() == AFTER
    assert "ro/Dockerfile:2:9: DF405 [*] [warning]" in out  # its findings, unfixed
    with pytest.raises(NotWritable, match="read-only file"):
        update(str(read_only), lambda data: "x")


def _as_nobody():
    """The command prefix that runs a process as `nobody`, if this system can (root, setpriv, and a Python
    that `nobody` may run), else None."""
    setpriv = shutil.which("setpriv")
    if not ROOT or setpriv is None:
        return None
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    try:
        probe = subprocess.run(prefix + [sys.executable, "-c", "import dfcheck"], capture_output=True, timeout=60,
                               cwd="/")  # not the checkout, which `-c` would import dfcheck from
    except (OSError, subprocess.SubprocessError):
        return None
    return prefix if probe.returncode == 0 else None


def test_read_only_as_an_ordinary_user(tmp_path):
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run a process as nobody here (needs root, setpriv and a Python nobody can run)")
    base = Path(tempfile.mkdtemp(prefix="dfcheck-test-"))  # not under tmp_path: nobody must reach it
    try:
        base.chmod(0o755)
        mine = write(base / "mine" / "Dockerfile")
        (base / "mine").chmod(0o777)
        mine.chmod(0o666)  # root's, but anyone may write it: fixed in place (nobody cannot give it to root)
        theirs = write(base / "theirs" / "Dockerfile")  # root's, mode 0644: nobody may not write it
        theirs_dir = write(base / "theirs_dir" / "Dockerfile")  # anyone may write it, not its directory
        theirs_dir.chmod(0o666)
        done = subprocess.run(prefix + [sys.executable, "-m", "dfcheck", "--fix", "--no-config", "mine", "theirs",
                                        "theirs_dir"], cwd=base, capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stderr) == (2, "Fixed 2 findings in 1 file.\n"
                                                     "theirs/Dockerfile: cannot write: read-only file; not fixed\n"
                                                     "theirs_dir/Dockerfile: cannot write: read-only directory; "
                                                     "not fixed\n")
        assert mine.read_text() == AFTER and mine.stat().st_uid == 0
        assert theirs.read_text() == theirs_dir.read_text() == BEFORE
    finally:
        shutil.rmtree(base)


def test_crlf_files_stay_crlf_inserted_lines_included(tmp_path, capsys):
    text = ('FROM alpine AS base\r\nCMD ["app"]\r\nFROM base\r\nENTRYPOINT ["tini", "--"]\r\n'
            "RUN cd /srv && make\r\n")
    dockerfile = write(tmp_path / "Dockerfile", text)
    status, out, err = run(capsys, "--fix", "--unsafe-fixes", "--no-config", "--select", "DF307,DF504", "Dockerfile")
    assert err == "Fixed 2 findings in 1 file.\n"
    assert dockerfile.read_bytes() == (
        b"FROM alpine AS base\r\nCMD [\"app\"]\r\nFROM base\r\nENTRYPOINT [\"tini\", \"--\"]\r\nCMD [\"app\"]\r\n"
        b"WORKDIR /srv\r\nRUN make\r\nWORKDIR /\r\n")  # back to alpine's WORKDIR, which the image keeps


def test_the_fix_is_computed_on_the_text_read_under_the_lock(tmp_path):
    dockerfile = write(tmp_path / "Dockerfile", "old")
    seen = []

    def change(data):
        seen.append(data)
        return data.decode() + " and new"

    update(str(dockerfile), change)
    assert seen == [b"old"] and dockerfile.read_text() == "old and new"
    update(str(dockerfile), lambda data: "not written", write=False)
    assert dockerfile.read_text() == "old and new"


def test_two_concurrent_runs_give_the_files_one_run_gives(tmp_path):
    texts = {
        f"s{i}/Dockerfile": (
            "FROM debian\nMAINTAINER me\nWORKDIR srv\nRUN apt-get update && apt-get install curl\n"
            f"ADD a{i}.txt /a\nCMD one\nCMD two\nRUN cd /opt && make\n"
        )
        for i in range(12)
    }
    command = [sys.executable, "-m", "dfcheck", "--fix", "--unsafe-fixes", "--no-config", "."]
    once, twice = tmp_path / "once", tmp_path / "twice"
    for root in (once, twice):
        for name, text in texts.items():
            write(root / name, text)
    subprocess.run(command, cwd=once, capture_output=True, timeout=300)
    runs = [subprocess.Popen(command, cwd=twice, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(2)]
    for p in runs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 1 and b"cannot" not in err and b"internal error" not in err, err
    expected = {name: (once / name).read_text() for name in texts}
    assert {name: (twice / name).read_text() for name in texts} == expected
    assert expected["s3/Dockerfile"] == (
        'FROM debian\nLABEL org.opencontainers.image.authors="me"\nWORKDIR /srv\n'
        "RUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n"
        "COPY a3.txt /a\nCMD exec two\nWORKDIR /opt\nRUN make\nWORKDIR /srv\n")
    assert sorted(os.listdir(twice / "s3")) == ["Dockerfile"]


def test_a_file_changed_since_it_was_linted_is_linted_again_under_the_lock(tmp_path, capsys, monkeypatch):
    # As when another run or an editor writes it between the lint and the fix: the positions of the first
    # lint would land in the wrong places (`RUN apt-get install -y -y curl`, `COPY` -> `COPYY`).
    from dfcheck import files

    dockerfile = write(tmp_path / "Dockerfile", "FROM scratch\nADD a.txt /a\n")
    real = files.update

    def edited_first(path, change, **kwargs):
        dockerfile.write_text("FROM scratch\n# a comment, and the ADD moved\nWORKDIR /w\n\nADD b.txt /b\n")
        return real(path, change, **kwargs)

    monkeypatch.setattr(files, "update", edited_first)
    status, out, err = run(capsys, "--fix", "--no-config", "Dockerfile")
    assert err == "Fixed 1 finding in 1 file.\n"
    assert dockerfile.read_text() == "FROM scratch\n# a comment, and the ADD moved\nWORKDIR /w\n\nCOPY b.txt /b\n"
