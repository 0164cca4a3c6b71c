"""Build definitions: how the project's Compose and Bake files say each Dockerfile is built.

A Dockerfile rarely builds alone: `compose.yaml` gives a service a context (often `..`), a Dockerfile, a target
stage, build args and named contexts; `docker-bake.hcl` or `docker-bake.json` gives targets the same, with
variables, inheritance and functions. This package finds those files from a linted path up to the repository
root and reads, statically, every build definition that names a Dockerfile:

    files = BuildFiles()                      # the process environment interpolates, as Compose and Bake do
    for definition in files.definitions_for("/repo/services/api/Dockerfile"):
        definition.context, definition.target, definition.args, definition.contexts, definition.origin
    files.notes                               # what could not be read or resolved, once each

Which files: in each directory from the linted one up to the repository root (the first directory holding a
`.git` directory or file; without one, only the linted directory), Compose's own choice (the first of
compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml, with the first override file beside it) and
every Bake file (docker-bake.json, docker-bake.hcl, docker-bake.override.json, docker-bake.override.hcl, merged in
that order, over the Compose services of that directory as Bake itself reads them). Each directory is a project of
its own. Only regular files of at most MAX_FILE_BYTES are read.

Nothing is guessed: a value that depends on what a static reading cannot know (an unset variable, `timestamp()`,
a remote context) is left unknown (an arg's value None) or its definition left out, with a note saying so. PyYAML
and python-hcl2 are imported only when such a file exists.
"""

from __future__ import annotations

import os
import stat

from ..records import fields_repr

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
COMPOSE_OVERRIDES = ("compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
                     "docker-compose.override.yaml")
BAKE_FILES = ("docker-bake.json", "docker-bake.hcl", "docker-bake.override.json", "docker-bake.override.hcl")
MAX_FILE_BYTES = 1024 * 1024  # a build file is written by hand: anything larger is not one


class BuildDefinition:
    """One way the project builds one Dockerfile."""

    __slots__ = ("dockerfile", "context", "target", "args", "contexts", "kind", "name", "source", "line")

    def __init__(self, dockerfile: str, context: str, target: str | None, args: dict, contexts: dict, kind: str,
                 name: str, source: str, line: int | None):
        self.dockerfile = dockerfile  # absolute path
        self.context = context  # absolute directory
        self.target = target  # the stage built; None: the last one
        self.args = args  # build args; a value None is set by the definition but not known statically
        self.contexts = contexts  # named contexts: an absolute directory, or as written (docker-image://, ...)
        self.kind = kind  # "compose" or "bake"
        self.name = name  # the Compose service or Bake target
        self.source = source  # the file that defines it
        self.line = line  # where, when known

    __repr__ = fields_repr

    @property
    def origin(self) -> str:
        """How messages name it: `compose service "api" (compose.yaml:4)`."""
        where = os.path.basename(self.source) + (f":{self.line}" if self.line else "")
        what = "compose service" if self.kind == "compose" else "bake target"
        return f'{what} "{self.name}" ({where})'

    @property
    def key(self) -> tuple:
        """What makes two definitions build the same thing (Compose and Bake may both describe one build)."""
        return (self.dockerfile, self.context, self.target, tuple(sorted(self.args.items(), key=str)),
                tuple(sorted(self.contexts.items())))


class Note:
    """Something in a build file that dfcheck could not read or resolve."""

    __slots__ = ("path", "line", "message")

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message

    __repr__ = fields_repr

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def __eq__(self, other):
        return isinstance(other, Note) and (self.path, self.line, self.message) == (other.path, other.line,
                                                                                   other.message)

    def __hash__(self):
        return hash((self.path, self.line, self.message))


class BuildFiles:
    """Reads the build files around linted paths, each directory once, and answers per Dockerfile."""

    def __init__(self, environ=None):
        self.environ = dict(os.environ if environ is None else environ)
        self.notes: list[Note] = []
        self._seen_notes: set = set()
        self._by_directory: dict[str, list[BuildDefinition]] = {}

    def definitions_for(self, dockerfile: str) -> list[BuildDefinition]:
        """The definitions that build `dockerfile`, from the directories between it and the repository root."""
        wanted = os.path.realpath(dockerfile)
        found = []
        for directory in project_directories(os.path.dirname(os.path.abspath(dockerfile))):
            found += [d for d in self.read_directory(directory) if os.path.realpath(d.dockerfile) == wanted]
        return found

    def read_directory(self, directory: str) -> list[BuildDefinition]:
        """Every definition of the build files in `directory` (read once)."""
        directory = os.path.abspath(directory)
        if directory not in self._by_directory:
            compose, bake = build_files_in(directory)
            definitions, notes = read_project(compose, bake, self.environ)
            self._by_directory[directory] = definitions
            for note in notes:
                if note not in self._seen_notes:
                    self._seen_notes.add(note)
                    self.notes.append(note)
        return self._by_directory[directory]


def project_directories(start: str) -> list[str]:
    """The directories whose build files can build what is in `start`: it and its parents up to the repository root
    (a directory with a `.git` directory or file); only `start` when no repository encloses it."""
    start = os.path.abspath(start)
    chain, directory = [], start
    while True:
        chain.append(directory)
        if os.path.exists(os.path.join(directory, ".git")):
            return chain
        parent = os.path.dirname(directory)
        if parent == directory:
            return [start]
        directory = parent


def build_files_in(directory: str) -> tuple[list[str], list[str]]:
    """(Compose files, Bake files) of one directory, in the order their tools load them."""
    compose = []
    for names in (COMPOSE_FILES, COMPOSE_OVERRIDES):
        first = next((os.path.join(directory, n) for n in names if os.path.isfile(os.path.join(directory, n))), None)
        if first is None:
            break  # no override without a main file
        compose.append(first)
    bake = [os.path.join(directory, n) for n in BAKE_FILES if os.path.isfile(os.path.join(directory, n))]
    return compose, bake


def read_project(compose: list[str], bake: list[str], environ: dict) -> tuple[list[BuildDefinition], list[Note]]:
    """The definitions of one directory's Compose files and Bake files."""
    definitions: list[BuildDefinition] = []
    notes: list[Note] = []
    services: dict = {}
    if compose:
        from .compose import read_compose

        found, services, more = read_compose(compose, environ)
        definitions += found
        notes += more
    if bake:
        from .bake import read_bake

        found, more = read_bake(bake, environ, services)
        known = {d.key for d in definitions}
        definitions += [d for d in found if d.key not in known]  # a Bake target that only repeats its service
        notes += more
    return definitions, notes


class FileProblem(Exception):
    """A build file that cannot be read: its note."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.note = Note(path, line, message)


def read_text(path: str) -> str:
    """A build file's text: a regular file of at most MAX_FILE_BYTES, in UTF-8 (a BOM is dropped)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(path, None, "not a regular file: not read")
        if info.st_size > MAX_FILE_BYTES:
            raise FileProblem(path, None, f"larger than {MAX_FILE_BYTES // 1024} KiB: not read")
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise FileProblem(path, None, f"cannot be read: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(path, None, f"larger than {MAX_FILE_BYTES // 1024} KiB: not read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileProblem(path, None, f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}): not read") from None


def is_remote(location: str) -> bool:
    """A context that is not a local directory: a URL, a Git remote, an image or another build's output."""
    lowered = location.lower()
    return ("://" in lowered or lowered.startswith(("git@", "github.com/", "target:", "service:"))
            or lowered.endswith(".git"))


def local_path(base: str, location: str) -> str:
    """`location` (relative to `base`, or absolute; `~` is the home directory) as a normalised absolute path."""
    return os.path.normpath(os.path.join(base, os.path.expanduser(location)))


def named_contexts(base: str, contexts: dict) -> dict:
    """Named contexts with local directories made absolute; images, URLs and other builds kept as written."""
    return {name: value if value is None or is_remote(value) else local_path(base, value)
            for name, value in contexts.items()}


def arg_text(value) -> str | None:
    """A build arg's value as both tools pass it: YAML and HCL booleans and numbers as they print."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None if value is None else str(value)
