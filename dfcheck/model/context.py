"""The build context: the directory `docker build` sends, as BuildKit filters and copies from it.

Nothing here runs until a rule (or the `layers` report) asks: the model creates the context on
first access, and the directory is scanned one folder at a time, only where a question leads.

The two pattern languages (`.dockerignore` lines and COPY/ADD sources) are in `patterns.py`.

The walk never follows symbolic links (a link is a small file of its own, as in the tar stream),
never leaves the context, and stops at `max_entries` directory entries or `time_budget` seconds,
whichever comes first; `note` then says so and the answers are partial.
"""

from __future__ import annotations

import os
import time

from ..records import fields_eq, fields_hash, fields_repr
from .patterns import IgnoreRules, go_clean, go_match, has_wildcards, read_ignore_lines

DEFAULT_MAX_ENTRIES = 200_000
DEFAULT_TIME_BUDGET = 2.0  # seconds, for all the scanning one context does
MAX_IGNORE_BYTES = 1024 * 1024  # a larger .dockerignore is a mistake (or a link to something else)


class ContextError(Exception):
    """The build context cannot be used as BuildKit would use it (its ignore file cannot be read); one line."""


# Plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records).

class ContextFile:
    """Immutable by convention: compared and hashed by value."""

    __slots__ = ("path", "size")

    def __init__(self, path: str, size: int):
        self.path = path  # posix, relative to the context root
        self.size = size  # bytes (0 for a symbolic link)

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash


# -- Go's path cleaning and filepath.Match ---------------------------------------------------

# -- the context ---------------------------------------------------------------------------

class _Entry:
    __slots__ = ("name", "path", "kind", "_full", "_size")
    _compare = _shown = ("name", "path", "kind", "size")

    def __init__(self, name: str, path: str, kind: str, full: str):
        self.name = name
        self.path = path  # relative, posix
        self.kind = kind  # "file", "dir", "link" or "other"
        self._full = full  # the path to read the size from
        self._size: int | None = None

    @property
    def size(self) -> int:
        """Bytes of a regular file (0 for the other kinds), read on first use: most entries of a listing are only
        looked up by name, and a stat call per entry was most of listing a large directory."""
        if self._size is None:
            self._size = 0
            if self.kind == "file":
                try:
                    self._size = os.lstat(self._full).st_size
                except OSError:
                    pass
        return self._size

    __repr__ = fields_repr
    __eq__ = fields_eq


class BuildContext:
    """A build context directory, filtered by its `.dockerignore`, scanned lazily and within bounds."""

    def __init__(self, root: str, ignore_file: str | None = None, *, max_entries: int = DEFAULT_MAX_ENTRIES,
                 time_budget: float = DEFAULT_TIME_BUDGET):
        self.root = os.path.realpath(root)
        self.ignore_file = ignore_file  # the .dockerignore in use, if any
        self.max_entries = max_entries
        self.time_budget = time_budget
        self.note: str | None = None  # set when a bound was hit or the ignore file has errors
        self._listings: dict[str, list[_Entry] | None] = {}
        self._names: dict[str, dict[str, _Entry]] = {}  # directory -> its entries by name
        self._entries_seen = 0
        self._started: float | None = None
        self._tree: dict[str, list[ContextFile]] = {}
        text = _read_ignore_file(ignore_file, self.root) if ignore_file else ""
        self.ignore_patterns = read_ignore_lines(text)
        self.rules = IgnoreRules(self.ignore_patterns)
        if self.rules.errors:
            self.note = f"{os.path.basename(ignore_file or '.dockerignore')}: BuildKit rejects " + "; ".join(
                self.rules.errors)

    # -- public queries

    def ignored(self, relpath: str) -> bool:
        """Whether `.dockerignore` leaves `relpath` (relative to the context root) out of the context."""
        path = self.clean(relpath)
        return path != "." and self.rules.ignored(path)

    def kind(self, relpath: str) -> str | None:
        """"file", "dir", "link" or "other" for a path the context holds; None when missing or ignored."""
        path = self.clean(relpath)
        if path == ".":
            return "dir"
        entry = self._entry(path)
        if entry is None:
            return None
        if entry.kind == "dir":
            if self.ignored(path) and not self._files_under(path):
                return None
            return "dir"
        return None if self.ignored(path) else entry.kind

    def exists(self, relpath: str) -> bool:
        return self.kind(relpath) is not None

    @property
    def partial(self) -> bool:
        """Whether a bound stopped the scan: then a path not found may still be there."""
        return self._entries_seen >= self.max_entries or (
            self._started is not None and time.monotonic() - self._started > self.time_budget)

    def head(self, relpath: str, size: int = 512) -> bytes | None:
        """The first `size` bytes of a context file; None if missing, ignored or unreadable."""
        path = self.clean(relpath)
        if path == "." or self.ignored(path):
            return None
        full = os.path.join(self.root, *path.split("/"))
        real = os.path.realpath(full)
        if not self._inside(real):
            return None
        from ..reading import ReadError, read_head

        try:
            return read_head(real, size)  # regular files only: a FIFO would block the run
        except ReadError:
            return None

    def files(self, source: str) -> list[ContextFile]:
        """The files a COPY/ADD source copies from this context, after `.dockerignore`.

        A file gives itself, a directory every file under it; a source with wildcards is matched
        per BuildKit (Go's filepath.Match below its fixed leading directories)."""
        found: list[ContextFile] = []
        for path, _ in self.matches(source):
            found.extend(self._files_of(path))
        return found

    def matches(self, source: str) -> list[tuple[str, str]]:
        """What a COPY/ADD source names in the context: (path, "file" | "dir" | "link" | "other") pairs.

        One pair for a plain path that exists (a link named directly is followed within the
        context, and reported as what it points to), one per match for a source with wildcards."""
        path = self.clean(source)
        parts = [] if path == "." else path.split("/")
        for index, part in enumerate(parts):
            if has_wildcards(part):
                base = "/".join(parts[:index]) or "."
                return self._glob(base, "/".join(parts[index:]))
        if path == ".":
            return [(".", "dir")]
        entry = self._entry(path)
        if entry is None:
            return []
        if entry.kind == "link":
            followed = self._link_target(path)
            if followed is None:
                return []
            rel, target = followed
            return [(rel, "dir")] if target is None or target.kind == "dir" else [(path, target.kind)]
        if entry.kind == "dir":
            return [(path, "dir")] if self.kind(path) else []
        return [] if self.ignored(path) else [(path, entry.kind)]

    def find_dirs(self, names, max_depth: int = 1) -> list[str]:
        """Directories named one of `names` down to `max_depth` levels (1: the root's entries),
        whether `.dockerignore` excludes them or not; the walk does not enter them."""
        wanted = set(names)
        found: list[str] = []

        def visit(directory: str, depth: int) -> None:
            for entry in self._list(directory) or []:
                if entry.kind != "dir":
                    continue
                if entry.name in wanted:
                    found.append(entry.path)
                elif depth < max_depth and not (self.ignored(entry.path)
                                                and not self.rules.may_include_under(entry.path)):
                    visit(entry.path, depth + 1)

        visit(".", 1)
        return found

    def size(self, files: list[ContextFile]) -> int:
        return sum(f.size for f in files)

    def top_level(self) -> list[str]:
        """The names at the context root (before `.dockerignore`)."""
        return [e.name for e in self._list(".") or []]

    # -- helpers

    @staticmethod
    def clean(relpath: str) -> str:
        """A context path as BuildKit resolves it: relative to the root, `..` never leaving it."""
        cleaned = go_clean("/" + relpath)
        return cleaned.lstrip("/") or "."

    def _inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def _bounded(self) -> bool:
        """True while the scan may go on; sets `note` once a bound is hit."""
        if self._started is None:
            self._started = time.monotonic()
        if self._entries_seen >= self.max_entries:
            self._hit(f"stopped scanning the build context after {self.max_entries} entries; sizes are partial")
            return False
        if time.monotonic() - self._started > self.time_budget:
            self._hit(f"stopped scanning the build context after {self.time_budget:g} s; sizes are partial")
            return False
        return True

    def _hit(self, text: str) -> None:
        if self.note is None:
            self.note = text
        elif text not in self.note:
            self.note += "; " + text

    def _list(self, directory: str) -> list[_Entry] | None:
        """The entries of a context directory (not following links); None when it is not one."""
        if directory in self._listings:
            return self._listings[directory]
        if not self._bounded():
            return None
        full = self.root if directory == "." else os.path.join(self.root, *directory.split("/"))
        entries: list[_Entry] | None = []
        try:
            with os.scandir(full) as scan:
                for item in scan:
                    self._entries_seen += 1
                    try:  # the kind from the directory entry itself where the system gives it: no stat call
                        if item.is_symlink():
                            kind = "link"
                        elif item.is_dir(follow_symlinks=False):
                            kind = "dir"
                        elif item.is_file(follow_symlinks=False):
                            kind = "file"
                        else:
                            kind = "other"
                    except OSError:
                        continue
                    rel = item.name if directory == "." else f"{directory}/{item.name}"
                    entries.append(_Entry(item.name, rel, kind, item.path))
                    if self._entries_seen >= self.max_entries:
                        self._bounded()
                        break
        except OSError:
            entries = None
        if entries is not None:
            entries.sort(key=lambda e: e.name)
        self._listings[directory] = entries
        return entries

    def _entry(self, path: str) -> _Entry | None:
        """The entry at `path`, resolving links in the leading directories within the context."""
        parent, _, name = path.rpartition("/")
        parent = parent or "."
        if parent != ".":
            resolved = self._resolve_dir(parent)
            if resolved is None:
                return None
            parent = resolved
        index = self._names.get(parent)
        if index is None:  # a dict per listed directory: searching the listing for each path was quadratic
            index = {e.name: e for e in self._list(parent) or []}
            if parent in self._listings:  # (not when a bound stopped the listing)
                self._names[parent] = index
        return index.get(name)

    def _resolve_dir(self, path: str) -> str | None:
        """A directory path with symbolic links resolved (within the context), or None."""
        full = os.path.join(self.root, *path.split("/"))
        real = os.path.realpath(full)
        if not self._inside(real) or not os.path.isdir(real):
            return None
        rel = os.path.relpath(real, self.root).replace(os.sep, "/")
        return rel

    def _link_target(self, path: str):
        """Where a symbolic link named as a source leads, followed as COPY follows it (within the context):
        (its relative path, its entry; None for the context root), or None when it leads outside the
        context, to nothing, or to another link."""
        real = os.path.realpath(os.path.join(self.root, *path.split("/")))
        if not self._inside(real) or self.ignored(path):
            return None
        rel = os.path.relpath(real, self.root).replace(os.sep, "/")
        if rel == ".":
            return ".", None
        target = self._entry(rel)
        if target is None or target.kind == "link":
            return None
        return rel, target

    def _files_of(self, path: str) -> list[ContextFile]:
        if path == ".":
            return self._files_under(".")
        entry = self._entry(path)
        if entry is None:
            return []
        if entry.kind == "link":
            followed = self._link_target(path)
            if followed is None:
                return []
            rel, target = followed
            return self._files_of(rel) if target is None or target.kind == "dir" else [ContextFile(path, target.size)]
        if entry.kind == "dir":
            return self._files_under(path)
        return [] if self.ignored(path) else [ContextFile(path, entry.size)]

    def _files_under(self, directory: str) -> list[ContextFile]:
        """Every file the context holds under `directory`, recursively."""
        if directory in self._tree:
            return self._tree[directory]
        result: list[ContextFile] = []
        for entry in self._list(directory) or []:
            ignored = self.rules.ignored(entry.path) if self.rules else False
            if entry.kind == "dir":
                if ignored and not self.rules.may_include_under(entry.path):
                    continue
                result.extend(self._files_under(entry.path))
            elif not ignored:
                result.append(ContextFile(entry.path, entry.size))
        self._tree[directory] = result
        return result

    def _glob(self, base: str, pattern: str) -> list[tuple[str, str]]:
        if base != ".":
            entry = self._entry(base)
            if entry is None or entry.kind not in ("dir", "link"):
                return []
            if entry.kind == "link":
                resolved = self._resolve_dir(base)
                if resolved is None:
                    return []
                base = resolved
        depth = pattern.count("/") + 1
        found: list[tuple[str, str]] = []

        def visit(directory: str, rel_prefix: str, level: int) -> None:
            for entry in self._list(directory) or []:
                rel = f"{rel_prefix}{entry.name}"
                if go_match(pattern, rel):
                    if entry.kind == "dir":
                        if not self.ignored(entry.path) or self._files_under(entry.path):
                            found.append((entry.path, "dir"))
                    elif entry.kind == "link":
                        found.extend(self.matches(entry.path))
                    elif not self.ignored(entry.path):
                        found.append((entry.path, entry.kind))
                elif entry.kind == "dir" and level < depth:
                    visit(entry.path, rel + "/", level + 1)

        visit(base, "", 1)
        return found


def _read_ignore_file(path: str, root: str) -> str:
    """The text of an ignore file: a regular file of at most MAX_IGNORE_BYTES that stays inside the build
    context or the directory of the Dockerfile it belongs to (a link elsewhere is not followed: its lines
    would be shown in messages). Raises ContextError otherwise."""
    from ..reading import ReadError, read_regular

    real = os.path.realpath(path)
    home = os.path.realpath(os.path.dirname(path) or ".")
    if not any(real.startswith(d.rstrip(os.sep) + os.sep) for d in (root, home)):
        raise ContextError(f"cannot read {path}: it is a symbolic link to a file outside the build context")
    try:
        data = read_regular(real, MAX_IGNORE_BYTES)
    except ReadError as e:
        raise ContextError(f"cannot read {path}: {e}") from None
    return data.decode("utf-8", errors="replace")


def ignore_file_for(context_dir: str, dockerfile_path: str | None) -> str | None:
    """The ignore file BuildKit uses: `<Dockerfile>.dockerignore` next to the Dockerfile, else the context's.
    Anything by that name counts (a directory or a FIFO too, to be refused when read); a broken link does not."""
    if dockerfile_path:
        specific = dockerfile_path + ".dockerignore"
        if os.path.exists(specific):
            return specific
    default = os.path.join(context_dir, ".dockerignore")
    return default if os.path.exists(default) else None


# A long-running process (the language server) keeps the contexts it opens between lints, so that typing in a
# Dockerfile does not rescan its build context each time; it forgets them when files change. None: not kept.
_kept: dict | None = None
MAX_KEPT = 16


def keep_contexts() -> None:
    global _kept
    if _kept is None:
        _kept = {}


def forget_contexts() -> None:
    global _generation
    if _kept is not None:
        _kept.clear()
    _generation += 1


_generation = 0  # how many times the kept contexts were forgotten: what is kept from them is stale when it changes


def contexts_generation() -> int:
    return _generation


def open_context(context_dir: str | None, dockerfile_path: str | None = None, **bounds) -> BuildContext | None:
    """The BuildContext for a directory, or None when there is no such directory. Raises ContextError when its
    ignore file cannot be read."""
    if not context_dir or not os.path.isdir(context_dir):
        return None
    ignore_file = ignore_file_for(context_dir, dockerfile_path)
    if _kept is None:
        return BuildContext(context_dir, ignore_file, **bounds)
    key = (os.path.realpath(context_dir), ignore_file, tuple(sorted(bounds.items())))
    context = _kept.get(key)
    if context is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        context = _kept[key] = BuildContext(context_dir, ignore_file, **bounds)
    else:
        context._started = None  # each lint has the time budget for what it lists anew
    return context
