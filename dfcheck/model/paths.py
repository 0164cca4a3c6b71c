"""Paths in the image: normalizing them, and the directories whose role the model needs to know."""

from __future__ import annotations

import posixpath

BIN_DIRS = frozenset({"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"})
TEMP_DIRS = frozenset({"/tmp", "/var/tmp", "/dev/shm"})
# Directories many layers write into: what lands there is merged among other files, not a tree of its own.
SHARED_DIRS = frozenset({"/", "/usr", "/usr/local", "/opt", "/usr/lib", "/usr/share", "/etc", "/var", "/bin",
                         "/usr/bin", "/usr/local/bin", "/usr/local/lib", "/usr/local/share", "/root", "/home", "/lib",
                         "/sbin", "/srv"})


def normalize(path: str) -> str:
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    return path


def resolve(path: str, cwd: str | None, home: str) -> str | None:
    """An absolute, normalized path for `path` as a shell in `cwd` sees it (`~` is `home`); None when unknown."""
    if path.startswith("~"):
        head, _, tail = path.partition("/")
        if head != "~":
            return None  # ~user
        path = home + ("/" + tail if tail else "")
    if not path.startswith("/"):
        if cwd is None:
            return None
        path = posixpath.join(cwd, path)
    return normalize(path)


def url_basename(url: str) -> str | None:
    """The file name a URL is saved under (ADD into a directory, `curl -O`, `wget`): its last path component."""
    url = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "://" not in url:
        return None
    name = url.rsplit("/", 1)[-1]
    return name or None


def under(path: str, directory: str) -> bool:
    return directory == "/" or path == directory or path.startswith(directory.rstrip("/") + "/")
