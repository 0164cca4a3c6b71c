"""DF401 add-instead-of-copy, and what the ADD rules share: where each source comes from, and whether
ADD would extract it.

ADD differs from COPY in two ways only: it fetches URLs and git repositories, and it extracts local
tar streams (plain, gzip, bzip2, xz; recent builders also zstd). Whether a local file is a tar
stream is decided, as BuildKit decides it, from its content: a compressed stream is extracted only
when what it decompresses to is a tar. Without the build context dfcheck decides from the name.
"""

from __future__ import annotations

import re

from dfcheck.records import fields_eq, fields_repr
from dfcheck.rule import Edit, Finding, Fix, rule

# Names ADD extracts when the file really is what the name says.
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".taz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz",
                ".tar.zst", ".tzst", ".tar.zstd")
# Compressed files that may or may not hold a tar: ADD extracts `x.gz` only if it decompresses to a tar.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zstd")
# Archives ADD never extracts (and fetched archives, which it never extracts either).
OTHER_ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
COPY_FLAGS = {"chown", "chmod", "link", "exclude"}  # what COPY accepts of ADD's flags
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


# -- sources ---------------------------------------------------------------------------------

class Source:
    """One source of an ADD, with what dfcheck can tell about it (a plain class: see dfcheck.records)."""

    __slots__ = ("arg", "value", "prefix", "suffix", "kind")

    def __init__(self, arg: object, value: str | None, prefix: str, suffix: str, kind: str | None):
        self.arg = arg  # the syntax Arg
        self.value = value  # the expanded value, None when a variable in it is unknown
        self.prefix = prefix  # the static text before the first unknown variable (the whole value when known)
        self.suffix = suffix  # the static text after the last unknown variable (likewise)
        self.kind = kind  # "heredoc", "local", "url", "git"; None when it cannot be told

    __repr__ = fields_repr
    __eq__ = fields_eq

    @property
    def shown(self) -> str:
        return self.value if self.value is not None else self.arg.value

    @property
    def tail(self) -> str:
        """The static end of its last path component (after the last variable or wildcard)."""
        text = self.suffix.rsplit("/", 1)[-1]
        return re.split(r"[*?\[\]]", text)[-1]

    @property
    def name_certain(self) -> bool:
        """True when the last path component is fully known and has no wildcard."""
        return self.value is not None and not re.search(r"[*?\[]", self.value.rsplit("/", 1)[-1])


def static_parts(model, node, raw: str) -> tuple[str | None, str, str]:
    """(value, prefix, suffix) of `raw` expanded as BuildKit expands `node`'s arguments: the value when
    every variable is known, else None and the static text before the first and after the last
    unknown variable."""
    expansion = model.expand(node, raw)
    if expansion.exact and expansion.error is None:
        return expansion.value, expansion.value, expansion.value
    if expansion.error is not None:
        return None, "", ""
    from dfcheck.syntax.words import ExpansionError

    env = model.scope(node).values()
    try:
        unknown = model.lexer.process_word(raw, env).unset
        marked = model.lexer.process_word(raw, {**env, **{name: _SENTINEL for name in unknown}}).value
    except ExpansionError:
        return None, "", ""
    return None, marked.split(_SENTINEL, 1)[0], marked.rsplit(_SENTINEL, 1)[-1]


def is_git(text: str) -> bool:
    """A source BuildKit fetches with git (by its static beginning and, for https, its path)."""
    lower = text.lower()
    if lower.startswith(("git://", "git@", "ssh://", "git+ssh://", "github.com/")):
        return True
    if lower.startswith(("http://", "https://")):
        path = re.split(r"[#?]", lower, maxsplit=1)[0]
        return path.endswith(".git")
    return False


def classify(model, node, arg) -> Source:
    heredoc = any(h.marker_span == arg.span for h in node.heredocs)
    value, prefix, suffix = static_parts(model, node, arg.value)
    if heredoc:
        return Source(arg, value, prefix, suffix, "heredoc")
    if _SCHEME.match(prefix) or prefix.lower().startswith(("git@", "github.com/")):
        # With unknown variables, judge by the static parts around a stand-in: `https://host/$REPO.git`.
        kind = "git" if is_git(value if value is not None else prefix + "x" + suffix) else "url"
        return Source(arg, value, prefix, suffix, kind)
    if value is None and (not prefix or prefix.isalpha()):
        return Source(arg, value, prefix, suffix, None)  # `$URL`, `http${S}://...`: can't tell
    return Source(arg, value, prefix, suffix, "local")


def sources(model, node) -> list[Source]:
    return [classify(model, node, arg) for arg in node.args[:-1]]


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


def archive_by_name(source: Source) -> bool | None:
    """Whether ADD would extract a local source, judged by its name: True for tar names, None for a
    compressed name that may or may not hold a tar (and for a wildcard or variable that could end in
    one), False otherwise (directories, zip, jar, anything else)."""
    if source.value is not None and (source.value.endswith("/") or source.value.rsplit("/", 1)[-1] in (".", "..")):
        return False
    tail = source.tail.lower()
    if tail.endswith(TAR_SUFFIXES):
        return True
    if tail.endswith(COMPRESSED_SUFFIXES):
        return None
    if not source.name_certain and any(s.endswith(tail) for s in TAR_SUFFIXES + COMPRESSED_SUFFIXES):
        return None  # `*`, `lib*z`, `app-$V`: could still name a tarball
    return False


def archive_in_context(model, source: Source) -> tuple[bool | None, str | None] | None:
    """(extracted?, why not) from the build context's bytes; None when the context cannot say
    (no context, a variable in the path, or nothing there)."""
    context = getattr(model, "context", None)
    if context is None or source.value is None:
        return None
    path = context.clean(source.value)
    files = context.files(path)
    if not files:
        return None
    kind = context.kind(path)  # None for a wildcard pattern
    if kind is not None:
        if len(files) != 1 or files[0].path != path:
            return False, None  # a directory (or a link to one): copied, nothing inside is extracted
        candidates = files
    else:
        from dfcheck.model.context import go_match

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


# -- the rule --------------------------------------------------------------------------------

@rule("DF401", "add-instead-of-copy", "warning", hadolint=("DL3020",), fixable="safe")
def add_instead_of_copy(model, options):
    """ADD used where COPY does the same thing.

    ## What it does
    Reports an ADD whose every source is local (a path in the build context, or a heredoc) and is not
    a tar archive that ADD would extract. With the build context at hand the decision is made from
    each file's first bytes, as BuildKit makes it: a plain tar, or a gzip, bzip2 or xz stream that
    decompresses to a tar, is extracted (so `app.tar.gz` that really is one is fine); a zip, a jar,
    or a `.gz` of a file that is not a tar is copied as is. Without the context the name decides:
    `.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz` (and zstd) names are taken for archives, and a
    bare `.gz`, `.bz2`, `.xz` or a wildcard that could match an archive is left alone. Variables are
    expanded first; when a value is unknown, only the static part can decide (`app-$VERSION.jar` is a
    jar whatever the version; `$FILE` could be anything, and is not reported). A directory is never
    extracted. `ADD --unpack=false` extracts nothing.

    ## Why is this bad?
    ADD has two extra powers, fetching URLs and extracting archives, and nothing in the instruction
    says which one is meant. Using it to copy plain files hides nothing today but surprises the day
    a tarball lands in the copied path. COPY says exactly what happens.

    ## Example
    ```dockerfile
    FROM python:3.12
    ADD requirements.txt app.py /app/
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12
    COPY requirements.txt app.py /app/
    ```

    ## Fix safety
    The fix replaces ADD with COPY and keeps the flags, which COPY accepts too (`--chown`,
    `--chmod`, `--link`, `--exclude`). It is safe: for these sources both instructions copy the same
    files with the same ownership and permissions. When the ADD has a flag COPY does not accept
    (`--checksum`, `--keep-git-dir`, `--unpack`), no fix is offered.
    """
    for stage in model.stages:
        for node in stage.find("ADD"):
            if len(node.args) < 2:
                continue
            unpack = unpack_flag(model, node)
            if node.flag("unpack") is not None and unpack is None:
                continue
            reasons = []
            for source in sources(model, node):
                if source.kind == "heredoc":
                    continue
                if source.kind != "local":
                    break  # a URL or git source (or one that can't be told): ADD is needed
                if unpack is False:
                    continue
                sniffed = archive_in_context(model, source)
                if sniffed is None:
                    if archive_by_name(source) is not False:
                        break
                    continue
                extracted, reason = sniffed
                if extracted is not False:
                    break
                if reason:
                    reasons.append(reason)
            else:
                yield _finding(node, unpack, reasons)


def _finding(node, unpack, reasons):
    if unpack is False:
        message = "ADD --unpack=false copies local sources as they are, like COPY; use COPY"
    elif reasons:
        message = f"{'; '.join(reasons)}, so ADD copies it as is, like COPY; use COPY"
    else:
        message = "ADD of local sources that are not tar archives does what COPY does; use COPY"
    fix = None
    if all(flag.name in COPY_FLAGS for flag in node.flags):
        fix = Fix("safe", [Edit(node.keyword_span, "COPY")], "Replace ADD with COPY")
    return Finding(node.keyword_span, message, fix)
