"""Find the Dockerfiles to lint under the paths given on the command line.

A directory is searched recursively for the names in DESIGN.md (`Dockerfile`, `Dockerfile.*`,
`*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`), skipping `.git` and whatever an
exclude pattern matches. Symlinked directories are not followed, so the search never leaves the tree
and never loops. A file named on the command line is linted whatever its name and is never excluded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

SKIP_DIRS = frozenset({".git"})


def is_dockerfile_name(name: str) -> bool:
    if name.endswith(".dockerignore"):  # `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file
        return False
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or name.endswith((".Dockerfile", ".dockerfile"))
    )


def glob_regex(pattern: str) -> re.Pattern:
    """Compile a glob: `*` and `?` stay within one path component, `**` spans components, `[...]` is a set."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and pattern.find("]", i + 2) != -1:
            j = pattern.find("]", i + 2)  # a `]` first in the set is a member, as in fnmatch
            body = pattern[i + 1:j]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error:  # a malformed set such as `[!]`: take the pattern literally
        return re.compile(re.escape(pattern) + r"\Z")


def compile_globs(patterns) -> list[tuple[bool, re.Pattern]]:
    """Patterns as (anchored, regex). A pattern without `/` matches a name at any depth; one with a `/`
    (`./Dockerfile` and `/Dockerfile` included) matches the path from the base directory. A trailing `/` is
    dropped."""
    compiled = []
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        anchored = "/" in pattern
        while pattern.startswith("./"):
            pattern = pattern[2:]
        pattern = pattern.lstrip("/")
        if pattern:
            compiled.append((anchored, glob_regex(pattern)))
    return compiled


def glob_match(compiled, relpath: str) -> bool:
    """Whether a path relative to the patterns' base directory (with `/` separators) matches any pattern."""
    name = relpath.rsplit("/", 1)[-1]
    for anchored, regex in compiled:
        if regex.match(relpath if anchored else name):
            return True
    return False


def discover(paths: list[str], excluded: Callable[[str], bool] = lambda path: False) -> Iterator[tuple[str, bool]]:
    """Yield (path, explicit) for every file to lint, in a stable order.

    `paths` are as the user gave them and so are the yielded ones (a file found under `.` is `sub/Dockerfile`).
    `excluded(path)` is asked about every directory and candidate file met while walking. A path that does not
    exist is yielded as explicit, so that linting it reports the error.
    """
    for arg in paths:
        if arg != "-" and os.path.isdir(arg):
            yield from ((p, False) for p in _walk(arg, excluded))
        else:
            yield arg, True


def _walk(top: str, excluded) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    files, dirs = [], []
    for entry in entries:
        path = entry.name if top == "." else os.path.join(top, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP_DIRS and not excluded(path):
                    dirs.append(path)
            elif is_dockerfile_name(entry.name) and not entry.is_dir() and not excluded(path):
                files.append(path)
        except OSError:
            continue
    yield from files
    for d in dirs:
        yield from _walk(d, excluded)
