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


# -- shell globs over image paths, matched in linear time ---------------------------------------------

def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` closing the class that opens at pattern[start], or -1."""
    i = start + 1
    if i < len(pattern) and pattern[i] in "!^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # `[]a]`: a leading `]` is a member
    end = pattern.find("]", i)
    return end


def _in_class(body: str, ch: str) -> bool:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    found, i = False, 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            if body[i] <= ch <= body[i + 2]:
                found = True
            i += 3
        else:
            if body[i] == ch:
                found = True
            i += 1
    return found != negate


def glob_match(pattern: str, name: str) -> bool:
    """Whether one path component `name` matches the shell glob `pattern` (`*`, `?`, `[...]`; a leading dot
    must be matched explicitly). Greedy with one star to go back to: time in O(len(pattern) * len(name))."""
    if not any(c in pattern for c in "*?["):
        return pattern == name
    if name[:1] == "." and pattern[:1] in ("*", "?", "["):
        return False
    p = n = 0
    star, mark = -1, 0
    while n < len(name):
        if p < len(pattern):
            c = pattern[p]
            if c == "*":
                star, mark = p, n
                p += 1
                continue
            if c == "?":
                p += 1
                n += 1
                continue
            if c == "[":
                end = _class_end(pattern, p)
                if end > 0:
                    if _in_class(pattern[p + 1:end], name[n]):
                        p, n = end + 1, n + 1
                        continue
                elif name[n] == "[":
                    p, n = p + 1, n + 1
                    continue
            elif c == name[n]:
                p, n = p + 1, n + 1
                continue
        if star < 0:
            return False
        p, mark = star + 1, mark + 1
        n = mark
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def has_glob(component: str) -> bool:
    return "*" in component or "?" in component or "[" in component


def relation(pattern: str, path: str) -> str | None:
    """How a (glob) path an operation names relates to `path`:

    "same" (matches it), "above" (`path` lies under a match), "below" (a match lies under `path`)
    or None."""
    p, a = parts(pattern), parts(path)
    for x, y in zip(p, a):
        if not glob_match(x, y):
            return None
    if len(p) == len(a):
        return "same"
    return "above" if len(p) < len(a) else "below"


class _Node:
    __slots__ = ("children", "items", "globs")

    def __init__(self):
        self.children: dict[str, _Node] = {}
        self.items: list = []
        self.globs: list[str] = []  # children whose name is itself a pattern (`package*.json`, an unknown `*`)


class PathIndex:
    """Items filed by image path, to find those a (glob) path relates to without looking at the others:
    `query` costs the length of the path, the children a glob component has to be matched against, and
    the items found."""

    __slots__ = ("root",)

    def __init__(self):
        self.root = _Node()

    def _node(self, path: str) -> _Node:
        node = self.root
        for part in parts(path):
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = _Node()
                if has_glob(part):
                    node.globs.append(part)
            node = child
        return node

    def add(self, path: str, item) -> None:
        self._node(path).items.append(item)

    def remove(self, path: str, item) -> None:
        items = self._node(path).items
        for i, found in enumerate(items):
            if found == item:
                del items[i]
                return

    def at(self, path: str) -> list:
        """The items filed at exactly `path`."""
        return self._node(path).items

    def query(self, pattern: str) -> list[tuple[str, object]]:
        """(relation, item) for every item `relation(pattern, its path)` relates, as "same", "above" or
        "below" (see `relation`). An item filed under a pattern (`/app/package*.json`) is related to the
        paths it may match."""
        found = []
        frontier = [self.root]
        for part in parts(pattern):
            glob = has_glob(part)
            following = []
            for node in frontier:
                found.extend(("below", item) for item in node.items)
                if glob:
                    following.extend(child for name, child in node.children.items() if glob_match(part, name) or (
                        has_glob(name) and (name == "*" or part == "*" or glob_match(name, part))))
                else:
                    child = node.children.get(part)
                    if child is not None:
                        following.append(child)
                    following.extend(node.children[name] for name in node.globs if glob_match(name, part))
            frontier = following
        for node in frontier:
            found.extend(("same", item) for item in node.items)
            stack = list(node.children.values())
            while stack:
                below = stack.pop()
                found.extend(("above", item) for item in below.items)
                stack.extend(below.children.values())
        return found
