"""Reading a Dockerfile's text (`read_source`: a regular file of at most MAX_FILE_BYTES, in UTF-8) and writing
files: whole new files (`write_atomic`: `--output`, docs/rules.md) and the user's Dockerfiles, updated
in place of what they were (`update`: `--fix`), keeping what the user has.

How `update` writes, and why. The file's target is locked (an advisory `flock`, so that two runs fixing the
same files take turns) and read again under the lock: the change is computed on exactly the bytes it
replaces. The new content then normally goes to a temporary file in the same directory, which gets the old
file's owner, group, extended attributes (ACLs included) and mode, is flushed to disk and renamed over the
old one, and the directory is flushed too: whatever happens, a crash or a full disk leaves either the old
file or the new one, never half of one. A rename cannot keep a hard link (the other names would keep the
old content), and only root may give a file to another owner; so a file with more than one link, or whose
owner, group or attributes cannot be copied, is rewritten in place instead, under the same lock, with
Ctrl-C and SIGTERM held off while it is written.

A symbolic link is followed: its target is fixed and the link stays a link. A file that no one may write
(no write permission bit, as root too) or whose directory is read-only is not written: `NotWritable`.
"""

from __future__ import annotations

import os
import stat

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None

MAX_FILE_BYTES = 5 * 1024 * 1024  # larger files are not Dockerfiles anyone writes by hand
_RETRIES = 20  # times to start over when another process replaced the file while this one waited for the lock


class NotWritable(Exception):
    """The file is read-only, or its directory is; the message says which ("read-only file")."""


def write_atomic(path: str, text: str) -> None:
    """Write through a temporary file in the same directory and rename it: readers never see half a file.
    An existing file's mode is kept, and a symbolic link: its target is replaced. What is not a regular file
    (/dev/stdout, a FIFO, /dev/full) is written into, never replaced. Raises OSError."""
    import tempfile

    path = os.path.realpath(path)
    directory = os.path.dirname(path)
    try:
        info = os.stat(path)
        mode = info.st_mode & 0o7777
        if not stat.S_ISREG(info.st_mode):
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            return
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    _sync_directory(directory)


def update(path: str, change, *, write: bool = True, limit: int | None = None) -> None:
    """Read the file `path` names, under a lock, and write back what `change(bytes)` returns (a str, written as
    UTF-8; None or the same bytes: nothing is written). `write=False` only reads, under a shared lock: what
    `--diff` shows is what `--fix` would write. `limit`: read at most that many bytes and one more.

    Raises NotWritable (before reading) and OSError."""
    real = os.path.realpath(path)
    if write:
        _check_writable(real)
    for _ in range(_RETRIES):
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise OSError(0, "not a regular file")
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
            try:
                now = os.stat(real)
            except FileNotFoundError:
                now = None
            if now is None or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
                continue  # replaced (renamed over) while this process waited: lock the new file
            data = _read(fd, limit)
            new = change(data)
            if new is None or not write:
                return
            encoded = new.encode("utf-8")
            if encoded != data:
                _write(real, os.fstat(fd), encoded)
            return
        finally:
            os.close(fd)  # and with it the lock
    raise OSError(0, "the file keeps being replaced by another process")


def _check_writable(real: str) -> None:
    if not _writable(real):
        raise NotWritable("read-only file")
    if not _writable(os.path.dirname(real) or "."):
        raise NotWritable("read-only directory")


def _writable(path: str) -> bool:
    """Writable by this process, and, for root (whom permission bits do not stop), by someone: a file or
    directory without any write bit was made read-only on purpose."""
    if not os.access(path, os.W_OK):
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return bool(os.stat(path).st_mode & 0o222)
    return True


def _read(fd: int, limit: int | None) -> bytes:
    chunks = []
    size = 0
    while limit is None or size <= limit:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _write(real: str, st: os.stat_result, data: bytes) -> None:
    if st.st_nlink > 1 or not _replace(real, st, data):
        _rewrite(real, data)


def _replace(real: str, st: os.stat_result, data: bytes) -> bool:
    """Write `data` to a new file with the old one's metadata and rename it over `real`; False (and nothing
    changed) when the metadata cannot be copied."""
    import tempfile

    directory = os.path.dirname(real) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(real)}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            copied = _copy_metadata(real, fd, st)
        finally:
            os.close(fd)
        if copied:
            os.replace(tmp, real)
    except BaseException:
        _remove(tmp)
        raise
    if not copied:
        _remove(tmp)
        return False
    _sync_directory(directory)
    return True


def _copy_metadata(real: str, fd: int, st: os.stat_result) -> bool:
    """Owner, group, extended attributes and mode of `real` onto the open file `fd`; False if one cannot be."""
    try:
        mine = os.fstat(fd)
        if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
            os.fchown(fd, st.st_uid, st.st_gid)
        if hasattr(os, "listxattr"):
            names = os.listxattr(real)
            for name in os.listxattr(fd):
                if name not in names:  # a default ACL of the directory, say: the old file did not have it
                    os.removexattr(fd, name)
            for name in names:
                os.setxattr(fd, name, os.getxattr(real, name))
        os.fchmod(fd, stat.S_IMODE(st.st_mode))  # last: chown clears set-user-ID bits
    except OSError:
        return False
    return True


def _rewrite(real: str, data: bytes) -> None:
    """Overwrite the file's content in place (its inode, links and metadata stay), signals held off."""
    import signal

    mask = getattr(signal, "pthread_sigmask", None)
    fd = os.open(real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        old = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if mask else None
        try:
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        finally:
            if mask:
                mask(signal.SIG_SETMASK, old)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write `data` from the start of the file."""
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_directory(directory: str) -> None:
    """Flush a directory's entries (a rename) to disk; not every system can."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def read_source(path: str, data: bytes | None = None) -> tuple[str | None, str | None]:
    """(text, None), or (None, why it cannot be linted). `data` given: standard input's bytes."""
    if data is None:
        from .reading import ReadError, read_regular

        try:
            data = read_regular(path, MAX_FILE_BYTES)  # regular files only: a FIFO would block the run
        except ReadError as e:
            return None, str(e)
    if len(data) > MAX_FILE_BYTES:
        return None, f"file too large (over {MAX_FILE_BYTES // 2**20} MiB)"
    if b"\0" in data:
        return None, "binary file (contains NUL bytes)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
