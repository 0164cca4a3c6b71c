"""How the CI formats name a file: relative to the root the CI system resolves paths against.

GitHub resolves annotation and SARIF paths against the checkout (`GITHUB_WORKSPACE`), GitLab resolves Code
Quality paths against the project directory (`CI_PROJECT_DIR`); elsewhere the current directory is the root.
A path inside the root becomes relative with `/` separators and no leading `./`; a path outside it stays
absolute; `-` (standard input without a name) stays `-`.
"""

from __future__ import annotations

import os


def ci_root(variable: str | None = None) -> str:
    """The directory paths are made relative to: `$variable` when it is set to a directory, else the cwd."""
    value = os.environ.get(variable) if variable else None
    if value and os.path.isdir(value):
        return os.path.abspath(value)
    return os.getcwd()


def relative_path(path: str, root: str) -> str:
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        rel = None
    if rel is None or rel == ".." or rel.startswith(".." + os.sep):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def is_inside(path: str, root: str) -> bool:
    return path == "-" or not os.path.isabs(relative_path(path, root).replace("/", os.sep))
