"""Find the Dockerfiles to lint under the paths given on the command line.

A directory is searched recursively for the names in DESIGN.md (`Dockerfile`, `Dockerfile.*`,
`*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`), as ruff and ripgrep search for files:

- version-control directories (`.git`, `.hg`, `.svn`) are never entered;
- what `.gitignore` files, `.git/info/exclude` and `.ignore` files ignore is skipped (`respect_gitignore`):
  `.gitignore` and `info/exclude` only inside a Git repository (a directory with a `.git` directory or file,
  which may be above the searched directory: the ignore files on the way down from it count too), `.ignore`
  everywhere; a deeper file wins over a shallower one, `.ignore` over `.gitignore`, and within a file the last
  matching pattern; a nested repository starts afresh;
- `excluded(path)` is asked about every directory and candidate file met (the configuration's `exclude`,
  by default node_modules, .venv, venv, vendor, dist, build and .tox).

Symbolically linked directories are not followed, so the search never leaves the tree and never loops; a
symbolically linked Dockerfile is linted only when it resolves inside the searched directory. A file named
on the command line is linted whatever its name and is never excluded or ignored; so is the content of a
directory named on the command line, whatever the directory's own name.

What the search cannot use is reported in `problems` as (path, message, error): an unreadable directory, a
link that loops or leads nowhere (errors: the run ends with status 2), a link out of the tree or a special
file named like a Dockerfile (warnings: skipped, said on stderr).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator

from .globs import Glob

VCS_DIRS = frozenset({".git", ".hg", ".svn"})
MAX_IGNORE_FILE_BYTES = 1024 * 1024  # larger ignore files are not read (with a warning)


def is_dockerfile_name(name: str) -> bool:
    if name.endswith(".dockerignore"):  # `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file
        return False
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or name.endswith((".Dockerfile", ".dockerfile"))
    )


# ---------------------------------------------------------------- .gitignore


class IgnorePattern:
    """One line of a `.gitignore`."""

    __slots__ = ("glob", "negated", "dir_only", "anchored")

    def __init__(self, glob: Glob, negated: bool, dir_only: bool, anchored: bool):
        self.glob = glob
        self.negated = negated  # `!pattern`: re-includes
        self.dir_only = dir_only  # `pattern/`: directories only
        self.anchored = anchored  # a `/` before the end: relative to the file's directory, not any name


def parse_gitignore(text: str) -> list[IgnorePattern]:
    """The patterns of a `.gitignore` (or `.ignore`, or `info/exclude`), in file order."""
    patterns = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        end = len(line)  # trailing blanks are dropped unless the last one is escaped
        while end > 0 and line[end - 1] == " " and not (end > 1 and line[end - 2] == "\\"):
            end -= 1
        line = line[:end]
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith(("\\!", "\\#")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        if line.endswith("/**"):  # `dir/**`: everything inside dir (at least one more segment), not dir itself
            line = line[:-3] + "/*/**"
        patterns.append(IgnorePattern(Glob(line), negated, dir_only, anchored))
    return patterns


class IgnoreLevel:
    """The patterns of one ignore file, with the directory they are relative to.

    Most lines are plain names (`node_modules`, `dist/`): those are looked up by name, and only the other
    patterns are tried one by one, from the last one back to the last plain name that matches.
    """

    __slots__ = ("prefix", "patterns", "names", "dir_names", "others")

    def __init__(self, base: str, patterns: list[IgnorePattern]):
        self.prefix = base if base.endswith(os.sep) else base + os.sep  # the directory, absolute, normalized
        self.patterns = patterns
        self.names: dict[str, int] = {}  # a plain name -> the index of its last line
        self.dir_names: dict[str, int] = {}  # the same for `name/` lines
        self.others: list[tuple[int, IgnorePattern]] = []
        for i, pattern in enumerate(patterns):
            if pattern.glob.literal is not None and not pattern.anchored:
                (self.dir_names if pattern.dir_only else self.names)[pattern.glob.literal] = i
            else:
                self.others.append((i, pattern))


def ignored(levels: list[IgnoreLevel], path: str, is_dir: bool) -> bool:
    """Whether `path` (absolute, normalized) is ignored: the deepest level with a matching pattern decides,
    and within it the last matching pattern."""
    for level in reversed(levels):
        if not path.startswith(level.prefix):
            continue
        parts = path[len(level.prefix):].split(os.sep)
        name = parts[-1:]
        best = max(level.names.get(name[0], -1), level.dir_names.get(name[0], -1) if is_dir else -1)
        for i, pattern in reversed(level.others):
            if i < best:
                break
            if pattern.dir_only and not is_dir:
                continue
            if pattern.glob.match(parts if pattern.anchored else name):
                return not pattern.negated
        if best >= 0:
            return not level.patterns[best].negated
    return False


def _read_ignore_file(path: str, problems: list) -> list[IgnorePattern]:
    """The patterns of an ignore file; nothing when there is none. Only a regular file is read (as Git, which
    does not follow a symbolically linked `.gitignore`), and only up to MAX_IGNORE_FILE_BYTES."""
    try:
        info = os.lstat(path)
    except OSError:
        return []
    if not stat.S_ISREG(info.st_mode):
        return []
    if info.st_size > MAX_IGNORE_FILE_BYTES:
        problems.append((path, f"{path}: not read: larger than {MAX_IGNORE_FILE_BYTES // 1024} KiB", False))
        return []
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_IGNORE_FILE_BYTES)
    except OSError as e:
        problems.append((path, f"{path}: cannot read: {e.strerror or e}", False))
        return []
    return parse_gitignore(data.decode("utf-8", "replace"))


def _git_dir(directory: str) -> str | None:
    """The Git directory of a repository whose root is `directory` (a `.git` directory, or the one a `.git`
    file points to, as in worktrees and submodules)."""
    dot_git = os.path.join(directory, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8", errors="replace") as f:
            first = f.readline(4096).strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.normpath(os.path.join(directory, first[len("gitdir:"):].strip()))
    try:  # a worktree's info/exclude is the main repository's
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8", errors="replace") as f:
            return os.path.normpath(os.path.join(git_dir, f.readline(4096).strip()))
    except OSError:
        return git_dir


def repository_root(directory: str) -> str | None:
    """The closest directory at or above `directory` (absolute) holding a `.git` directory or file."""
    d = directory
    while True:
        if os.path.lexists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _levels_in(directory: str, in_repo: bool, problems: list, names=None) -> list[IgnoreLevel]:
    """The ignore files of one directory (whose entries are `names`, when known), lowest precedence first."""
    levels = []
    for name in (".gitignore", ".ignore") if in_repo else (".ignore",):
        if names is not None and name not in names:
            continue
        patterns = _read_ignore_file(os.path.join(directory, name), problems)
        if patterns:
            levels.append(IgnoreLevel(directory, patterns))
    return levels


def _repository_levels(root: str, problems: list) -> list[IgnoreLevel]:
    git_dir = _git_dir(root)
    if git_dir is None:
        return []
    patterns = _read_ignore_file(os.path.join(git_dir, "info", "exclude"), problems)
    return [IgnoreLevel(root, patterns)] if patterns else []


def _starting_levels(top: str, problems: list) -> tuple[list[IgnoreLevel], bool]:
    """The ignore levels in force at the searched directory `top` (absolute), from the ignore files of the
    directories above it up to its repository's root, and whether it is inside a repository."""
    root = repository_root(top)
    if root is None:
        return [], False
    levels = _repository_levels(root, problems)
    above = []
    d = os.path.dirname(top)
    while len(d) >= len(root) and d != top:
        above.append(d)
        if d == root:
            break
        d = os.path.dirname(d)
    for directory in reversed(above):
        levels += _levels_in(directory, True, problems)
    return levels, True


# ---------------------------------------------------------------- the search


def discover(paths: list[str], excluded: Callable[[str], bool] = lambda path: False, *,
             respect_gitignore: bool = True, problems: list | None = None) -> Iterator[tuple[str, bool]]:
    """Yield (path, explicit) for every file to lint, in a stable order.

    `paths` are as the user gave them and so are the yielded ones (a file found under `.` is `sub/Dockerfile`).
    A path that does not exist is yielded as explicit, so that linting it reports the error. What the search
    could not use is appended to `problems` as (path, message, error).
    """
    problems = [] if problems is None else problems
    for arg in paths:
        if arg != "-" and os.path.isdir(arg):
            top = os.path.abspath(arg)
            levels, in_repo = _starting_levels(top, problems) if respect_gitignore else ([], False)
            walk = _Walk(excluded, respect_gitignore, os.path.realpath(arg), problems)
            yield from ((p, False) for p in walk.directory(arg, top, levels, in_repo))
        else:
            yield arg, True


class _Walk:
    __slots__ = ("excluded", "respect_gitignore", "real_top", "problems")

    def __init__(self, excluded, respect_gitignore: bool, real_top: str, problems: list):
        self.excluded = excluded
        self.respect_gitignore = respect_gitignore
        self.real_top = real_top
        self.problems = problems

    def directory(self, shown: str, full: str, levels: list[IgnoreLevel], in_repo: bool) -> Iterator[str]:
        """The files to lint under one directory: `shown` as the user sees it, `full` absolute."""
        try:
            with os.scandir(full) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            self.problems.append((shown, f"{shown}: cannot read directory: {e.strerror or e}", True))
            return
        if self.respect_gitignore:
            names = {e.name for e in entries if e.name.startswith(".")}
            if ".git" in names:
                in_repo = True  # a repository (nested or the first one met) starts afresh
                levels = _repository_levels(full, self.problems)
            levels = levels + _levels_in(full, in_repo, self.problems, names)
        files, dirs = [], []
        for entry in entries:
            path = entry.name if shown == "." else os.path.join(shown, entry.name)
            entry_full = os.path.join(full, entry.name)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name in VCS_DIRS or (levels and ignored(levels, entry_full, True)) or self.excluded(path):
                    continue
                dirs.append((path, entry_full))
            elif is_dockerfile_name(entry.name):
                if (levels and ignored(levels, entry_full, False)) or self.excluded(path):
                    continue
                if self._lintable(entry, path, entry_full):
                    files.append(path)
        yield from files
        for path, entry_full in dirs:
            yield from self.directory(path, entry_full, levels, in_repo)

    def _lintable(self, entry, path: str, full: str) -> bool:
        """Whether a file named like a Dockerfile is linted; what is not is said in problems."""
        if entry.is_symlink():
            try:
                target = os.stat(full)
            except OSError as e:
                reason = "a symbolic link loop" if e.errno == errno.ELOOP else "a broken symbolic link"
                self.problems.append((path, f"{path}: cannot lint: {reason}", True))
                return False
            if stat.S_ISDIR(target.st_mode):
                return False  # a linked directory is not followed
            real = os.path.realpath(full)
            if not (real.startswith(self.real_top + os.sep) or self.real_top == os.sep):
                self.problems.append((path, f"{path}: skipped: a symbolic link to a file outside the searched "
                                            "directory (name the file to lint it)", False))
                return False
            mode = target.st_mode
        else:
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                return True  # let reading it report the problem
        if not stat.S_ISREG(mode):
            self.problems.append((path, f"{path}: skipped: not a regular file", False))
            return False
        return True
