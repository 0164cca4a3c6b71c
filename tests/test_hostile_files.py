"""Special and hostile files: dfcheck reads only regular files, within limits, inside the tree it was given,
and never lets a control character reach the terminal.

Each case runs the command in a subprocess with a generous timeout: a FIFO read by mistake blocks forever,
and a hang must fail the test, not the test run. The unreadable-file cases need a user that the file's
permissions stop: root reads anything, so as root they run the command as `nobody` (with setpriv), and are
skipped where that is not possible.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile

import pytest

HANG_GUARD = 60  # seconds; a normal run takes well under one


def dfcheck(*args, cwd, user=None, **kwargs):
    command = [sys.executable, "-m", "dfcheck", *args]
    if user is not None:
        import pwd

        entry = pwd.getpwnam(user)
        command = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups", *command]
    kwargs.setdefault("capture_output", True)
    return subprocess.run(command, cwd=cwd, text=True, timeout=HANG_GUARD, **kwargs)


@pytest.fixture
def tree():
    """A directory anyone can read (pytest's tmp_path is private to its user, and `nobody` must get in)."""
    root = tempfile.mkdtemp(prefix="dfcheck-hostile-")
    os.chmod(root, 0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def write(root, name, text):
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o644)
    return path


def as_other_user():
    """The user to run as so that permissions apply (None: this user already is one), or skip."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to run as a user whose permissions apply")
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no user `nobody` to run as")
    probe = subprocess.run(["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups",
                            sys.executable, "-c", "import dfcheck"], capture_output=True, timeout=HANG_GUARD,
                           cwd="/")  # not the checkout: `-c` would find dfcheck there and the real runs would not
    if probe.returncode != 0:
        pytest.skip("`nobody` cannot run this Python and dfcheck (a private checkout or virtual environment)")
    return "nobody"


# -- only regular files are read -------------------------------------------------------------------------


def test_a_fifo_named_as_a_dockerfile_is_not_a_regular_file_and_the_rest_is_linted(tree):
    os.mkfifo(os.path.join(tree, "Dockerfile"))
    write(tree, "app/Dockerfile", "FROM alpine:3.20\nMAINTAINER me\n")
    # Named, it is an error (exit 2); found by walking the directory, it is skipped with a warning, as a link out
    # of the tree is: the findings decide the exit status. Either way it is never opened for reading.
    named = (["Dockerfile", "app/Dockerfile"], 2, "Dockerfile: cannot lint: not a regular file\n")
    walked = (["."], 1, "dfcheck: warning: Dockerfile: skipped: not a regular file\n")
    for args, status, stderr in (named, walked):
        run = dfcheck("--no-config", "--select", "DF404", "--format", "json", *args, cwd=tree)
        assert (run.returncode, run.stderr) == (status, stderr)
        found = json.loads(run.stdout)["findings"]
        assert [(f["path"], f["code"], f["line"]) for f in found] == [("app/Dockerfile", "DF404", 2)]


def test_devices_and_sockets_are_not_regular_files(tree):
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(os.path.join(tree, "sock.Dockerfile"))
        run = dfcheck("--no-config", "/dev/zero", "sock.Dockerfile", cwd=tree)
    finally:
        listener.close()
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["/dev/zero: cannot lint: not a regular file",
                                       "sock.Dockerfile: cannot lint: not a regular file"]
    run = dfcheck("parse", "/dev/zero", cwd=tree)
    assert (run.returncode, run.stderr) == (2, "/dev/zero: cannot read: not a regular file\n")


def test_a_fifo_in_the_build_context_is_never_opened(tree):
    # ADD sniffs a local source's first bytes to tell an archive: a FIFO would block that read forever.
    write(tree, "Dockerfile", "FROM alpine:3.20\nADD pipe /x/\nCOPY . /app\n")
    os.mkfifo(os.path.join(tree, "pipe"))
    run = dfcheck("--no-config", "--format", "json", "Dockerfile", cwd=tree)
    assert (run.returncode, run.stderr) == (1, "")
    assert "DF401" in [f["code"] for f in json.loads(run.stdout)["findings"]]
    run = dfcheck("layers", "Dockerfile", cwd=tree)
    assert run.returncode == 0 and "ADD pipe /x/" in run.stdout


# -- .dockerignore: read as BuildKit would, or reported ---------------------------------------------------


def test_an_unreadable_dockerignore_is_reported_not_taken_as_absent(tree):
    user = as_other_user()
    write(tree, "Dockerfile", "FROM alpine:3.20\nCOPY . /app\n")
    ignore = write(tree, ".dockerignore", ".git\n")
    os.chmod(ignore, 0)
    run = dfcheck("--no-config", "--select", "DF104", "Dockerfile", cwd=tree, user=user)
    assert run.returncode == 2
    assert run.stderr == f"Dockerfile: cannot read {tree}/.dockerignore: Permission denied\n"
    assert run.stdout == "No findings in 1 file. 1 error reported on stderr.\n"
    run = dfcheck("layers", "Dockerfile", cwd=tree, user=user)
    assert (run.returncode, run.stderr) == (2, f"Dockerfile: cannot read {tree}/.dockerignore: Permission denied\n")


def test_a_dockerignore_linked_outside_the_context_is_not_read(tree):
    secret = write(tree, "home/.git-credentials", "https://user:s3cr3t-token@example.com\n")
    write(tree, "repo/Dockerfile", "FROM alpine:3.20\nCOPY . /app\n")
    os.symlink(secret, os.path.join(tree, "repo", ".dockerignore"))
    for args in (["--no-config", "--select", "ALL", "repo/Dockerfile"], ["layers", "repo/Dockerfile"]):
        run = dfcheck(*args, cwd=tree)
        assert run.returncode == 2
        assert "s3cr3t" not in run.stdout + run.stderr
        assert run.stderr.endswith(f"repo/Dockerfile: cannot read {tree}/repo/.dockerignore: it is a symbolic link "
                                   "to a file outside the build context\n")


def test_a_dockerignore_has_a_size_limit_and_must_be_a_regular_file(tree, monkeypatch):
    from dfcheck.model import context
    from dfcheck.model.context import ContextError, open_context

    monkeypatch.setattr(context, "MAX_IGNORE_BYTES", 100)
    write(tree, ".dockerignore", "node_modules\n" * 10)
    with pytest.raises(ContextError) as e:
        open_context(tree)
    assert str(e.value) == f"cannot read {tree}/.dockerignore: file too large (130 bytes, the limit is 100 bytes)"
    os.unlink(os.path.join(tree, ".dockerignore"))
    os.mkfifo(os.path.join(tree, ".dockerignore"))
    with pytest.raises(ContextError, match=r"\.dockerignore: not a regular file$"):
        open_context(tree)


# -- nothing raw reaches the terminal ----------------------------------------------------------------------


def test_control_characters_are_escaped_in_text_and_annotations(tree):
    forged = "x.Dockerfile:9:1: DF001 [error] forged\nevil.Dockerfile"
    write(tree, forged, "FROM alpine:3.20\nMAINTAINER \x1b]0;pwned\x07\x1b[2J me\n")
    run = dfcheck("--no-config", "--select", "DF404", "--no-color", ".", cwd=tree)
    assert run.returncode == 1
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert run.stdout.splitlines()[:4] == [
        "x.Dockerfile:9:1: DF001 [error] forged\\x0aevil.Dockerfile:2:1: DF404 [info] MAINTAINER is deprecated; "
        "use LABEL org.opencontainers.image.authors",
        "  |",
        "2 | MAINTAINER \\x1b]0;pwned\\x07\\x1b[2J me",
        "  | ^^^^^^^^^^",
    ]
    run = dfcheck("--no-config", "--select", "DF404", "--format", "github", ".", cwd=tree)
    assert run.stdout == (
        "::notice file=x.Dockerfile%3A9%3A1%3A DF001 [error] forged%0Aevil.Dockerfile,line=2,col=1,endLine=2,"
        "endColumn=11,title=DF404 maintainer-deprecated::MAINTAINER is deprecated; use LABEL "
        "org.opencontainers.image.authors\n")
    os.mkfifo(os.path.join(tree, "\x1b[2Jpipe.Dockerfile"))
    run = dfcheck("--no-config", "--select", "DF404", ".", cwd=tree)
    assert run.stderr == "dfcheck: warning: \\x1b[2Jpipe.Dockerfile: skipped: not a regular file\n"


def test_the_escaping_keeps_the_underline_under_the_finding():
    from dfcheck.reporters.escaping import visible
    from dfcheck.reporters.text import _expand

    assert visible("a\x00b\x1b[0m\x7f\x9b\tc é") == "a\\x00b\\x1b[0m\\x7f\\x9b\tc é"
    assert _expand("\x1bab", 2) == ("\\x1bab", 5)


# -- closed streams and full disks: one line, status 2 ------------------------------------------------------


def test_closed_standard_streams_are_one_line_errors(tree):
    write(tree, "Dockerfile", "FROM alpine:3.20\n")
    for args, closing, message in (
        (["--no-config", "Dockerfile"], ">&-", "standard output is closed"),
        (["rules"], ">&-", "standard output is closed"),
        (["--no-config", "-"], "<&-", "standard input is closed"),
    ):
        # `dfcheck ... >&-`: the shell starts the program with the descriptor closed
        result = subprocess.run(["sh", "-c", f'exec "$0" -m dfcheck "$@" {closing}', sys.executable, *args],
                                cwd=tree, capture_output=True, text=True, timeout=HANG_GUARD)
        assert (result.returncode, result.stderr) == (2, f"dfcheck: error: {message}\n"), args


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full to play a full disk")
def test_a_full_disk_is_a_one_line_error(tree):
    write(tree, "Dockerfile", "FROM alpine:3.20\n")
    with open("/dev/full", "w") as full:
        run = dfcheck("--no-config", "Dockerfile", cwd=tree, stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert (run.returncode, run.stderr) == (2, "dfcheck: error: cannot write the output: No space left on device\n")


def test_output_into_a_special_file_writes_into_it_and_never_replaces_it(tree):
    # `--output` writes through a temporary file and a rename; done to /dev/full as root, that rename replaced
    # the device with a regular file. A FIFO stands for every special file here (the test must not risk /dev).
    write(tree, "Dockerfile", "FROM alpine:3.20\nMAINTAINER me\n")
    fifo = os.path.join(tree, "out.fifo")
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE, text=True)
    run = dfcheck("--no-config", "--select", "DF404", "--output", fifo, "Dockerfile", cwd=tree)
    received = reader.communicate(timeout=HANG_GUARD)[0]
    assert run.returncode == 1 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert "Found 1 finding (1 info) in 1 of 1 file.\n" in received
    if os.geteuid() != 0 and os.path.exists("/dev/full"):
        run = dfcheck("--no-config", "--output", "/dev/full", "Dockerfile", cwd=tree)
        assert (run.returncode, run.stderr) == (2, "dfcheck: error: --output /dev/full: No space left on device\n")
