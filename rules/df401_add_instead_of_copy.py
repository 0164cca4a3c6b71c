"""DF401 add-instead-of-copy: an ADD whose sources are all local and none of them extracted.

What each source is, and whether ADD extracts it (by content when the build context is at hand, by
name otherwise), comes from the sources model (`model.sources`).
"""

import re
from collections.abc import Iterator

from dfcheck.model import Model, unpack_flag
from dfcheck.rule import Edit, Finding, Fix, Options, rule

COPY_FLAGS = {"chown", "chmod", "link", "exclude"}  # what COPY accepts of ADD's flags
# Parts of a variable's name that say it holds something to fetch.
_REMOTE_HINTS = ("URL", "URI", "LINK", "HTTP", "HOST", "REPO", "GIT", "DOWNLOAD", "REMOTE", "MIRROR")


@rule("DF401", "add-instead-of-copy", "warning", hadolint=("DL3020",), fixable="safe", reads=("ADD",))
def add_instead_of_copy(model: Model, options: Options) -> Iterator[Finding]:
    """ADD used where COPY does the same thing.

    ## What it does
    Reports an ADD whose every source is local (a path in the build context, or a heredoc) and is not
    a tar archive that ADD would extract. With the build context at hand the decision is made from
    each file's first bytes, as BuildKit makes it: a plain tar, or a gzip, bzip2 or xz stream that
    decompresses to a tar, is extracted (so `app.tar.gz` that really is one is fine); a zip, a jar,
    or a `.gz` of a file that is not a tar is copied as is. Without the context the name decides:
    `.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz` (and zstd) names are taken for archives, and a
    bare `.gz`, `.bz2`, `.xz` is left alone. A wildcard is reported unless its fixed part names an
    archive (`*.tar*`, `*.tgz`, `app-*.txz`), as hadolint does, but with no automatic fix. Variables
    are expanded first; when a value is unknown, only the static part can decide (`app-$VERSION.jar`
    is a jar whatever the version). A source that is a variable alone is taken for a local file when
    the file it is copied to is no archive (`ADD ${JAR_FILE} app.jar`), and the message says so,
    unless the variable's name speaks of a URL or a repository (`$DOWNLOAD_URL`). A directory is
    never extracted. `ADD --unpack=false` extracts nothing.

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
    (`--checksum`, `--keep-git-dir`, `--unpack`), or a wildcard or a variable judged by a name alone,
    no fix is offered.
    """
    for stage in model.stages:
        for node in stage.find("ADD"):
            if len(node.args) < 2:
                continue
            unpack = unpack_flag(model, node)
            if node.flag("unpack") is not None and unpack is None:
                continue
            reasons, patterns, assumed = [], [], []
            for source in model.sources(node):
                if source.kind == "heredoc":
                    continue
                if source.kind is None and unpack is not False:
                    guess = _local_by_name(source)
                    if guess is None:
                        break  # `$URL`: it may be fetched
                    assumed.append(guess)
                    continue
                if not source.local:
                    break  # a URL or git source (or one that can't be told): ADD is needed
                if unpack is False:
                    continue
                extracted, reason, how = source.extract
                if extracted is not False:
                    break  # extracted, or maybe: ADD may be needed
                if reason:
                    reasons.append(reason)
                if how == "wildcard":
                    patterns.append(source.value)
            else:
                yield _finding(node, unpack, reasons, patterns, assumed)


def _local_by_name(source):
    """For a source a variable hides (`ADD ${JAR_FILE} app.jar`): what is assumed to take it for a local file that
    is no archive, judged by the static end of its name or else by the file it is copied to; None when it may
    be a URL or an archive."""
    from dfcheck.model import ARCHIVE_SUFFIXES

    raw = source.arg.value
    names = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", raw)
    if not names or any(any(hint in n.upper() for hint in _REMOTE_HINTS) for n in names):
        return None
    if source.prefix or "/" in source.suffix:
        return None  # `http${S}://...`, `${BASE}/app.py`: the variable may hold a URL
    tail = source.suffix.rsplit("/", 1)[-1].lower()
    if not tail and not source.dest_dir and source.dest:
        tail = source.dest.rsplit("/", 1)[-1].lower()  # the file it becomes: `app.jar`
    if "." not in tail or tail.endswith(ARCHIVE_SUFFIXES):
        return None
    return f"{raw} names a local file"


def _finding(node, unpack, reasons, patterns, assumed=()):
    if unpack is False:
        message = "ADD --unpack=false copies local sources as they are, like COPY; use COPY"
    elif reasons:
        message = f"{'; '.join(reasons)}, so ADD copies it as is, like COPY; use COPY"
    elif patterns:
        shown = " and ".join(f"`{p}`" for p in patterns)
        message = (f"ADD of local sources that are not tar archives does what COPY does ({shown} names no archive); "
                   "use COPY")
    else:
        message = "ADD of local sources that are not tar archives does what COPY does; use COPY"
    if assumed and unpack is not False:
        message = message.replace("; use COPY", f" (assuming {' and '.join(assumed)}); use COPY", 1)
    fix = None
    # Without the build context a pattern, or a variable, is judged by a name alone: no automatic fix.
    if all(flag.name in COPY_FLAGS for flag in node.flags) and not patterns and not assumed:
        fix = Fix("safe", [Edit(node.keyword_span, "COPY")], "Replace ADD with COPY")
    return Finding(node.keyword_span, message, fix)
