"""DF418 copy-source-missing."""

import posixpath
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

# Directories that hold what a build writes before `docker build` runs (a CI step, `mvn package`, `npm run
# build`): a source under one of them missing from a checkout is no sign of a broken build.
_GENERATED = frozenset({"dist", "build", "target", "out", "output", "bin", "obj", "publish", "release", "releases",
                        "artifacts", "artifact", "_output", ".next", "node_modules", "vendor", "site", "public",
                        "lib", "libs", "pkg", "tmp"})


@rule("DF418", "copy-source-missing", "error", reads=("COPY", "ADD"))
def copy_source_missing(model: Model, options: Options) -> Iterator[Finding]:
    """COPY or ADD names a file or directory the build context does not hold, or that `.dockerignore` leaves
    out: `docker build` fails.

    ## What it does
    Needs the build context (`--context`, the configuration's `context`, a Compose or Bake
    definition, or else the Dockerfile's directory). Reports a source of the context (not `--from`,
    not a URL, a git repository or a heredoc), named without wildcards and with every variable
    known, that matches nothing the context sends to the builder: it does not exist, or
    `.dockerignore` excludes it (or everything under it).

    To keep a wrong guess of the context from filling a report with errors, a source is reported
    only when the context holds at least one other source of the same Dockerfile, named without
    wildcards (the sign that it
    is the context the file is built with), when the scan of the context was not stopped by its
    bounds, and when the source is not under a directory builds usually write before
    `docker build` runs (`dist`, `build`, `target`, `out`, `bin`, `obj`, `publish`, ...). Wildcards
    that match nothing are never reported: BuildKit copies nothing and goes on.

    ## Why is this bad?
    BuildKit stops with `failed to compute cache key: ... "/app.conf": not found`. Either the path
    is wrong (a typo, a path relative to the Dockerfile instead of the context), the file is not
    committed, or `.dockerignore` is too broad.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    COPY nginx.conf /etc/nginx/nginx.conf
    COPY conf/app.conf /etc/nginx/conf.d/
    ```
    where the build context has `nginx.conf` and `config/app.conf`:
    ```context
    nginx.conf
    config/app.conf
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    COPY nginx.conf /etc/nginx/nginx.conf
    COPY config/app.conf /etc/nginx/conf.d/
    ```

    ## Fix safety
    No automatic fix.

    ## Relation to other checks
    DF416 (BuildKit's experimental CopyIgnoredFile) also names a source `.dockerignore` excludes, as
    a warning and off by default; this rule reports what makes the build fail.
    """
    context = model.context
    if context is None:
        return
    candidates, found = [], False
    for node in model.instructions:
        if node.keyword not in ("COPY", "ADD") or node.error or node.flag("from") is not None:
            continue
        for source in model.sources(node):
            if source.kind not in ("file", "dir", "glob") or source.value is None:
                continue
            if source.kind == "glob" or source.glob:
                continue  # an empty match copies nothing and fails nothing; a match is no sign of the right context
            if source.matches:
                found = True
            else:
                candidates.append(source)
    if not found or not candidates or context.partial:
        return
    for source in candidates:
        path = context.clean(source.value)
        if _GENERATED.intersection(path.split("/")[:-1] if source.kind == "file" else path.split("/")):
            continue
        shown = source.value
        if context.ignored(path):
            ignore = posixpath.basename(context.ignore_file or ".dockerignore")
            why = f"{ignore} excludes it, so it is not in the build context"
        else:
            why = "it is not in the build context"
        yield Finding(source.span, f"docker build would fail: {shown!r} is not found ({why}); BuildKit stops with "
                                   f"\"/{path}\": not found")
