"""What each source of a COPY or ADD is, and what it brings into the image.

One model for every reader: the ADD rules (DF401-DF403), the build-cache rules (DF101, DF104), the
filesystem effects of a layer and `dfcheck layers`. `Model.sources(node)` gives a `Source` per
source argument, with:

- its kind: a local "file", "dir", "glob" or the whole "context", a "heredoc", a "url", a "git"
  repository, a "stage" (`--from`, another stage or an image), or None when a variable hides it;
- its destination in the image;
- whether ADD extracts it. ADD differs from COPY in two ways only: it fetches URLs and git
  repositories, and it extracts local tar streams (plain, gzip, bzip2, xz; recent builders also zstd).
  BuildKit decides from the content: a compressed stream is extracted only when what it decompresses
  to is a tar, so `notes.txt.gz` holding plain text is copied as it is. With the build context at
  hand dfcheck decides from the file's first bytes; without it, from the name;
- what it brings and at which paths (`landing`, `brings`), with file sizes from the build context.

Without the build context (or when the context does not hold the source, so that it is not the one
the build gets) a source named without an extension (`COPY app /srv/app`) is taken for a directory,
and `guessed` says so.
"""

from __future__ import annotations

import posixpath
import re

from ..records import fields_repr
from .paths import BIN_DIRS, SHARED_DIRS, normalize, url_basename

# Names ADD extracts when the file really is what the name says.
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".taz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz",
                ".tar.zst", ".tzst", ".tar.zstd")
# Compressed files that may or may not hold a tar: ADD extracts `x.gz` only if it decompresses to a tar.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zstd")
# Archives ADD never extracts (and fetched archives, which it never extracts either).
OTHER_ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
ARCHIVE_SUFFIXES = TAR_SUFFIXES + COMPRESSED_SUFFIXES + OTHER_ARCHIVE_SUFFIXES
# Sources that name the whole build context.
WHOLE_CONTEXT = frozenset({".", "./", "/", "*", "./*", "**"})
# Names without an extension that are files in any project (a project's manifests, lock files and wrapper
# scripts are in the command catalog: `commands.languages.PROJECT_FILES`).
WELL_KNOWN_FILES = frozenset({
    "Dockerfile", "Containerfile", "LICENSE", "LICENCE", "COPYING", "NOTICE", "README", "AUTHORS", "CHANGELOG",
    "VERSION", "CODEOWNERS", "Vagrantfile", "Jenkinsfile", "Caddyfile", "Earthfile", "Tiltfile", "Guardfile",
    "Capfile",
})
# Directories that by the usual layout of projects hold the project's own code, which no dependency install reads
# (`COPY src ./src`); and directories of dependencies or of a build tool's own setup, which installs and builds
# may read (`vendor`, `packages`, the `gradle` wrapper).
SOURCE_DIRS = frozenset({"src", "app", "web", "www", "public", "static", "templates", "views", "components", "pages",
                         "assets", "cmd", "internal", "api", "server", "client", "frontend", "backend", "tests", "test",
                         "spec", "docs"})
# Directories an application typically creates when it runs (caches, temporary files, logs, pid files, sockets,
# uploads): a path through one of them inside a copied tree of unknown content is taken not to come from the copy.
RUNTIME_DIRS = frozenset({"cache", ".cache", "tmp", "temp", "log", "logs", "run", "pids", "sockets", "sessions",
                          "uploads", "storage"})
# Directories named for the manifests they hold (`requirements/base.txt`, `prod.txt`, which include each other): a
# copy of one is the copy of the manifests an install needs.
MANIFEST_DIRS = frozenset({"requirements", "reqs", "requirements.d", "constraints"})
# Directories a build writes its output to (`dist/packages/server/api`, `target/`): a manifest under one, read after a
# build ran, is one the build wrote.
BUILD_OUTPUT_DIRS = frozenset({"dist", "build", "out", "output", ".next", ".output", "target", "publish"})
# Directories of configuration, which rarely change (`COPY config/ /config`): no cache buster for what comes after.
CONFIG_DIRS = frozenset({"config", "configs", "conf", "conf.d", "etc", "settings", ".config"})
DEPENDENCY_DIRS = frozenset({"vendor", "node_modules", "third_party", "third-party", "packages", "gradle", ".mvn",
                             ".cargo", ".yarn", "patches", "wheels"})
# Extensions of source code in the languages whose projects install dependencies from manifests: a file or a pattern
# named so (`app.py`, `*.go`) is the project's code, which no dependency install reads.
CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".vue", ".svelte", ".go", ".rs", ".rb", ".php",
                 ".java", ".kt", ".scala", ".groovy", ".cs", ".fs", ".vb", ".ex", ".exs", ".erl", ".c", ".cc", ".cpp",
                 ".h", ".hpp", ".swift", ".dart", ".lua", ".pl", ".r", ".jl", ".clj", ".hs", ".ml", ".zig", ".nim")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_SENTINEL = "\x00"


# -- content sniffing (pure: the bytes come from model.context.head) -------------------------

def compression_of(head: bytes) -> str | None:
    """"gzip", "bzip2", "xz" or "zstd" when `head` starts a stream ADD would decompress, else None
    (the magic numbers moby's archive package looks for)."""
    if head.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    return None


def is_tar_header(block: bytes) -> bool:
    """Whether a 512-byte block is a tar header Go's archive/tar accepts: not all zeros, and its
    checksum field matches the sum of its bytes (unsigned or signed), whatever the format (v7,
    ustar, GNU, PAX)."""
    if len(block) < 512:
        return False
    block = block[:512]
    if not any(block):
        return False
    field = block[148:156].decode("latin-1").strip(" \x00")
    try:
        stored = int(field, 8) if field else 0
    except ValueError:
        return False
    rest = block[:148] + b" " * 8 + block[156:]
    unsigned = sum(rest)
    signed = sum(b - 256 if b > 127 else b for b in rest)
    return stored in (unsigned, signed)


def add_extracts(head: bytes) -> bool | None:
    """Whether ADD extracts a local file that starts with `head`: True, False, or None when the bytes
    do not tell (a compressed stream cut before its first 512 bytes, or zstd, which the standard
    library cannot decompress).

    `head` must hold the file's first bytes, at least 512 of them when the file is that long; for a
    compressed file, enough of the stream to decompress 512 bytes (see ``bytes_needed``).
    """
    kind = compression_of(head)
    if kind is None:
        return is_tar_header(head)
    if kind == "zstd":
        return None
    # The decompressors are imported here: most runs never meet a local archive.
    if kind == "gzip":
        import zlib

        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        errors = (zlib.error,)
    elif kind == "bzip2":
        import bz2

        decompressor = bz2.BZ2Decompressor()
        errors = (OSError, ValueError)
    else:
        import lzma

        decompressor = lzma.LZMADecompressor(lzma.FORMAT_XZ)
        errors = (lzma.LZMAError,)
    try:
        block = decompressor.decompress(head, 512)
    except errors:
        return False  # not a valid stream: moby fails to read a tar from it and copies the file
    if len(block) >= 512:
        return is_tar_header(block)
    ended = getattr(decompressor, "eof", False)
    return False if ended else None


def bytes_needed(head: bytes) -> int:
    """How many leading bytes ``add_extracts`` needs, given the first 512."""
    kind = compression_of(head)
    if kind == "bzip2":
        return 1 << 20  # bzip2 emits nothing before its first block (up to 900 kB) is complete
    if kind in ("gzip", "xz"):
        return 1 << 16
    return 512


def describe_content(head: bytes) -> str:
    """Why a file that is not extracted is not (for messages)."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "it is a zip file"
    kind = compression_of(head)
    if kind:
        return f"it is {kind}-compressed, but not a tar inside"
    return "its content is not a tar stream"


# -- expansion ---------------------------------------------------------------------------------

def static_parts(model, node, raw: str) -> tuple[str | None, str, str]:
    """(value, prefix, suffix) of `raw` expanded as BuildKit expands `node`'s arguments: the value when
    every variable is known, else None and the static text before the first and after the last
    unknown variable."""
    expansion = model.expand(node, raw)
    if expansion.exact and expansion.error is None:
        return expansion.value, expansion.value, expansion.value
    if expansion.error is not None:
        return None, "", ""
    from ..syntax.expansion import ExpansionError

    env = model.scope(node).values()
    try:
        unknown = model.lexer.process_word(raw, env).unset
        marked = model.lexer.process_word(raw, {**env, **{name: _SENTINEL for name in unknown}}).value
    except ExpansionError:
        return None, "", ""
    return None, marked.split(_SENTINEL, 1)[0], marked.rsplit(_SENTINEL, 1)[-1]


def symbolic(model, node, raw: str) -> str | None:
    """`raw` expanded with each build argument of no known value written as `${NAME}`: one value for the whole
    build, so a RUN that names a path through the same argument (`./${SCOPE}-entrypoint.sh`) names the same file.
    An ENV that only passes such an argument on (`ENV SCOPE=${SCOPE}`) is written as the argument.
    None when every variable is known, or one unknown is neither."""
    from ..syntax.expansion import ExpansionError

    scope = model.scope(node)
    try:
        unknown = model.lexer.process_word(raw, scope.values()).unset
        if not unknown:
            return None
        symbols = {name: build_argument(model, scope, name) for name in unknown}
        if None in symbols.values():
            return None
        marked = {name: "${" + argument + "}" for name, argument in symbols.items()}
        return model.lexer.process_word(raw, {**scope.values(), **marked}).value
    except ExpansionError:
        return None


_PASSED_ON = re.compile(r'"?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"?')


def build_argument(model, scope, name: str) -> str | None:
    """The build argument of no known value that the variable `name` holds in `scope`: itself when it is one, the
    argument an ENV passes on (`ARG SCOPE`, `ENV SCOPE=${SCOPE}`: the ENV has the argument's value, one for the
    whole build); None for anything else (an ENV made of more than one argument, one of the base image)."""
    for _ in range(4):  # `ENV A=$B`, `ENV B=$C`...: a short chain at most
        variable = scope.env.get(name)
        if variable is None:
            found = scope.args.get(name)
            return name if found is not None and found.value is None else None
        if variable.value is not None or variable.node is None:
            return None
        pair = next((p for p in reversed(variable.node.pairs) if p.key == name), None)
        passed = _PASSED_ON.fullmatch(pair.value or "") if pair is not None else None
        if passed is None or passed.group(0).count('"') == 1:
            return None
        name, scope = passed.group(1) or passed.group(2), model.scope(variable.node)
    return None


def is_git(text: str) -> bool:
    """A source BuildKit fetches with git (by its static beginning and, for https, its path)."""
    lower = text.lower()
    if lower.startswith(("git://", "git@", "ssh://", "git+ssh://", "github.com/")):
        return True
    if lower.startswith(("http://", "https://")):
        path = re.split(r"[#?]", lower, maxsplit=1)[0]
        return path.endswith(".git")
    return False


def unpack_flag(model, node) -> bool | None:
    """`--unpack`: True, False, or None when absent (or its value unknown)."""
    flag = node.flag("unpack")
    if flag is None:
        return None
    if flag.value is None:
        return True
    value = model.expand(node, flag.value)
    if not value.exact:
        return None
    return value.value.strip().lower() in ("true", "1", "yes", "on", "")


# -- the model -----------------------------------------------------------------------------------

class Landing:
    """Something a source puts into the image: a file, or a directory tree with what is under it."""

    __slots__ = ("path", "what", "tree", "owned", "guessed", "loader")

    def __init__(self, path: str, what: str, tree: bool = False, owned: bool = True, guessed: bool = False,
                 loader=None):
        self.path = path  # absolute, normalized
        self.what = what  # "COPY", "ADD", "COPY --from=build", "extract", "download", "git checkout"
        self.tree = tree
        self.owned = owned  # False: merged into a directory other layers' files share (/usr/local/bin)
        self.guessed = guessed  # `tree` is a guess from the name: it may be a file
        self.loader = loader  # () -> [(image path, bytes)], from the build context

    __repr__ = fields_repr


class Source:
    """One source argument of a COPY or ADD."""

    __slots__ = ("node", "arg", "value", "text", "prefix", "suffix", "kind", "dest", "dest_dir", "guessed", "glob",
                 "stage", "matches", "unknown", "symbolic", "_model", "_extract")

    def __init__(self, model, node, arg, value, text, prefix, suffix, kind, dest, dest_dir, stage):
        self._model = model
        self.node = node  # the COPY or ADD
        self.arg = arg  # the syntax Arg
        self.value = value  # expanded; None when a variable in it is unknown
        self.text = text  # expanded, unknown variables left empty (what messages show)
        self.prefix = prefix  # the static text before the first unknown variable (the whole value when known)
        self.suffix = suffix  # the static text after the last unknown variable (likewise)
        self.kind = kind
        self.dest = dest  # absolute; None when a variable in the destination is unknown
        self.dest_dir = dest_dir  # the destination is a directory (trailing slash, several sources, `.`)
        self.stage = stage  # the --from value
        self.glob = kind in ("glob", "dir", "file") and any(c in (value or "") for c in "*?[")
        self.guessed = False  # a directory guessed from the name (no context to tell)
        self.matches = None  # (context path, kind) pairs when the build context holds the source
        self.unknown = None  # why sizes are unknown (not in the build context)
        self.symbolic = None  # the value with build arguments of no known value as `${NAME}` (see `symbolic`)
        self._extract = None

    __repr__ = fields_repr

    @property
    def span(self):
        return self.arg.span

    @property
    def shown(self) -> str:
        return self.value if self.value is not None else self.arg.value

    @property
    def local(self) -> bool:
        return self.kind in ("file", "dir", "glob", "context", "heredoc")

    @property
    def remote(self) -> bool:
        return self.kind in ("url", "git")

    @property
    def broad(self) -> bool:
        """A whole directory or the whole context (not a directory only guessed from the name)."""
        return self.kind == "context" or (self.kind == "dir" and not self.guessed)

    @property
    def tail(self) -> str:
        """The static end of its last path component (after the last variable or wildcard)."""
        text = self.suffix.rsplit("/", 1)[-1]
        return re.split(r"[*?\[\]]", text)[-1]

    @property
    def name_certain(self) -> bool:
        """True when the last path component is fully known and has no wildcard."""
        return self.value is not None and not re.search(r"[*?\[]", self.value.rsplit("/", 1)[-1])

    # -- ADD's extraction

    @property
    def extract(self) -> tuple[bool | None, str | None, str]:
        """Whether ADD extracts this source: (True | False | None when it cannot be told, why not, how it was
        decided: "content", "name" or "kind")."""
        if self._extract is None:
            self._extract = self._decide()
        return self._extract

    @property
    def extracted(self) -> bool:
        return self.extract[0] is True

    def _decide(self):
        node = self.node
        if node.keyword != "ADD" or self.kind in (None, "heredoc", "stage", "git") or (
                self.kind == "context" and not any(c in self.text for c in "*?[")):
            return (None if self.kind is None and node.keyword == "ADD" else False), None, "kind"
        unpack = unpack_flag(self._model, node)
        if self.kind == "url":
            fetched = unpack is True and (self.tail.lower().endswith(TAR_SUFFIXES + COMPRESSED_SUFFIXES))
            return fetched, None, "name"
        if unpack is False:
            return False, None, "kind"
        if node.flag("unpack") is not None and unpack is None:
            return None, None, "kind"
        sniffed = self._by_content()
        if sniffed is not None:
            return sniffed[0], sniffed[1], "content"
        if self.value is not None and any(c in self.value.rsplit("/", 1)[-1] for c in "*?["):
            return self._wildcard_by_name(), None, "wildcard"
        return self._by_name(), None, "name"

    def _wildcard_by_name(self) -> bool | None:
        """A pattern without the build context: it may match archives only if its fixed part names one
        (`*.tar*`, `*.tgz`, `app-*.txz`); `*`, `lib*`, `*.jar` match files ADD copies as they are."""
        last = self.value.rsplit("/", 1)[-1].lower()
        if re.split(r"[*?\[\]]", last)[-1].endswith(TAR_SUFFIXES):
            return True
        archives = TAR_SUFFIXES + COMPRESSED_SUFFIXES
        for piece in re.split(r"[*?\[\]]", last):
            if ".tar" in piece or (piece and (piece.endswith(archives) or ("." + piece).endswith(archives))):
                return None
        return False

    def _by_name(self) -> bool | None:
        """True for tar names, None for a compressed name that may or may not hold a tar (and for a
        wildcard or variable that could end in one), False otherwise (directories, zip, jar, ...)."""
        if self.kind == "dir" and not self.guessed:
            return False
        if self.value is not None and (self.value.endswith("/") or self.value.rsplit("/", 1)[-1] in (".", "..")):
            return False
        tail = self.tail.lower()
        if tail.endswith(TAR_SUFFIXES):
            return True
        if tail.endswith(COMPRESSED_SUFFIXES):
            return None
        if not self.name_certain and any(s.endswith(tail) for s in TAR_SUFFIXES + COMPRESSED_SUFFIXES):
            return None  # `*`, `lib*z`, `app-$V`: could still name a tarball
        return False

    def _by_content(self) -> tuple[bool | None, str | None] | None:
        """(extracted?, why not) from the build context's bytes; None when the context cannot say."""
        context = self._model.context
        if context is None or self.value is None or self.stage is not None:
            return None
        path = context.clean(self.value)
        files = context.files(path)
        if not files:
            return None
        kind = context.kind(path)  # None for a wildcard pattern
        if kind is not None:
            if len(files) != 1 or files[0].path != path:
                return False, None  # a directory (or a link to one): copied, nothing inside is extracted
            candidates = files
        else:
            from .patterns import go_match

            # Files inside a directory the wildcard matched are copied as they are.
            candidates = [item for item in files if go_match(path, item.path)]
        verdicts, reason = [], None
        for item in candidates:
            head = context.head(item.path, 512)
            if head is None:
                return None
            need = bytes_needed(head)
            if len(head) == 512 and need > 512:
                head = context.head(item.path, need) or head
            extracted = add_extracts(head)
            if extracted is False and reason is None:
                reason = f"{item.path} is not a tar archive ({describe_content(head)})"
            verdicts.append(extracted)
        if any(v is True for v in verdicts):
            return True, None
        if any(v is None for v in verdicts):
            return None, None
        return False, reason

    # -- what lands where

    def context_files(self) -> list:
        """The build context's files this source copies (ContextFile), [] when the context does not hold it."""
        context = self._model.context
        if not self.matches or context is None:
            return []
        return [f for path, _ in self.matches for f in context.files(path)]

    def landing(self, single: bool) -> Landing | None:
        """What this source puts into the image; `single`: the only source of its instruction."""
        dest = self.dest
        if dest is None or self.kind is None and not (self.stage and single and not self.dest_dir):
            # A source of another stage named through unknown variables (`--from=build /out/tool-$ARCH`) still
            # lands at a destination that names it.
            return None
        what = f"{self.node.keyword} --from={self.stage}" if self.stage else self.node.keyword
        if self.kind == "git":
            return Landing(dest, "git checkout", tree=True)
        if self.kind == "url":
            if self.extracted:
                return Landing(dest, "extract", tree=True, owned=dest not in SHARED_DIRS)
            base = url_basename(self.text) or "download"
            return Landing(normalize(posixpath.join(dest, base)) if self.dest_dir else dest, "download")
        if self.kind == "heredoc":
            name = next((h.name for h in self.node.heredocs if h.marker_span == self.arg.span), "heredoc")
            return Landing(normalize(posixpath.join(dest, name)) if self.dest_dir else dest, what)
        if self.extracted:
            return Landing(dest, "extract", tree=True, owned=dest not in SHARED_DIRS)
        if self.value is None and self.symbolic is not None and self.stage is None and not self.matches:
            name = posixpath.basename(self.symbolic.rstrip("/"))
            if "$" in name and not _guess_tree(self.symbolic, dest, self.dest_dir)[0]:
                # `COPY scripts/${SCOPE}-entrypoint.sh ./`: a file, named through a build argument.
                return Landing(normalize(posixpath.join(dest, name)) if self.dest_dir else dest, what)
        if self.matches:
            single_file = single and len(self.matches) == 1 and self.matches[0][1] != "dir" and not self.glob
            loader = _copied_files(self._model.context, self.matches, dest, single_file and not self.dest_dir)
            if single_file and self.dest_dir:
                return Landing(normalize(posixpath.join(dest, posixpath.basename(self.matches[0][0]))), what,
                               loader=loader)
            return Landing(dest, what, tree=not single_file or self.dest_dir, loader=loader)
        # Without the context: a directory's contents go into the destination; a file keeps its name in a
        # destination directory.
        if self.kind in ("stage", None):
            tree, guessed = _guess_tree(self.text, dest, self.dest_dir)
            if guessed and self.kind == "stage" and self._model.stage_named(self.stage) is None:
                from .base_images import known_tree

                guessed = known_tree(self.stage, posixpath.normpath("/" + self.text.lstrip("/"))) is None
        else:
            tree, guessed = self.kind in ("dir", "glob", "context"), self.guessed
        name = posixpath.basename(self.text.rstrip("/"))
        if self.kind == "glob" and single and not self.dest_dir and _renames_match(name, dest):
            # `COPY target/*.jar app.jar`: the one file the pattern matches, under the destination's name.
            return Landing(dest, what)
        if self.kind == "glob" and "." in name and not any(c in posixpath.dirname(self.text) for c in "*?["):
            # `COPY package*.json ./`: files matching the pattern, not the whole destination directory.
            return Landing(normalize(posixpath.join(dest, name)), what)
        path = dest
        if self.dest_dir and not tree:
            path = normalize(posixpath.join(dest, posixpath.basename(self.text.rstrip("/"))))
        return Landing(path, what, tree=tree, owned=not (tree and path in SHARED_DIRS), guessed=guessed)

    def brings(self, path: str) -> str | None:
        """The context path through which this source puts the image file `path`, or None."""
        from .patterns import go_match

        dest = self.dest
        if dest is None or not self.local or self.kind == "heredoc":
            return None
        clean = posixpath.normpath(self.text.strip("/") or ".")
        clean = "" if clean == "." else clean
        prefix = dest.rstrip("/") + "/"
        if self.kind == "context":
            return path[len(prefix):] if path.startswith(prefix) else None
        if self.kind == "dir":
            if not path.startswith(prefix):
                return None
            rest = path[len(prefix):]
            if self.glob:
                return rest
            return posixpath.join(clean, rest) if clean else rest
        name = posixpath.basename(path)
        parent = posixpath.dirname(path)
        if self.kind == "glob":
            base = posixpath.basename(clean)
            if parent == dest.rstrip("/") or (dest == "/" and parent == "/"):
                if go_match(base, name):
                    directory = posixpath.dirname(clean)
                    return posixpath.join(directory, name) if directory else name
            return None
        target = posixpath.join(dest, posixpath.basename(clean)) if self.dest_dir else dest
        return clean if posixpath.normpath(target) == path else None


    def origin(self, path: str) -> str | None:
        """Where, in what it copies from (the build context, or the stage or image of `--from`), this source takes the
        image file or directory `path` from; None when it does not bring `path`. `COPY . /app` takes /app/x.py from
        `x.py`, `COPY --from=build /out /srv` takes /srv/bin from `/out/bin`."""
        if self.kind in ("file", "dir", "glob", "context"):
            if path == self.dest and self.kind in ("dir", "context"):
                return posixpath.normpath(self.text.strip("/") or ".")
            found = self.brings(path)
            return posixpath.normpath(found) if found is not None else None
        if self.kind != "stage" or self.dest is None or self.glob:
            return None
        landing = self.landing(single=False)
        if landing is None:
            return None
        root = posixpath.normpath("/" + self.text.lstrip("/"))
        if path == landing.path:
            return root
        if landing.tree and path.startswith(landing.path.rstrip("/") + "/"):
            return posixpath.normpath(posixpath.join(root, path[len(landing.path.rstrip("/")) + 1:]))
        return None


def sources(model, node) -> list[Source]:
    """The sources of a COPY or ADD (see Source); [] for anything else."""
    if node.keyword not in ("COPY", "ADD") or len(node.args) < 2:
        return []
    dest_arg = node.args[-1]
    dest_exp = model.expand(node, dest_arg.value)
    dest_text = dest_exp.value
    count = len(node.args) - 1
    dest_dir = dest_text.endswith("/") or dest_text in (".", "..") or dest_text.endswith("/.") or count > 1
    workdir = model.workdir(node)
    dest = normalize(posixpath.join(workdir, dest_text)) if dest_exp.exact else None
    # The working directory and those above it exist: a file copied onto one goes into it (`COPY pom.xml $APP`).
    dest_dir = dest_dir or dest is not None and (dest == workdir or workdir.startswith(dest.rstrip("/") + "/"))
    from_flag = node.flag("from")
    stage = model.expand(node, from_flag.value).value if from_flag and from_flag.value else None
    context = model.context if stage is None else None
    found = []
    for arg in node.args[:-1]:
        heredoc = any(h.marker_span == arg.span for h in node.heredocs)
        value, prefix, suffix = static_parts(model, node, arg.value)
        text = model.expand(node, arg.value).value
        kind = _kind(heredoc, stage, value, prefix, suffix)
        source = Source(model, node, arg, value, text, prefix, suffix, kind, dest, dest_dir, stage)
        if value is None and kind in ("file", "dir") and stage is None:
            source.symbolic = symbolic(model, node, arg.value)
        if kind in ("file", "dir", "glob", "context"):
            _locate(source, context, dest)
        found.append(source)
    return found


def _kind(heredoc: bool, stage, value, prefix: str, suffix: str) -> str | None:
    if heredoc:
        return "heredoc"
    if _SCHEME.match(prefix) or prefix.lower().startswith(("git@", "github.com/")):
        # With unknown variables, judge by the static parts around a stand-in: `https://host/$REPO.git`.
        return "git" if is_git(value if value is not None else prefix + "x" + suffix) else "url"
    if stage is not None:
        return "stage" if value is not None else None
    if value is None and (not prefix or prefix.isalpha()):
        return None  # `$URL`, `http${S}://...`: can't tell
    text = value if value is not None else prefix
    if text in WHOLE_CONTEXT or posixpath.normpath(text.lstrip("/") or ".") == ".":
        return "context"
    if any(c in text for c in "*?["):
        return "glob"
    # `Plume/.` (or `lib/..`) names a directory as surely as a trailing slash does.
    return "dir" if text.endswith("/") or posixpath.basename(text) in (".", "..") else "file"


def _locate(source: Source, context, dest: str | None) -> None:
    """Settle file or directory from the build context; without it, guess from the name."""
    text = source.value
    if context is not None and text is not None:
        matches = context.matches(text)
        if matches:
            source.matches = matches
            if source.kind == "file" and matches[0][1] == "dir":
                source.kind = "dir"
            elif source.kind == "glob" and any(k == "dir" for _, k in matches):
                source.kind = "dir"
            return
        source.unknown = f"{text!r} is not in the build context"
    if source.kind == "file" and _guess_tree(text or source.prefix, dest, source.dest_dir)[0]:
        source.kind, source.guessed = "dir", True


def _renames_match(pattern: str, dest: str) -> bool:
    """A destination named like the files a pattern matches (`*.jar` to `app.jar`, `*-all.jar` to `server.jar`):
    a file, not a directory to copy them into (`*.conf` to `/etc/nginx/conf.d`)."""
    name = posixpath.basename(dest)
    if pattern.endswith("*") and "." in pattern and pattern.rstrip("*") == name:
        return True  # `COPY java.security* .../java.security`: the file if it is there, nothing if not
    suffix = pattern.rsplit("*", 1)[-1] if "*" in pattern else ""
    extension = suffix[suffix.rfind("."):] if "." in suffix[:-1] else ""
    return bool(extension) and not any(c in suffix for c in "?[") and \
        name.lower().endswith(extension.lower()) and name != pattern


def _guess_tree(text: str, dest: str | None, dest_dir: bool) -> tuple[bool, bool]:
    """(a directory?, only guessed?) for a source nothing tells about: a name without an extension is taken
    for a directory, unless it is copied into a directory of programs under its own name."""
    if text in WHOLE_CONTEXT or text.endswith("/") or any(c in text for c in "*?["):
        return True, False
    base = posixpath.basename(text.rstrip("/"))
    if _PYTHON_LIB.fullmatch(base) and posixpath.basename(posixpath.dirname(text.rstrip("/"))) == "lib":
        return True, False  # `/usr/local/lib/python3.11`: Python's library directory, whatever the dot says
    in_bin = dest is not None and not dest_dir and posixpath.dirname(dest) in BIN_DIRS
    tree = "." not in base and not in_bin and not known_file(base)
    return tree, tree


_PYTHON_LIB = re.compile(r"python[23]\.[0-9]{1,2}")


def known_file(name: str) -> bool:
    """A name that is a file in any project: a manifest, a lock file, a wrapper script (`Gemfile`, `gradlew`),
    or one of the usual extensionless files (`Makefile`, `LICENSE`)."""
    from .commands.languages import PROJECT_FILES

    return name in PROJECT_FILES or name in WELL_KNOWN_FILES


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
