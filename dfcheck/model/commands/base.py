"""The records the command catalog is made of, and the helpers its readers share.

A `Tool` is one program (with its aliases). Its `read(call)` turns one command line into effects
through the methods of a *call* (the filesystem walker implements them):

    call.command        the command, wrappers stripped, argv[0] the program (`python -m pip` -> `pip`)
    call.node           the RUN instruction
    call.env            known variable values; call.env_names: every name the Dockerfile declares
    call.home, call.user_root, call.cwd (None when unknown), call.base_image (the lineage's first image)
    call.value(word), call.values(word), call.path(word or text, cwd=None) -> absolute path or None
    call.add(path, what, tree=, owned=, empty=, cache=)   something the command writes into the layer
    call.operate(kind, path, verb, recursive=, exact=, assumed=)   a "remove" or "rewrite" of paths
    call.extract(target, explicit, archive=)              an archive unpacked into `target`
    call.packages(manager, names, installed, virtual=)    packages installed (True) or removed (False)
    call.depends(ecosystem, step, project=, manifests=)   an install from manifest files (see Dependencies)
    call.chdir(path), call.unknown(text), call.scope(env) (a copy of the call with more variables)
    call.write(path, verb)     a file written whole (">", "touch") or appended to (">>"): a rewrite of an earlier one
    call.file(path)            the RUN uses `path` as a file (so it is no directory)
    call.mounted(path)         whether `path` is under a `RUN --mount` target
    call.removed(path)                                    whether an earlier command or layer deleted the file
    call.extracted(path)                                  whether `path` lies in what this RUN unpacked

`action(command)` answers what the shell rules ask without walking a layer: which manager, which verb,
in which role, on which words.
"""

from __future__ import annotations

import posixpath

from ...records import fields_repr


class Cache:
    """A cache, index or package store a tool leaves on disk, and how to avoid it."""

    __slots__ = ("key", "what", "path", "env", "off_env", "flag", "flag_verbs", "clean", "avoid", "index", "also")

    def __init__(self, key: str, what: str, path: str, env: tuple[str, ...] = (), off_env: tuple[str, ...] = (),
                 flag: str | None = None, flag_verbs: tuple[str, ...] = (), clean: str | None = None,
                 avoid: str = "", index: bool = False, also: tuple[str, ...] = ()):
        self.key = key  # "apt", "pip", ...: what `Added.cache` names
        self.what = what  # "apt lists", "pip cache": how messages name it
        self.path = path  # where it is by default ("~/" is the user's home)
        # the variables that move it, the first one set winning: "PIP_CACHE_DIR" (the cache itself) or
        # "XDG_CACHE_HOME/pip" (a directory under the variable's value)
        self.env = env
        self.off_env = off_env  # variables that turn it off when declared
        self.flag = flag  # the option that turns it off (`--no-cache-dir`)
        self.flag_verbs = flag_verbs  # the verbs the flag goes after (`pip install --no-cache-dir`)
        self.clean = clean  # a command that removes it, to run at the end of the RUN that fills it
        self.avoid = avoid  # how to keep it out of the layer, for messages
        self.index = index  # the package index: a later install without an update needs it
        # where the tool keeps it under another setup (Composer without XDG: `~/.composer/cache`): a RUN that mounts
        # a cache or tmpfs there is taken to keep the cache out of the layer
        self.also = also

    __repr__ = fields_repr


class Tool:
    """One program and what it does."""

    __slots__ = ("name", "names", "kind", "values", "read", "action", "caches", "ecosystem", "family")

    def __init__(self, name: str, names: tuple[str, ...], kind: str, values: tuple[str, ...] = (), read=None,
                 action=None, caches: tuple[Cache, ...] = (), ecosystem: str | None = None,
                 family: str | None = None):
        self.name = name  # "apt", "dnf", "pip", "curl"
        self.family = family or name  # managers that share packages and indexes: "rpm" for yum, dnf, ...
        self.names = names  # the program names it runs under
        self.kind = kind  # "system-packages", "packages", "build", "download", "vcs", "archive", "file", ...
        self.values = frozenset(values)  # options that take a value
        self.read = read  # read(call): the effects of one command line
        self.action = action  # action(tool, command) -> Action | None
        self.caches = caches
        self.ecosystem = ecosystem  # the Dependencies ecosystem its installs belong to

    __repr__ = fields_repr


class Action:
    """What one package-manager command does, for rules: its verb and the role of that verb."""

    __slots__ = ("tool", "manager", "role", "verb", "word", "targets", "refresh", "no_cache", "command")

    def __init__(self, tool: Tool, role: str, verb: str, word, targets: list, command, refresh: bool = False,
                 no_cache: bool = False):
        self.tool = tool
        self.manager = tool.name  # "apt", "apk", "yum", "dnf", "zypper", "pacman", "pip", "npm", ...
        self.role = role  # "update", "install", "upgrade", "remove", "clean" or "other"
        self.verb = verb  # as written: "install", "-Syu", "add"
        self.word = word  # the Word holding the verb (for edits placed after it)
        self.targets = targets  # the Words naming packages
        self.refresh = refresh  # an install that refreshes the package index itself (`apk add --update`)
        self.no_cache = no_cache  # an install that keeps no index or cache (`apk add --no-cache`)
        self.command = command  # the Command, argv[0] being the program

    __repr__ = fields_repr


class Dependencies:
    """A command that installs dependencies from manifest files."""

    __slots__ = ("ecosystem", "project", "manifests", "optional", "step", "command", "span", "node")

    def __init__(self, ecosystem: str, project: str, manifests: tuple[str, ...], optional: tuple[str, ...],
                 step: str, command: str, span, node):
        self.ecosystem = ecosystem  # "pip", "npm", "go", ...
        self.project = project  # the directory relative manifest names are in (absolute, in the image)
        self.manifests = manifests  # the files it reads, the main one first (relative to `project`, or absolute)
        # lock files and the like, named only when the context has them (or no context)
        self.optional = optional
        # "install": only fetches dependencies; "build": fetches them while building the project; "prebuilt":
        # installs packages built elsewhere (`pip install /wheels/*`), with their dependencies, from no manifest
        self.step = step
        self.command = command
        self.span = span
        self.node = node

    __repr__ = fields_repr

    def path(self, name: str) -> str:
        return posixpath.normpath(posixpath.join(self.project, name))


# -- helpers for readers ------------------------------------------------------------------------

def options(command, takes_value) -> list[tuple[str, object]]:
    """(option, value word or None) of a command, as `Command.has_option` sees them."""
    from ..shell import _scan

    return _scan(command.args, set(takes_value))[0]


def operands(command, tool: Tool) -> list:
    return command.operands(takes_value=tool.values)


def words(command) -> list[str | None]:
    return [w.value for w in command.args]


def home_path(call, text: str) -> str | None:
    """`~/.cache/pip` under the home of the user the RUN runs as."""
    from ..paths import resolve

    return resolve(text, None, call.home)


def cache_path(call, cache: Cache, option_value: str | None = None, default: str | None = None) -> str | None:
    """Where `cache` is for this call: an option's value, else the first of its variables set (in the Dockerfile
    or by the base image), else `default` or the cache's own default under the user's home."""
    if option_value:
        return call.path(option_value)
    for entry in cache.env:
        name, _, under = entry.partition("/")
        value = call.env.get(name)
        if value:
            value = value.split(":", 1)[0] if under else value  # GOPATH is a list: the first entry is used
            return call.path(value.rstrip("/") + "/" + under if under else value)
    return home_path(call, default or cache.path)


def cache_off(call, cache: Cache) -> bool:
    """A variable that turns the cache off is declared (its value may be unknown: any value counts)."""
    return any(name in call.env or name in call.env_names for name in cache.off_env)


def leave(call, cache: Cache, path: str | None = None) -> None:
    if any(call.mounted(home_path(call, other)) for other in cache.also):
        return
    call.add(path or cache_path(call, cache), cache.what, tree=True, cache=cache.key)


def clean(call, cache: Cache, path: str | None = None) -> None:
    base = path or cache_path(call, cache)
    if base:
        call.operate("remove", base.rstrip("/") + "/*", "clean", recursive=True)


def package_name(word: str, family: str) -> str | None:
    """The package a word of an install names (`curl=7.88` -> `curl`), None for options, files and URLs."""
    import re

    if family == "pip" and "#egg=" in word:  # `git+https://github.com/org/x.git@main#egg=x[extra]`
        word = word.split("#egg=", 1)[1].split("&", 1)[0]
    if not word or word.startswith("-") or "/" in word and family != "apk" or word.endswith((".deb", ".rpm", ".apk")):
        return None
    if family == "pip":
        if word.startswith((".", "/")) or "://" in word or word.endswith((".whl", ".tar.gz", ".zip")):
            return None
        name = re.split(r"[<>=!~;\[ @]", word, maxsplit=1)[0]
        return name.lower().replace("_", "-") or None
    if family == "apt":
        return re.split(r"[=:]", word, maxsplit=1)[0].split("/", 1)[0] or None
    if family == "apk":
        return re.split(r"[=<>~]", word, maxsplit=1)[0] or None
    if family == "npm":
        name = word.rsplit("@", 1)[0] if word.count("@") > (1 if word.startswith("@") else 0) else word
        return name or None
    return re.split(r"[-]\d", word, maxsplit=1)[0] if family == "rpm" else word


def package_names(call, words, family: str) -> frozenset:
    # A word holding several names (`echo "curl git" | xargs apt-get install`, `$PACKAGES`) names each.
    names = {package_name(v, family) for word in words for value in call.values(word) for v in value.split()}
    names.discard(None)
    return frozenset(names)
