"""What each layer does to the image's filesystem: the paths it adds, removes and rewrites.

A layer is a RUN, COPY, ADD or WORKDIR. For COPY and ADD the destination is resolved as the
Dockerfile reference says (a trailing slash or several sources make it a directory, a relative
one is under the WORKDIR, a source directory's contents are copied), with file sizes from the
build context when there is one. For RUN the shell commands are read in order, with `cd` followed
when its argument is static: downloads (curl, wget), clones, extractions (tar, unzip), new
directories, output redirections, package-manager caches and lists, installed packages; then
deletions (rm, find -delete, the package managers' clean commands, purging packages) and
rewrites (chown, chgrp, chmod, mv, sed -i). What a RUN writes under a `--mount` target (cache,
bind, tmpfs, secret) never reaches the layer.

Within one RUN, what is created and then deleted leaves nothing: only the net effect is kept.
`Filesystem.waste(stages)` then follows the layers of a stage chain in order and pairs each
deletion or rewrite with the earlier layers whose bytes it hides: those bytes stay in the image.

Nothing here runs until asked: `model.filesystem` is created on first access, and each layer's
effects are computed (and its shell code parsed) only when something asks for that layer.
"""

from __future__ import annotations

import posixpath
import re

from ..records import fields_repr, replace
from ..syntax.nodes import Instruction, Span
from .cache import detect as detect_dependencies


# -- results: plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records)

class Added:
    """Something a layer adds: a file, or a directory tree (`tree`) with everything under it."""

    __slots__ = ("path", "node", "what", "tree", "size", "_files", "owned", "empty", "cache", "span", "loader",
                 "guessed")

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

    __slots__ = ("kind", "path", "recursive", "command", "span", "node", "verb", "exact", "shadowed")

    def __init__(self, kind: str, path: str, recursive: bool, command: str, span: Span, node: Instruction,
                 verb: str = "rm", exact: bool = True, shadowed: bool = False):
        self.kind = kind  # "remove" or "rewrite"
        self.path = path  # absolute, may hold shell glob characters
        self.recursive = recursive
        self.command = command  # how messages name it: "rm -rf /tmp/*", "chown -R app /app", "apt-get clean"
        self.span = span
        self.node = node
        self.verb = verb  # rm, find, clean, chown, chgrp, chmod, mv, sed
        self.exact = exact  # False: removes only some files under path (find -name ... -delete)
        self.shadowed = shadowed  # acts on what this same RUN created first: not on earlier layers

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
                 "dependencies", "unknown")

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

    __slots__ = ("operation", "added", "size", "whole")

    def __init__(self, operation: Operation | Packages, added: Added | Packages, size: int | None, whole: bool):
        self.operation = operation
        self.added = added  # what the earlier layer added (files, or installed packages)
        self.size = size  # bytes hidden, when known
        self.whole = whole  # the operation hides all of `added` (else a part of it)

    __repr__ = fields_repr

    @property
    def kind(self) -> str:
        if isinstance(self.operation, Packages):
            return "packages"
        return "deleted" if self.operation.kind == "remove" else "rewritten"


# -- path helpers ----------------------------------------------------------------------------

def normalize(path: str) -> str:
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    return path


def _resolve(path: str, cwd: str | None, home: str) -> str | None:
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


_GLOB_CACHE: dict[str, re.Pattern] = {}


def _glob_component(pattern: str) -> re.Pattern:
    """A shell glob for one path component (a leading dot must be matched explicitly)."""
    compiled = _GLOB_CACHE.get(pattern)
    if compiled is None:
        out, i = [], 0
        while i < len(pattern):
            ch = pattern[i]
            if ch == "*":
                out.append("[^/]*")
            elif ch == "?":
                out.append("[^/]")
            elif ch == "[":
                end = pattern.find("]", i + 2)
                if end < 0:
                    out.append(re.escape(ch))
                else:
                    body = pattern[i + 1:end]
                    if body[:1] in ("!", "^"):
                        body = "^" + body[1:]
                    out.append("[" + body.replace("\\", "\\\\") + "]")
                    i = end
            else:
                out.append(re.escape(ch))
            i += 1
        prefix = "(?!\\.)" if pattern[:1] in "*?[" else ""
        try:
            compiled = re.compile(prefix + "".join(out) + r"\Z", re.DOTALL)
        except re.error:
            compiled = re.compile(re.escape(pattern) + r"\Z")
        _GLOB_CACHE[pattern] = compiled
    return compiled


def _component_match(pattern: str, name: str) -> bool:
    if not any(c in pattern for c in "*?["):
        return pattern == name
    return _glob_component(pattern).match(name) is not None


def _parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def relation(pattern: str, path: str) -> str | None:
    """How a (glob) path an operation names relates to `path`:

    "same" (matches it), "above" (`path` lies under a match), "below" (a match lies under `path`)
    or None."""
    p, a = _parts(pattern), _parts(path)
    for x, y in zip(p, a):
        if not _component_match(x, y):
            return None
    if len(p) == len(a):
        return "same"
    return "above" if len(p) < len(a) else "below"


def _under(path: str, directory: str) -> bool:
    return directory == "/" or path == directory or path.startswith(directory.rstrip("/") + "/")


def _all_wildcards(pattern: str, base: str) -> bool:
    """`pattern` names everything directly under `base` (`base/*`, `base/.*`)."""
    extra = _parts(pattern)[len(_parts(base)):]
    return len(extra) == 1 and extra[0] in ("*", ".*", "*.*")


# -- command knowledge ------------------------------------------------------------------------

CURL_VALUES = (
    "-o", "--output", "--output-dir", "-H", "--header", "-d", "--data", "--data-raw", "--data-binary",
    "--data-urlencode", "-u", "--user", "-X", "--request", "-A", "--user-agent", "-e", "--referer", "-w",
    "--write-out", "-m", "--max-time", "--retry", "--retry-delay", "--retry-max-time", "-x", "--proxy", "-T",
    "--upload-file", "--connect-timeout", "-r", "--range", "-c", "--cookie-jar", "-b", "--cookie", "-K",
    "--config", "-E", "--cert", "--cacert", "--capath", "--key", "-F", "--form", "--resolve", "-z",
    "--time-cond", "--limit-rate", "-Y", "--speed-limit", "-y", "--speed-time", "--proto", "--proto-redir",
    "--tlsv1.2", "--ciphers", "--interface", "--max-redirs", "--max-filesize", "-U", "--proxy-user",
    "--dns-servers", "--url", "--stderr", "--trace", "--trace-ascii", "-D", "--dump-header",
)
WGET_VALUES = (
    "-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-a", "--append-output",
    "-t", "--tries", "-T", "--timeout", "-U", "--user-agent", "--header", "-e", "--execute", "-i",
    "--input-file", "--user", "--password", "--http-user", "--http-password", "-w", "--wait", "--limit-rate",
    "-l", "--level", "-A", "--accept", "-R", "--reject", "--ca-certificate", "--certificate", "-Q", "--quota",
    "--post-data", "--post-file", "-B", "--base", "--progress", "--dns-timeout", "--connect-timeout",
    "--read-timeout", "--bind-address",
)
GIT_CLONE_VALUES = ("-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference",
                    "--separate-git-dir", "-j", "--jobs", "--filter", "-u", "--upload-pack", "--template",
                    "--shallow-since", "--shallow-exclude", "--server-option")
TAR_VALUES = ("-C", "--directory", "-f", "--file", "--strip-components", "-T", "--files-from", "-X",
              "--exclude-from", "--exclude", "--owner", "--group", "--mode", "-I", "--use-compress-program",
              "-b", "--blocking-factor", "-H", "--format", "-g", "--listed-incremental", "--transform",
              "--xform", "-V", "--label")
APT_VALUES = ("-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a",
              "--host-architecture")
APK_VALUES = ("-t", "--virtual", "-X", "--repository", "-p", "--root", "--keys-dir", "--arch", "--cache-dir",
              "--repositories-file")
RPM_VALUES = ("-c", "--config", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "-x",
              "--exclude", "--setopt", "--repo", "--repoid", "--nodocs-marker", "-d", "--debuglevel", "-e",
              "--errorlevel", "--forcearch", "--disableplugin", "--enableplugin", "--setopt")
PIP_VALUES = (
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src", "--upgrade-strategy", "--platform",
    "--python-version", "--implementation", "--abi", "--no-binary", "--only-binary", "--progress-bar",
    "--trusted-host", "--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--cert",
    "--client-cert", "--config-settings", "-C", "--global-option", "--install-option", "--report", "--python",
)
NPM_VALUES = ("--prefix", "-C", "--cache", "--registry", "-w", "--workspace", "--omit", "--include", "--loglevel",
              "--userconfig", "--only", "--tag")

# apt archives are not listed: the official Debian and Ubuntu images delete downloaded .deb files
# after every install (/etc/apt/apt.conf.d/docker-clean).
CACHE_NAMES = {
    "apt": "apt lists", "apk": "apk cache", "yum": "yum cache", "dnf": "dnf cache", "microdnf": "microdnf cache",
    "zypper": "zypper cache", "tdnf": "tdnf cache", "pip": "pip cache", "uv": "uv cache", "poetry": "poetry cache",
    "npm": "npm cache", "yarn": "yarn cache", "pnpm": "pnpm store", "go": "Go build cache", "gomod": "Go module cache",
    "maven": "Maven repository", "gradle": "Gradle cache",
}
MANAGER_FAMILY = {"apt-get": "apt", "apt": "apt", "aptitude": "apt", "apk": "apk", "yum": "rpm", "dnf": "rpm",
                  "microdnf": "rpm", "tdnf": "rpm", "zypper": "rpm", "pip": "pip", "npm": "npm"}

_PIP_NAMES = ("pip", "pip3") + tuple(f"pip3.{minor}" for minor in range(6, 16))
_PYTHONS = ("python", "python3") + tuple(f"python3.{minor}" for minor in range(6, 16))
_BIN_DIRS = {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}
_TEMP_DIRS = {"/tmp", "/var/tmp", "/dev/shm"}
_SHARED_DIRS = {"/", "/usr", "/usr/local", "/opt", "/usr/lib", "/usr/share", "/etc", "/var", "/bin", "/usr/bin",
                "/usr/local/bin", "/usr/local/lib", "/usr/local/share", "/root", "/home", "/lib", "/sbin", "/srv"}


def _truthy_env(value: str | None) -> bool:
    return value is not None


def _url_basename(url: str) -> str | None:
    url = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "://" not in url:
        return None
    name = url.rsplit("/", 1)[-1]
    return name or None


def _package_name(word: str, manager: str) -> str | None:
    if not word or word.startswith("-") or "/" in word and manager != "apk" or word.endswith((".deb", ".rpm", ".apk")):
        return None
    if manager == "pip":
        if word.startswith((".", "/")) or "://" in word or word.endswith((".whl", ".tar.gz", ".zip")):
            return None
        name = re.split(r"[<>=!~;\[ @]", word, maxsplit=1)[0]
        return name.lower().replace("_", "-") or None
    if manager == "apt":
        return re.split(r"[=:]", word, maxsplit=1)[0].split("/", 1)[0] or None
    if manager == "apk":
        return re.split(r"[=<>~]", word, maxsplit=1)[0] or None
    if manager == "npm":
        name = word.rsplit("@", 1)[0] if word.count("@") > (1 if word.startswith("@") else 0) else word
        return name or None
    return re.split(r"[-]\d", word, maxsplit=1)[0] if manager == "rpm" else word


# -- the RUN walker --------------------------------------------------------------------------

class _RunWalker:
    """Reads one RUN's shell commands in order and collects their effects."""

    def __init__(self, fs: Filesystem, node: Instruction, effects: LayerEffects):
        self.fs = fs
        self.model = fs.model
        self.node = node
        self.effects = effects
        scope = self.model.scope(node)
        self.env: dict[str, str] = dict(scope.values())
        self.env_names = set(scope.args) | set(scope.env)
        self.home = fs.home(node, self.env)
        self.user_root = self.home == "/root"
        self.workdir = self.model.workdir(node)
        self.cwd: str | None = self.workdir
        self.sub_cwd: str | None = None  # cwd inside a subshell ( cd x && ... )
        self.code = None
        self.command = None

    # -- plumbing

    def span(self, command) -> Span:
        return self.code.span(command.start, command.end)

    def text(self, command) -> str:
        return " ".join(w.text for w in command.argv)[:120]

    def values(self, word) -> list[str]:
        if word.value is not None:
            return word.values() or [word.value]
        env = dict(self.env)
        resolved = word.resolve(env)
        return [resolved] if resolved is not None else []

    def value(self, word) -> str | None:
        if word is None:
            return None
        found = self.values(word)
        return found[0] if len(found) == 1 else None

    def path(self, word_or_text, cwd: str | None = None) -> str | None:
        text = word_or_text if isinstance(word_or_text, str) or word_or_text is None else self.value(word_or_text)
        if not text:
            return None
        return _resolve(text, cwd if cwd is not None else self.current_cwd, self.home)

    @property
    def current_cwd(self) -> str | None:
        return self.sub_cwd if self.command is not None and self.command.in_subshell and self.sub_cwd else self.cwd

    def add(self, path: str | None, what: str, *, tree: bool = False, owned: bool = True, empty: bool = False,
            cache: str | None = None) -> Added | None:
        if path is None or path in ("/dev/null", "/dev/stdout", "/dev/stderr") or path.startswith(("/dev/", "/proc/")):
            return None
        if self.fs.mounted(self.effects, path):
            return None
        added = Added(path, self.node, what, tree=tree, owned=owned, empty=empty, cache=cache,
                      span=self.span(self.command))
        self.effects.added.append(added)
        return added

    def extract(self, target: str, explicit: bool) -> None:
        """An archive unpacked into `target`: its own tree when this RUN created the directory or it was
        named explicitly and is not a shared or temporary one, else files merged among others."""
        for added in self.effects.added:
            if added.empty and added.path == target:
                added.empty, added.what = False, "extract"
                return
        owned = explicit and target not in _SHARED_DIRS and target not in _TEMP_DIRS
        self.add(target, "extract", tree=True, owned=owned)

    def operate(self, kind: str, path: str | None, verb: str, *, recursive: bool = False, exact: bool = True,
                command: str | None = None) -> None:
        if path is None:
            return
        if self.fs.mounted(self.effects, path):
            return
        op = Operation(kind, path, recursive, command or self.text(self.command), self.span(self.command),
                       self.node, verb, exact)
        op.shadowed = any(not a.empty and (relation(path, a.path) == "same" or
                                           relation(path, a.path) == "below" and a.owned)
                          for a in self.effects.added)
        if kind == "remove":
            self._drop_local(op)
        self.effects.operations.append(op)

    def _drop_local(self, op: Operation) -> None:
        """A deletion of what this same RUN created: nothing of it stays."""
        kept = []
        for added in self.effects.added:
            rel = relation(op.path, added.path)
            whole = op.exact and (
                rel == "same" and (op.recursive or not added.tree)
                or rel == "above" and op.recursive
                or rel == "below" and added.tree and (added.cache or added.empty) and _all_wildcards(op.path, added.path)
                and (op.recursive or added.cache is not None)
            )
            if whole:
                self.effects.cleaned.append((added, op))
                continue
            if rel == "below" and added.tree and added.files is not None and op.exact:
                remaining = tuple((p, s) for p, s in added.files if not _hides(op, p, False))
                if len(remaining) != len(added.files):
                    added.files = remaining
            kept.append(added)
        self.effects.added = kept

    # -- walking

    def walk(self) -> None:
        for code in self.model.shell_code(self.node):
            self.code = code
            for command in code.script.commands:
                if command.in_function:
                    continue
                self.command = command
                if not command.in_subshell:
                    self.sub_cwd = None
                for redirect in command.redirects:
                    if redirect.writes and redirect.op in (">", ">|", "&>") and redirect.target is not None:
                        target = self.path(redirect.target)
                        if target:
                            self.add(target, "file written", owned=True)
                inner = command.effective()
                if not inner.argv:
                    for name, word in command.assignments:
                        value = word.value if word is not None else None
                        if value is not None:
                            self.env[name] = value
                    continue
                name = inner.basename
                found = detect_dependencies(self, inner)
                if found is not None:
                    self.effects.dependencies.append(found)
                handler = _HANDLERS.get(name or "")
                if handler is None and name in _PIP_NAMES:
                    handler = _pip
                elif handler is None and name in _PYTHONS:
                    handler = _python
                if handler is not None:
                    env_before = self.env
                    if command.assignments:
                        self.env = dict(self.env)
                        for key, word in command.assignments:
                            if word is not None and word.value is not None:
                                self.env[key] = word.value
                    handler(self, inner)
                    self.env = env_before
                elif name == "export":
                    for word in inner.args:
                        if word.value and "=" in word.value:
                            key, _, value = word.value.partition("=")
                            self.env[key] = value
        self.command = None


def _hides(op: Operation, path: str, tree: bool) -> bool:
    rel = relation(op.path, path)
    if rel == "same":
        return op.recursive or not tree
    return rel == "above" and op.recursive


# Handlers: one per command name. Each reads the command and records effects on the walker.

def _cd(w: _RunWalker, cmd) -> None:
    operands = cmd.operands()
    target = w.path(operands[0]) if operands else w.home
    if w.command.in_subshell:
        w.sub_cwd = target
    else:
        w.cwd = target


def _mkdir(w: _RunWalker, cmd) -> None:
    for word in cmd.operands(takes_value=("-m", "--mode")):
        for value in w.values(word):
            w.add(w.path(value), "directory", tree=True, empty=True)


def _curl(w: _RunWalker, cmd) -> None:
    output_dir = w.path(cmd.option_value("--output-dir", takes_value=CURL_VALUES))
    outputs = []
    options = _options(cmd, CURL_VALUES)
    urls = [w.value(word) for word in cmd.operands(takes_value=CURL_VALUES)]
    urls = [u for u in urls if u and "://" in u]
    url_iter = iter(urls)
    for name, value in options:
        if name in ("-o", "--output") and value is not None:
            text = w.value(value)
            next(url_iter, None)
            if text and text != "-":
                outputs.append(w.path(text, output_dir) if output_dir and not text.startswith("/") else w.path(text))
        elif name in ("-O", "--remote-name"):
            url = next(url_iter, None)
            base = _url_basename(url) if url else None
            if base:
                outputs.append(w.path(base, output_dir))
        elif name == "--remote-name-all":
            for url in urls:
                base = _url_basename(url)
                if base:
                    outputs.append(w.path(base, output_dir))
    for path in outputs:
        w.add(path, "download")


def _wget(w: _RunWalker, cmd) -> None:
    document = cmd.option_value("-O", "--output-document", takes_value=WGET_VALUES)
    if document is not None:
        if document != "-":
            w.add(w.path(document), "download")
        return
    if cmd.has_option("--spider", takes_value=WGET_VALUES):
        return
    prefix = cmd.option_value("-P", "--directory-prefix", takes_value=WGET_VALUES)
    directory = w.path(prefix) if prefix else w.current_cwd
    for word in cmd.operands(takes_value=WGET_VALUES):
        url = w.value(word)
        base = _url_basename(url) if url else None
        if base and directory:
            w.add(normalize(posixpath.join(directory, base)), "download")


def _git(w: _RunWalker, cmd) -> None:
    args = list(cmd.args)
    cwd = w.current_cwd
    while args and args[0].value and args[0].value.startswith("-"):
        option = args.pop(0).value
        if option == "-C" and args:
            cwd = w.path(args.pop(0), cwd)
        elif option in ("-c", "--git-dir", "--work-tree", "--namespace") and args:
            args.pop(0)
    if not args or args[0].value != "clone":
        return
    sub = replace(cmd, argv=args)
    operands = sub.operands(takes_value=GIT_CLONE_VALUES)
    if not operands:
        return
    if len(operands) >= 2:
        target = w.path(operands[1], cwd)
    else:
        url = w.value(operands[0])
        if not url:
            return
        base = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        base = base[:-4] if base.endswith(".git") else base
        target = _resolve(base, cwd, w.home) if base else None
    w.add(target, "clone", tree=True)


def _tar(w: _RunWalker, cmd) -> None:
    args = cmd.args
    first = args[0].value if args else None
    mode = ""
    if first and not first.startswith("-"):
        mode = first  # `tar xzf file`: the first word is a bundle of options
    letters = {opt for opt, _ in _options(cmd, TAR_VALUES)}
    extract = "x" in mode or "-x" in letters or "--extract" in letters or "--get" in letters
    create = "c" in mode or "-c" in letters or "--create" in letters
    directory = cmd.option_value("-C", "--directory", takes_value=TAR_VALUES)
    archive = cmd.option_value("-f", "--file", takes_value=TAR_VALUES)
    if mode and "f" in mode and archive is None:
        operands = cmd.operands(takes_value=TAR_VALUES)
        if len(operands) >= 2:
            archive = w.value(operands[1])
    if extract:
        target = w.path(directory) if directory else w.current_cwd
        if target:
            w.extract(target, explicit=directory is not None)
    elif create and archive and archive != "-":
        w.add(w.path(archive), "archive")


def _unzip(w: _RunWalker, cmd) -> None:
    directory = cmd.option_value("-d", takes_value=("-d", "-x", "-P"))
    if cmd.has_option("-l", "-t", "-v", "-Z", takes_value=("-d", "-x", "-P")):
        return
    target = w.path(directory) if directory else w.current_cwd
    if target:
        w.extract(target, explicit=directory is not None)


def _rm(w: _RunWalker, cmd) -> None:
    recursive = cmd.has_option("-r", "-R", "--recursive")
    for word in cmd.operands():
        values = w.values(word)
        if not values:
            w.effects.unknown.append(f"{word.text} in `{w.text(cmd)}`")
        for value in values:
            w.operate("remove", w.path(value), "rm", recursive=recursive)


def _find(w: _RunWalker, cmd) -> None:
    words = [a.value or "" for a in cmd.args]
    deletes = "-delete" in words or any(
        words[i] in ("-exec", "-execdir") and i + 1 < len(words) and words[i + 1] in ("rm", "/bin/rm")
        for i in range(len(words)))
    if not deletes:
        return
    roots = []
    for word in cmd.args:
        if not word.value or word.value.startswith(("-", "(", "!", ")")):
            break
        roots.append(word)
    selective = any(x in words for x in ("-name", "-iname", "-path", "-regex", "-newer", "-size", "-mtime",
                                           "-user", "-perm", "-empty"))
    for word in roots or []:
        w.operate("remove", w.path(word), "find", recursive=True, exact=not selective)


def _chown(w: _RunWalker, cmd) -> None:
    recursive = cmd.has_option("-R", "--recursive")
    operands = cmd.operands(takes_value=("--from",))
    if cmd.has_option("--reference"):
        paths = operands
    else:
        paths = operands[1:]
    for word in paths:
        for value in w.values(word):
            w.operate("rewrite", w.path(value), cmd.basename, recursive=recursive)


def _mv(w: _RunWalker, cmd) -> None:
    operands = cmd.operands(takes_value=("-t", "--target-directory", "-S", "--suffix"))
    target_dir = cmd.option_value("-t", "--target-directory")
    sources = operands if target_dir else operands[:-1]
    for word in sources:
        for value in w.values(word):
            w.operate("rewrite", w.path(value), "mv", recursive=True)


def _sed(w: _RunWalker, cmd) -> None:
    if not any(opt in ("-i", "--in-place") or opt.startswith(("-i", "--in-place=")) or
               (opt.startswith("-") and not opt.startswith("--") and "i" in opt[1:] and "e" not in opt[1:opt.find("i")])
               for opt, _ in _options(cmd, ("-e", "--expression", "-f", "--file", "-l", "--line-length"))):
        return
    operands = cmd.operands(takes_value=("-e", "--expression", "-f", "--file", "-l", "--line-length"))
    if not cmd.has_option("-e", "--expression", "-f", "--file", takes_value=("-e", "--expression", "-f", "--file")):
        operands = operands[1:]  # the script
    for word in operands:
        for value in w.values(word):
            w.operate("rewrite", w.path(value), "sed", recursive=False)


def _options(cmd, takes_value) -> list[tuple[str, object]]:
    from .shell import _scan

    return _scan(cmd.args, set(takes_value))[0]


# Package managers

def _apt(w: _RunWalker, cmd) -> None:
    operands = cmd.operands(takes_value=APT_VALUES)
    if not operands:
        return
    sub = operands[0].value
    if sub == "update":
        w.add("/var/lib/apt/lists", CACHE_NAMES["apt"], tree=True, cache="apt")
    elif sub in ("install", "reinstall"):
        names = {_package_name(v, "apt") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.installed.append(Packages("apt", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif sub in ("purge", "remove", "autoremove"):
        names = {_package_name(v, "apt") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.uninstalled.append(Packages("apt", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif sub in ("clean", "autoclean"):
        w.operate("remove", "/var/cache/apt/archives/*", "clean", recursive=True)
        w.operate("remove", "/var/cache/apt/*.bin", "clean", recursive=True)
    elif sub == "dist-clean":
        w.operate("remove", "/var/lib/apt/lists/*", "clean", recursive=True)


def _apk(w: _RunWalker, cmd) -> None:
    operands = cmd.operands(takes_value=APK_VALUES)
    if not operands:
        return
    sub = operands[0].value
    no_cache = cmd.has_option("--no-cache", "--no-network", takes_value=APK_VALUES)
    if sub == "update" or (sub in ("add", "upgrade", "fix") and not no_cache):
        w.add("/var/cache/apk", CACHE_NAMES["apk"], tree=True, cache="apk")
    if sub == "add":
        names = {_package_name(v, "apk") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        virtual = cmd.option_value("-t", "--virtual", takes_value=APK_VALUES)
        if names or virtual:
            w.effects.installed.append(Packages("apk", frozenset(names), w.span(cmd), w.node, w.text(cmd), virtual))
    elif sub == "del":
        names = {_package_name(v, "apk") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.uninstalled.append(Packages("apk", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif sub == "cache" and len(operands) > 1 and operands[1].value in ("clean", "purge"):
        w.operate("remove", "/var/cache/apk/*", "clean", recursive=True)


def _rpm_family(w: _RunWalker, cmd) -> None:
    manager = cmd.basename
    operands = cmd.operands(takes_value=RPM_VALUES)
    if not operands:
        return
    sub = operands[0].value
    cache_dir = {"yum": "/var/cache/yum", "dnf": "/var/cache/dnf", "microdnf": "/var/cache/yum",
                 "tdnf": "/var/cache/tdnf", "zypper": "/var/cache/zypp"}[manager]
    installs = ("install", "in", "update", "upgrade", "groupinstall", "reinstall", "makecache", "refresh", "ref",
                "up", "localinstall", "dist-upgrade", "dup", "module")
    if sub in installs:
        w.add(cache_dir, CACHE_NAMES[manager], tree=True, cache=manager)
    if sub in ("install", "in", "groupinstall", "localinstall", "reinstall"):
        names = {_package_name(v, "rpm") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.installed.append(Packages("rpm", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif sub in ("remove", "erase", "rm", "autoremove"):
        names = {_package_name(v, "rpm") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.uninstalled.append(Packages("rpm", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif sub in ("clean", "cc"):
        w.operate("remove", cache_dir + "/*", "clean", recursive=True)


def _pip_effects(w: _RunWalker, cmd, args) -> None:
    sub = replace(cmd, argv=[cmd.argv[0]] + args)
    operands = sub.operands(takes_value=PIP_VALUES)
    if not operands:
        return
    verb = operands[0].value
    if verb == "install":
        specs = [v for word in operands[1:] for v in w.values(word)]
        local_only = bool(specs) and all(v.startswith(("/", ".")) or v.endswith((".whl", ".tar.gz")) for v in specs) \
            and not sub.has_option("-r", "--requirement", takes_value=PIP_VALUES)
        disabled = (sub.has_option("--no-cache-dir", takes_value=PIP_VALUES) or "PIP_NO_CACHE_DIR" in w.env
                    or "PIP_NO_CACHE_DIR" in w.env_names or sub.has_option("--no-index", takes_value=PIP_VALUES)
                    or local_only)
        if not disabled:
            cache_dir = sub.option_value("--cache-dir", takes_value=PIP_VALUES) or w.env.get("PIP_CACHE_DIR")
            path = w.path(cache_dir) if cache_dir else _resolve("~/.cache/pip", None, w.home)
            w.add(path, CACHE_NAMES["pip"], tree=True, cache="pip")
        names = {_package_name(v, "pip") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.installed.append(Packages("pip", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif verb == "uninstall":
        names = {_package_name(v, "pip") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names:
            w.effects.uninstalled.append(Packages("pip", frozenset(names), w.span(cmd), w.node, w.text(cmd)))
    elif verb == "cache" and len(operands) > 1 and operands[1].value in ("purge", "remove"):
        cache_dir = w.env.get("PIP_CACHE_DIR")
        base = w.path(cache_dir) if cache_dir else _resolve("~/.cache/pip", None, w.home)
        w.operate("remove", base + "/*", "clean", recursive=True)


def _pip(w: _RunWalker, cmd) -> None:
    _pip_effects(w, cmd, list(cmd.args))


def _python(w: _RunWalker, cmd) -> None:
    args = list(cmd.args)
    while args and args[0].value and args[0].value.startswith("-") and args[0].value != "-m":
        args.pop(0)
    if len(args) >= 2 and args[0].value == "-m" and args[1].value in ("pip", "pip3"):
        _pip_effects(w, cmd, args[2:])


def _uv(w: _RunWalker, cmd) -> None:
    words = [a.value for a in cmd.args]
    if not words:
        return
    if words[0] == "cache" and len(words) > 1 and words[1] in ("clean", "prune"):
        base = w.env.get("UV_CACHE_DIR")
        path = w.path(base) if base else _resolve("~/.cache/uv", None, w.home)
        w.operate("remove", path + "/*", "clean", recursive=True)
        return
    installs = words[0] in ("sync", "add") or (words[0] == "pip" and len(words) > 1 and words[1] in ("install", "sync"))
    if installs and "--no-cache" not in words and "--no-cache-dir" not in words and "-n" not in words and "UV_NO_CACHE" not in w.env_names \
            and "UV_NO_CACHE" not in w.env:
        base = w.env.get("UV_CACHE_DIR")
        path = w.path(base) if base else _resolve("~/.cache/uv", None, w.home)
        w.add(path, CACHE_NAMES["uv"], tree=True, cache="uv")


def _poetry(w: _RunWalker, cmd) -> None:
    words = [a.value for a in cmd.args]
    if words[:1] == ["install"] or words[:1] == ["add"]:
        base = w.env.get("POETRY_CACHE_DIR")
        path = w.path(base) if base else _resolve("~/.cache/pypoetry", None, w.home)
        w.add(path, CACHE_NAMES["poetry"], tree=True, cache="poetry")
    elif words[:2] == ["cache", "clear"]:
        base = w.env.get("POETRY_CACHE_DIR")
        path = w.path(base) if base else _resolve("~/.cache/pypoetry", None, w.home)
        w.operate("remove", path + "/*", "clean", recursive=True)


def _npm(w: _RunWalker, cmd) -> None:
    operands = cmd.operands(takes_value=NPM_VALUES)
    if not operands:
        return
    verb = operands[0].value
    cache = cmd.option_value("--cache", takes_value=NPM_VALUES) or w.env.get("npm_config_cache") or w.env.get(
        "NPM_CONFIG_CACHE")
    base = w.path(cache) if cache else _resolve("~/.npm", None, w.home)
    if verb in ("install", "i", "ci", "add", "update", "install-clean", "isntall", "in"):
        w.add(base, CACHE_NAMES["npm"], tree=True, cache="npm")
        names = {_package_name(v, "npm") for word in operands[1:] for v in w.values(word)}
        names.discard(None)
        if names and not cmd.has_option("-g", "--global", takes_value=NPM_VALUES):
            pass
    elif verb == "cache" and len(operands) > 1 and operands[1].value in ("clean", "clear", "rm"):
        w.operate("remove", base + "/*", "clean", recursive=True)
        w.operate("remove", base + "/_cacache", "clean", recursive=True)


def _yarn(w: _RunWalker, cmd) -> None:
    operands = cmd.operands(takes_value=("--cache-folder", "--modules-folder", "--network-timeout", "--mutex"))
    if not operands and cmd.has_option("--version", "-v", "--help", "-h"):
        return
    verb = operands[0].value if operands else "install"
    folder = cmd.option_value("--cache-folder") or w.env.get("YARN_CACHE_FOLDER")
    if folder:
        base = w.path(folder)
    else:
        base = "/usr/local/share/.cache/yarn" if w.user_root else _resolve("~/.cache/yarn", None, w.home)
    if verb in ("install", "add", "global"):
        w.add(base, CACHE_NAMES["yarn"], tree=True, cache="yarn")
    elif verb == "cache" and len(operands) > 1 and operands[1].value == "clean":
        w.operate("remove", base + "/*", "clean", recursive=True)


def _pnpm(w: _RunWalker, cmd) -> None:
    words = [a.value for a in cmd.args]
    base = w.env.get("PNPM_STORE_DIR") or w.env.get("npm_config_store_dir")
    path = w.path(base) if base else _resolve("~/.local/share/pnpm/store", None, w.home)
    if words[:1] in (["install"], ["i"], ["add"]):
        w.add(path, CACHE_NAMES["pnpm"], tree=True, cache="pnpm")
    elif words[:2] == ["store", "prune"]:
        w.operate("remove", path + "/*", "clean", recursive=True)


def _go(w: _RunWalker, cmd) -> None:
    words = [a.value for a in cmd.args]
    if not words:
        return
    gocache = w.path(w.env["GOCACHE"]) if w.env.get("GOCACHE") else _resolve("~/.cache/go-build", None, w.home)
    gopath = w.env.get("GOPATH") or ("/go" if w.fs.base_image(w.node).startswith("golang") else w.home + "/go")
    modcache = w.path(w.env["GOMODCACHE"]) if w.env.get("GOMODCACHE") else normalize(gopath.split(":")[0] + "/pkg/mod")
    if words[0] in ("build", "install", "test", "run", "vet"):
        w.add(gocache, CACHE_NAMES["go"], tree=True, cache="go")
        if words[0] != "vet":
            w.add(modcache, CACHE_NAMES["gomod"], tree=True, cache="gomod")
    elif words[:2] == ["mod", "download"]:
        w.add(modcache, CACHE_NAMES["gomod"], tree=True, cache="gomod")
    elif words[0] == "clean":
        if "-cache" in words:
            w.operate("remove", gocache + "/*", "clean", recursive=True)
        if "-modcache" in words:
            w.operate("remove", modcache + "/*", "clean", recursive=True)


def _mvn(w: _RunWalker, cmd) -> None:
    if cmd.args:
        w.add(_resolve("~/.m2/repository", None, w.home), CACHE_NAMES["maven"], tree=True, cache="maven")


def _gradle(w: _RunWalker, cmd) -> None:
    if cmd.args:
        home = w.env.get("GRADLE_USER_HOME")
        base = w.path(home) if home else _resolve("~/.gradle", None, w.home)
        w.add(base + "/caches", CACHE_NAMES["gradle"], tree=True, cache="gradle")


_HANDLERS = {
    "cd": _cd, "pushd": _cd, "mkdir": _mkdir, "curl": _curl, "wget": _wget, "git": _git, "tar": _tar, "unzip": _unzip,
    "rm": _rm, "find": _find, "chown": _chown, "chgrp": _chown, "chmod": _chown, "mv": _mv, "sed": _sed,
    "apt-get": _apt, "apt": _apt, "apk": _apk, "yum": _rpm_family, "dnf": _rpm_family, "microdnf": _rpm_family,
    "tdnf": _rpm_family, "zypper": _rpm_family, "uv": _uv, "poetry": _poetry, "npm": _npm, "yarn": _yarn,
    "pnpm": _pnpm, "go": _go, "mvn": _mvn, "./mvnw": _mvn, "mvnw": _mvn, "gradle": _gradle, "gradlew": _gradle,
}


# -- the model part --------------------------------------------------------------------------

class Filesystem:
    """Effects per layer, computed on demand, and the waste along a chain of stages."""

    def __init__(self, model):
        self.model = model
        self._effects: dict[int, LayerEffects] = {}

    def effects(self, node: Instruction) -> LayerEffects:
        key = id(node)
        found = self._effects.get(key)
        if found is None:
            found = self._compute(node)
            self._effects[key] = found
        return found

    def layers(self, stage) -> list[LayerEffects]:
        return [self.effects(node) for node in stage.layers]

    # -- helpers shared with the walker

    def home(self, node: Instruction, env: dict | None = None) -> str:
        env = env if env is not None else self.model.scope(node).values()
        if env.get("HOME"):
            return env["HOME"]
        user = self.user(node)
        if user in (None, "", "root", "0") or user.startswith(("root:", "0:")):
            return "/root"
        name = user.split(":", 1)[0]
        return "/root" if name.isdigit() and name == "0" else f"/home/{name}"

    def user(self, node: Instruction) -> str | None:
        """The USER in effect for `node` (following the FROM chain); None when the base image decides."""
        setting = self.model.user(node)  # indexed by the model: a scan per RUN was quadratic
        return setting.value if setting is not None else None

    def base_image(self, node: Instruction) -> str:
        stage = self.model.stage_of(node)
        if stage is None:
            return ""
        return self.model.lineage(stage)[0].base.lower().rsplit("/", 1)[-1]

    @staticmethod
    def mounted(effects: LayerEffects, path: str) -> bool:
        return any(_under(path, target) for _, target in effects.mounts)

    # -- computing one layer

    def _compute(self, node: Instruction) -> LayerEffects:
        effects = LayerEffects(node)
        kw = node.keyword
        if kw == "RUN":
            self._mounts(node, effects)
            _RunWalker(self, node, effects).walk()
        elif kw in ("COPY", "ADD"):
            self._copy(node, effects)
        elif kw == "WORKDIR":
            path = self.model.workdir(node)
            if node.args:
                value = self.model.expand(node, node.args[0].value).value
                path = normalize(posixpath.join(path, value))
            effects.added.append(Added(path, node, "WORKDIR", tree=True, empty=True, span=node.args[0].span
                                       if node.args else node.span))
        return effects

    def _mounts(self, node: Instruction, effects: LayerEffects) -> None:
        for flag in node.flags:
            if flag.name != "mount" or not flag.value:
                continue
            options = {}
            for item in _split_csv(self.model.expand(node, flag.value).value):
                key, eq, value = item.partition("=")
                options[key.strip().lower()] = value.strip() if eq else "true"
            kind = options.get("type", "bind")
            target = options.get("target") or options.get("dst") or options.get("destination")
            if kind == "secret" and not target:
                target = "/run/secrets/" + (options.get("id") or posixpath.basename(options.get("src", "") or
                                                                                    options.get("source", "")))
            if kind == "ssh" and not target:
                continue
            if target:
                target = normalize(posixpath.join(self.model.workdir(node), target))
                effects.mounts.append((kind, target))
            if kind == "bind" and "from" not in options:
                effects.bind_sources.append(options.get("source") or options.get("src") or ".")

    def _copy(self, node: Instruction, effects: LayerEffects) -> None:
        values = [self.model.expand(node, v) for v in node.values]
        if len(values) < 2:
            return
        *sources, dest = values
        if not dest.exact:
            effects.unknown.append(f"destination {dest.value!r} depends on unknown variables")
            return
        from_flag = node.flag("from")
        workdir = self.model.workdir(node)
        dest_text = dest.value
        dest_dir = dest_text.endswith("/") or dest_text in (".", "..") or dest_text.endswith("/.") or len(sources) > 1
        dest_path = normalize(posixpath.join(workdir, dest_text))
        context = self.model.context if not from_flag else None
        spans = node.args[:-1]
        for source, arg in zip(sources, spans):
            text = source.value
            what = f"{node.keyword} --from={from_flag.value}" if from_flag else node.keyword
            if node.keyword == "ADD" and "://" in text or text.startswith("git@"):
                if text.endswith(".git") or text.startswith("git@") or "#" in text and ".git" in text:
                    effects.added.append(Added(dest_path, node, "git checkout", tree=True, span=arg.span))
                else:
                    base = _url_basename(text) or "download"
                    path = normalize(posixpath.join(dest_path, base)) if dest_dir else dest_path
                    effects.added.append(Added(path, node, "download", span=arg.span))
                continue
            if any(c in text for c in "*?[") and not source.exact:
                pass
            if context is None or not source.exact:
                # Without the context: a name with no extension is taken for a directory (its contents go
                # into the destination), anything else for a file.
                glob = any(c in text for c in "*?[")
                base = posixpath.basename(text.rstrip("/"))
                sure = text in (".", "./", "*") or text.endswith("/") or glob
                in_bin = not dest_dir and posixpath.dirname(dest_path) in _BIN_DIRS  # a program, not a directory
                tree = sure or ("." not in base and not in_bin)
                path = dest_path
                if dest_dir and not tree:
                    path = normalize(posixpath.join(dest_path, base))
                effects.added.append(Added(path, node, what, tree=tree, owned=not (tree and path in _SHARED_DIRS),
                                           span=arg.span, guessed=tree and not sure))
                continue
            matches = context.matches(text)
            if not matches:
                # Not in the context (the build would fail, or this is not the right context): sizes unknown.
                effects.unknown.append(f"{text!r} is not in the build context")
                effects.added.append(Added(dest_path, node, what, tree=True, span=arg.span,
                                           owned=dest_path not in _SHARED_DIRS))
                continue
            single_file = len(sources) == 1 and len(matches) == 1 and matches[0][1] != "dir" and \
                not any(c in text for c in "*?[")
            if node.keyword == "ADD" and single_file and _is_tar(context, matches[0][0]):
                effects.added.append(Added(dest_path, node, "extract", tree=True, span=arg.span,
                                           owned=dest_path not in _SHARED_DIRS))
                continue
            loader = _copied_files(context, matches, dest_path, single_file and not dest_dir)
            tree = not single_file or dest_dir
            path = dest_path
            if single_file and dest_dir:
                path = normalize(posixpath.join(dest_path, posixpath.basename(matches[0][0])))
                tree = False
            effects.added.append(Added(path, node, what, tree=tree, span=arg.span, loader=loader))

    # -- waste along a chain of stages

    def waste(self, stages) -> list[Waste]:
        """Pairs every deletion and rewrite in `stages` (a FROM chain, root first) with the earlier
        layers whose bytes it hides."""
        found: list[Waste] = []
        alive: list[Added] = []
        installed: list[Packages] = []
        for stage in stages:
            for node in stage.layers:
                effects = self.effects(node)
                new_alive = []
                for op in effects.operations:
                    if not op.shadowed:
                        found.extend(self._hide(op, alive, new_alive))
                for removal in effects.uninstalled:
                    for earlier in installed:
                        if earlier.manager != removal.manager:
                            continue
                        names = set(earlier.names) | ({earlier.virtual} if earlier.virtual else set())
                        if names & removal.names:
                            whole = earlier.names <= removal.names or earlier.virtual in removal.names
                            found.append(Waste(removal, earlier, None, whole))
                alive = [a for a in alive if a is not None] + new_alive + list(effects.added)
                installed.extend(effects.installed)
        return found

    def _hide(self, op: Operation, alive: list[Added], new_alive: list[Added]) -> list[Waste]:
        """Match one operation against the earlier layers' files; update what is still visible."""
        exact: list[Waste] = []
        vague: list[Waste] = []
        for index, added in enumerate(alive):
            if added is None or added.empty:
                continue
            rel = relation(op.path, added.path)
            if rel is None:
                continue
            recursive_ok = op.recursive or not added.tree or (added.guessed and rel == "same" and op.kind == "remove")
            if (rel == "same" and recursive_ok) or (rel == "above" and op.recursive):
                if not op.exact:
                    if added.files is not None:
                        continue
                    vague.append(Waste(op, added, None, False))
                    continue
                exact.append(Waste(op, added, added.known_size, True))
                alive[index] = None
                if op.kind == "rewrite":
                    new_alive.append(replace(added, node=op.node, what=f"copy by {op.verb}", span=op.span))
                continue
            if rel == "below" and added.tree:
                if added.files is not None:
                    hidden = [(p, s) for p, s in added.files if _hides(op, p, False) or (
                        op.recursive and relation(op.path, p) == "above") or (not op.exact and _under(p, op.path))]
                    if not hidden:
                        continue
                    whole = len(hidden) == len(added.files)
                    exact.append(Waste(op, added, sum(s for _, s in hidden), whole))
                    remaining = tuple(f for f in added.files if f not in hidden)
                    alive[index] = replace(added, _files=remaining) if remaining else None
                    if op.kind == "rewrite":
                        new_alive.append(replace(added, node=op.node, what=f"copy by {op.verb}", _files=tuple(hidden),
                                                 path=op.path, span=op.span))
                    continue
                if not added.owned and not (op.recursive and op.exact and _all_wildcards(op.path, added.path)):
                    continue
                if (added.cache or not added.owned) and _all_wildcards(op.path, added.path) and op.exact:
                    exact.append(Waste(op, added, added.known_size, True))
                    alive[index] = None
                    continue
                if op.kind == "rewrite" and not op.recursive:
                    continue  # chmod of one file inside a tree of unknown content
                vague.append(Waste(op, added, None, False))
        return exact or vague


def _copied_files(context, matches, dest_path: str, to_file: bool):
    """A function listing (image path, bytes) of the files a COPY source brings, walked when first needed."""

    def load():
        files = []
        for matched, kind in matches:
            found = context.files(matched)
            if kind == "dir":
                prefix = "" if matched == "." else matched + "/"
                files.extend((normalize(posixpath.join(dest_path, f.path[len(prefix):])), f.size) for f in found)
            else:
                target = dest_path if to_file else normalize(posixpath.join(dest_path, posixpath.basename(matched)))
                files.extend((target, f.size) for f in found)
        return files

    return load


def _is_tar(context, path: str) -> bool:
    head = context.head(path, 512)
    if not head:
        return False
    return (head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00"
            or head[:4] == b"\x28\xb5\x2f\xfd" or (len(head) >= 262 and head[257:262] == b"ustar"))


def _split_csv(text: str) -> list[str]:
    """The comma-separated fields of a --mount value (double quotes group, as Go's csv reader does)."""
    fields, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields


def format_size(size: int | None) -> str:
    if size is None:
        return "?"
    if size < 1024:
        return f"{size} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        size /= 1024
        if size < 1024 or unit == "TiB":
            return f"{size:.1f} {unit}"
    return f"{size} B"


# -- wording shared by the layer rules and the layers report ----------------------------------

def origin(item: Added | Packages) -> str:
    """"COPY at line 2"."""
    return f"{item.node.keyword} at line {item.node.span.line}"


def grouped(wastes: list[Waste]) -> list[list[Waste]]:
    """Wastes grouped by the command that causes them, in order of appearance."""
    groups: dict[tuple, list[Waste]] = {}
    for waste in wastes:
        span = waste.operation.span
        key = (span.line, span.column, span.end_line, span.end_column, waste.kind)
        groups.setdefault(key, []).append(waste)
    return list(groups.values())


def amount(wastes: list[Waste]) -> int | None:
    """Total known bytes of a group (None when no size is known)."""
    sizes = [w.size for w in wastes if w.size is not None]
    return sum(sizes) if sizes else None


def sources(wastes: list[Waste]) -> str:
    """"COPY at line 2 and RUN at line 4"."""
    names = []
    for waste in sorted(wastes, key=lambda w: w.added.node.span.line):
        name = origin(waste.added)
        if name not in names:
            names.append(name)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
