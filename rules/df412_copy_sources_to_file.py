"""DF412 copy-sources-to-file."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

_WILDCARDS = frozenset("*?[")


@rule("DF412", "copy-sources-to-file", "error", hadolint=("DL3021",), fixable="unsafe", reads=("COPY", "ADD"))
def copy_sources_to_file(model: Model, options: Options) -> Iterator[Finding]:
    """COPY or ADD with several sources and a destination that does not end with `/`.

    ## What it does
    Reports a COPY or ADD that names more than one source (files, directories, heredocs), or, when the build
    context is at hand, a wildcard source that matches more than one path in it, while its destination does
    not end with `/` (nor is `.`, nor, for a Windows path, ends with `\\`).

    ## Why is this bad?
    The classic builder fails: "When using COPY with more than one source file, the destination must be a
    directory and end with a /". BuildKit builds, but copies each source file onto the destination path in
    turn, so only the last one is left, unless the destination already is a directory in the image. A
    wildcard that matches one file today (`COPY target/*.jar app.jar`) silently ships the wrong file the day
    it matches two.

    ## Example
    ```dockerfile
    FROM alpine
    COPY a.txt b.txt /dest
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    COPY a.txt b.txt /dest/
    ```

    ## Fix safety
    The fix appends `/` to the destination. It is unsafe: with BuildKit, when `/dest` did not exist, the
    files now land in a directory `/dest/` instead of on a file `/dest`, which is what the line means but
    not what the build did.
    """
    context = None
    for node in model.instructions:
        if node.keyword not in ("COPY", "ADD") or node.error or len(node.args) < 2:
            continue
        dest = model.expand(node, node.args[-1].value).value
        if dest.endswith(("/", "\\")) or dest in (".", "..") or dest.endswith(("/.", "/..")):
            continue
        sources = node.values[:-1]
        what = f"{len(sources)} sources"
        if len(sources) == 1:
            source = model.expand(node, sources[0]).value
            if node.flag("from") is not None or not _WILDCARDS.intersection(source):
                continue
            if context is None:
                context = model.context or False
            if not context:
                continue
            count = len(context.matches(source))
            if count < 2:
                continue
            what = f"the wildcard {source}, which matches {count} paths in the build context"
        span = node.args[-1].span
        fix = None
        if not node.json:
            end = Span(span.end_line, span.end_column, span.end_line, span.end_column)
            fix = Fix("unsafe", [Edit(end, "/")], "Append / to the destination")
        yield Finding(span, f"{node.keyword} copies {what} to {dest}, which does not end with /: the classic "
                            f"builder fails (\"When using {node.keyword} with more than one source file, the "
                            "destination must be a directory and end with a /\") and BuildKit keeps only the "
                            "last file", fix)
