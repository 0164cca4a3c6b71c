"""What a layer does to the image's filesystem, as plain records: the paths it adds (`Added`), the operations
on earlier paths (`Operation`: a removal or a rewrite), the packages it installs or removes (`Packages`), all
of it for one layer (`LayerEffects`), and the bytes a later layer hides (`Waste`). `model.filesystem` computes
them; the walker, the layer rules and the layers report read them.
"""

from __future__ import annotations

from ..records import fields_repr
from ..syntax.nodes import Instruction, Span
from .paths import parts

# -- results: plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records)

class Added:
    """Something a layer adds: a file, or a directory tree (`tree`) with everything under it."""

    __slots__ = ("path", "node", "what", "tree", "size", "_files", "owned", "empty", "cache", "span", "loader",
                 "guessed", "assumed", "unnamed")

    def __init__(
        self,
        path: str,
        node: Instruction,
        what: str,
        tree: bool = False,
        size: int | None = None,
        _files: tuple[tuple[str, int], ...] | None = None,
        owned: bool = True,
        empty: bool = False,
        cache: str | None = None,
        span: Span | None = None,
        loader: object = None,
        guessed: bool = False,
        assumed: str | None = None,
        unnamed: bool = False,
    ):
        self.path = path  # absolute, normalized
        self.node = node
        self.what = what  # how it came: "COPY", "download", "clone", "extract", "apt lists", "pip cache", ...
        self.tree = tree
        self.size = size  # bytes, when known
        self._files = _files  # (absolute path, bytes) of each file, when known
        self.owned = owned  # False: merged into a directory that other layers' files share (tar -C /usr/local)
        self.empty = empty  # a bare directory (mkdir, WORKDIR): no bytes to speak of
        self.cache = cache  # the package manager whose cache or lists this is
        self.span = span  # the command (RUN) or the source (COPY/ADD) that adds it
        self.loader = loader  # computes `files` on first use (a walk of the build context)
        self.guessed = guessed  # `tree` is a guess (a COPY source without the context): it may be a file
        self.assumed = assumed  # what was assumed to know the path: "the archive unpacks to foo-1.0/"
        self.unnamed = unnamed  # a download whose name is not known: the last component of `path` is `*`

    __repr__ = fields_repr

    @property
    def files(self) -> tuple[tuple[str, int], ...] | None:
        """(absolute path, bytes) of each file, when the build context tells."""
        if self.loader is not None:
            self._files, self.loader = tuple(self.loader()), None
        return self._files

    @files.setter
    def files(self, value) -> None:
        self._files, self.loader = value, None

    @property
    def known_size(self) -> int | None:
        if self.files is not None:
            return sum(size for _, size in self.files)
        return self.size


class Operation:
    """A deletion or rewrite a RUN performs on paths (possibly earlier layers' files)."""

    __slots__ = ("kind", "path", "recursive", "command", "span", "node", "verb", "exact", "shadowed", "assumed",
                 "builds", "exists")

    def __init__(self, kind: str, path: str, recursive: bool, command: str, span: Span, node: Instruction,
                 verb: str = "rm", exact: bool = True, shadowed: bool = False, assumed: str | None = None,
                 builds: int | None = None, exists: bool = False):
        self.kind = kind  # "remove" or "rewrite"
        self.path = path  # absolute, may hold shell glob characters
        self.recursive = recursive
        self.command = command  # how messages name it: "rm -rf /tmp/*", "chown -R app /app", "apt-get clean"
        self.span = span
        self.node = node
        self.verb = verb  # rm, find, clean, chown, chgrp, chmod, mv, sed
        self.exact = exact  # False: removes only some files under path (find -name ... -delete)
        self.shadowed = shadowed  # acts on what this same RUN created first: not on earlier layers
        self.assumed = assumed  # what the operation is taken to do: "git rewrites some of the files"
        self.builds = builds  # how many builds its RUN ran before it (None: not counted)
        # The path must exist: the command fails the build without it (`chmod +x ./configure` in a `&&` chain)
        self.exists = exists

    __repr__ = fields_repr


class Packages:
    """Packages a RUN installs or removes with a package manager."""

    __slots__ = ("manager", "names", "span", "node", "command", "virtual")

    def __init__(self, manager: str, names: frozenset, span: Span, node: Instruction, command: str,
                 virtual: str | None = None):
        self.manager = manager  # "apt", "apk", "rpm", "pip", "npm"
        self.names = names
        self.span = span
        self.node = node
        self.command = command
        self.virtual = virtual  # apk add --virtual NAME

    __repr__ = fields_repr


class LayerEffects:
    __slots__ = ("node", "added", "operations", "installed", "uninstalled", "cleaned", "mounts", "bind_sources",
                 "dependencies", "unknown", "links", "entered", "builds", "files", "programs", "executables")

    def __init__(
        self,
        node: Instruction,
        added: list[Added] | None = None,
        operations: list[Operation] | None = None,
        installed: list[Packages] | None = None,
        uninstalled: list[Packages] | None = None,
        cleaned: list[tuple[Added, Operation]] | None = None,
        mounts: list[tuple[str, str]] | None = None,
        bind_sources: list[str] | None = None,
        dependencies: list | None = None,
        unknown: list[str] | None = None,
    ):
        self.node = node
        self.added: list[Added] = [] if added is None else added  # what the layer holds at its end
        self.operations: list[Operation] = [] if operations is None else operations  # deletions and rewrites, in order
        self.installed: list[Packages] = [] if installed is None else installed
        self.uninstalled: list[Packages] = [] if uninstalled is None else uninstalled
        # created and deleted in this layer
        self.cleaned: list[tuple[Added, Operation]] = [] if cleaned is None else cleaned
        self.mounts: list[tuple[str, str]] = [] if mounts is None else mounts  # (type, target) of RUN --mount
        # context paths bound by RUN --mount=type=bind
        self.bind_sources: list[str] = [] if bind_sources is None else bind_sources
        # cache.Dependencies: installs from manifest files
        self.dependencies: list = [] if dependencies is None else dependencies
        self.unknown: list[str] = [] if unknown is None else unknown  # what could not be followed (dynamic paths, ...)
        self.links: list[tuple[str, str]] = []  # (link, what it points to) for each `ln -s`
        self.entered: list[str] = []  # directories a `cd` went into
        self.builds: list[str] = []  # directories a build (make, ./configure, a script) ran in
        self.files: list[str] = []  # paths the RUN uses as files (`sed -i`, `> path`, `chmod 644`, `. path`)
        self.programs: list[str] = []  # paths the RUN runs as programs (`/app/bin/setup`, `sh ./init.sh`)
        self.executables: list[str] = []  # paths a `chmod +x` that fails the RUN without them makes programs

    __repr__ = fields_repr

    @property
    def size(self) -> int | None:
        """Known bytes this layer adds (None when nothing is known)."""
        sizes = [a.known_size for a in self.added if not a.empty]
        known = [s for s in sizes if s is not None]
        return sum(known) if known else (0 if not sizes else None)

    @property
    def size_complete(self) -> bool:
        return all(a.empty or a.known_size is not None for a in self.added)


class Waste:
    """Bytes of an earlier layer that a later operation hides: they stay in the image."""

    __slots__ = ("operation", "added", "size", "whole", "assumed")

    def __init__(self, operation: Operation | Packages, added: Added | Packages, size: int | None, whole: bool,
                 assumed: str | None = None):
        self.operation = operation
        self.added = added  # what the earlier layer added (files, or installed packages)
        self.size = size  # bytes hidden, when known
        self.whole = whole  # the operation hides all of `added` (else a part of it)
        self.assumed = assumed  # what was assumed (an archive's top directory), unless a WORKDIR or cd confirmed it

    __repr__ = fields_repr

    @property
    def kind(self) -> str:
        if isinstance(self.operation, Packages):
            return "packages"
        return "deleted" if self.operation.kind == "remove" else "rewritten"


# Operations that write a path whether or not something is there (`> path`, `touch`, a COPY): they rewrite only what
# an earlier layer is known to have at that path, never a file guessed inside a tree of unknown content.
WRITES = (">", ">>", "touch", "COPY")
# The verb of a tool regenerating the files it keeps in its own directory (`composer dump-autoload`: vendor/autoload.php
# and vendor/composer/): it rewrites what an earlier layer brought of that directory, not what a broader copy of unknown
# content might hold.
REGENERATES = "regenerate"


# -- path helpers ----------------------------------------------------------------------------

def all_wildcards(pattern: str, base: str) -> bool:
    """`pattern` names everything directly under `base` (`base/*`, `base/.*`)."""
    extra = parts(pattern)[len(parts(base)):]
    return len(extra) == 1 and extra[0] in ("*", ".*", "*.*")
