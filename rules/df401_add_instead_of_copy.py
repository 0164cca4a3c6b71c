"""DF401 add-instead-of-copy: an ADD whose sources are all local and none of them extracted.

What each source is, and whether ADD extracts it (by content when the build context is at hand, by
name otherwise), comes from the sources model (`model.sources`).
"""

from dfcheck.model.sources import unpack_flag
from dfcheck.rule import Edit, Finding, Fix, rule

COPY_FLAGS = {"chown", "chmod", "link", "exclude"}  # what COPY accepts of ADD's flags


@rule("DF401", "add-instead-of-copy", "warning", hadolint=("DL3020",), fixable=True)
def add_instead_of_copy(model, options):
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
    is a jar whatever the version; `$FILE` could be anything, and is not reported). A directory is
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
    (`--checksum`, `--keep-git-dir`, `--unpack`), or a wildcard judged without the build context, no
    fix is offered.
    """
    for stage in model.stages:
        for node in stage.find("ADD"):
            if len(node.args) < 2:
                continue
            unpack = unpack_flag(model, node)
            if node.flag("unpack") is not None and unpack is None:
                continue
            reasons, patterns = [], []
            for source in model.sources(node):
                if source.kind == "heredoc":
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
                yield _finding(node, unpack, reasons, patterns)


def _finding(node, unpack, reasons, patterns):
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
    fix = None
    # Without the build context a pattern is judged by its name alone: no automatic fix.
    if all(flag.name in COPY_FLAGS for flag in node.flags) and not patterns:
        fix = Fix("safe", [Edit(node.keyword_span, "COPY")], "Replace ADD with COPY")
    return Finding(node.keyword_span, message, fix)
