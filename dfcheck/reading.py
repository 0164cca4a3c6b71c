"""Reading the files dfcheck is pointed at: regular files only, never more than a limit.

A FIFO named `Dockerfile` would block `open()` until something writes to it, a device can be endless, and a
symbolic link can lead to a file of any size; every file dfcheck reads (Dockerfiles, `.dockerignore`,
configuration, the first bytes of a build-context file) goes through here, so that each of those is a
one-line reason instead of a hang or a memory error.
"""

from __future__ import annotations

import os
import stat

# O_NONBLOCK: should the file become a FIFO between the check and the open, the open does not wait for a
# writer; O_NOCTTY: a terminal device never becomes the controlling terminal.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0))


class ReadError(Exception):
    """Why a file cannot be read, in a few words (`not a regular file`, `Permission denied`)."""


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of the regular file at `path` (symbolic links followed), at most `limit` of them.

    Raises ReadError for anything else: a missing or unreadable file, a directory, FIFO, socket or device,
    a file larger than `limit`."""
    fd = _open_regular(path, limit)
    try:
        data = _read(fd, limit + 1)
    finally:
        os.close(fd)
    _check_size(len(data), limit)  # it grew since the check
    return data


def read_head(path: str, size: int) -> bytes:
    """The first `size` bytes of the regular file at `path`; ReadError as for read_regular, whatever its size."""
    fd = _open_regular(path, None)
    try:
        return _read(fd, size)
    finally:
        os.close(fd)


def _open_regular(path: str, limit: int | None) -> int:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("not a regular file")
        if limit is not None:
            _check_size(info.st_size, limit)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise ReadError(e.strerror or str(e)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the check
            raise ReadError("not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read(fd: int, size: int) -> bytes:
    chunks, total = [], 0
    try:
        while total < size:
            chunk = os.read(fd, min(1 << 20, size - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as e:
        raise ReadError(e.strerror or str(e)) from None
    return b"".join(chunks)


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise ReadError(f"file too large ({_size(size)}, the limit is {_size(limit)})")


def _size(n: int) -> str:
    if n < 2**10:
        return f"{n} bytes"
    if n >= 2**20:
        return f"{n / 2**20:.1f} MiB" if n % 2**20 else f"{n // 2**20} MiB"
    return f"{n / 2**10:.1f} KiB" if n % 2**10 else f"{n // 2**10} KiB"
