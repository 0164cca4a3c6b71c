"""DF416 copy-ignored-file."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

_WILDCARDS = frozenset("*?[")


@rule("DF416", "copy-ignored-file", "warning", buildkit=("CopyIgnoredFile",), enabled=False, reads=("COPY", "ADD"))
def copy_ignored_file(model: Model, options: Options) -> Iterator[Finding]:
    """COPY or ADD names a file that `.dockerignore` leaves out of the build context.

    ## What it does
    Needs the build context. Reports a COPY or ADD source from the context (not `--from`, not a URL or a
    heredoc) that the context's `.dockerignore` excludes, as BuildKit's CopyIgnoredFile check does
    ("Attempting to Copy file \\"app.jar\\" that is excluded by .dockerignore"). Sources with wildcards are
    left alone: they may match other files as well.

    It is off by default, as the check is experimental in BuildKit; select it, or name it in the
    Dockerfile's `# check=experimental=CopyIgnoredFile` directive, which turns it on for that file as it
    does in BuildKit.

    ## Why is this bad?
    The file is not sent to the builder: the build fails with "not found", or, for a directory, copies
    only the part that is not excluded. Either the ignore pattern or the COPY is wrong.

    ## Example
    ```dockerfile
    FROM nginx
    COPY README.md /usr/share/nginx/html/
    ```
    with this build context (`.dockerignore` has the line `*.md`):
    ```context
    .dockerignore: *.md
    README.md
    ```

    ## Use instead
    The same Dockerfile, with `!README.md` after `*.md` in `.dockerignore`:
    ```context
    .dockerignore: *.md
    .dockerignore: !README.md
    README.md
    ```
    ```dockerfile
    FROM nginx
    COPY README.md /usr/share/nginx/html/
    ```

    ## Fix safety
    No automatic fix.
    """
    context = model.context
    if context is None or context.ignore_file is None:
        return
    for node in model.instructions:
        if node.keyword not in ("COPY", "ADD") or node.error or node.flag("from") is not None:
            continue
        for arg in node.args[:-1]:
            expansion = model.expand(node, arg.value)
            source = expansion.value
            if not expansion.exact or not source or _WILDCARDS.intersection(source) or "://" in source:
                continue
            if (node.heredocs and arg.value.startswith("<<")) or source.startswith("git@"):
                continue
            if context.ignored(source):
                verb = node.keyword.capitalize()
                yield Finding(arg.span, f'attempting to {verb} file "{source}" that is excluded by .dockerignore')
