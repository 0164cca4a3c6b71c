from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span


@rule("DF006", "empty-continuation-line", "warning", buildkit=("NoEmptyContinuation",), fixable="safe")
def empty_continuation_line(model: Model, options: Options) -> Iterator[Finding]:
    """An empty line inside a continued instruction.

    ## What it does
    Reports an instruction with blank lines between its continuation lines, once, where BuildKit's
    NoEmptyContinuation check reports it: at the instruction's last line (the line BuildKit's parser is on
    when it notices), naming the empty lines.

    ## Why is this bad?
    The builder skips them, so the instruction goes on past the blank line, which reads as if it
    had ended there. BuildKit warns that empty continuation lines will become errors.

    ## Example
    ```dockerfile
    FROM debian:12
    RUN apt-get update && \\

        apt-get install -y curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    RUN apt-get update && \\
        apt-get install -y curl
    ```

    ## Fix safety
    The fix deletes the empty lines; it is safe: the builder ignores them anyway.
    """
    for node in model.instructions:
        empty = node.empty_continuation_lines
        if not empty:
            continue
        last = max([node.segments[-1][1]] + empty) if node.segments else empty[-1]
        edits = [Edit(Span(line, 1, line + 1, 1), "") for line in empty]
        fix = Fix("safe", edits, "Remove the empty lines")
        lines = ", ".join(str(n) for n in empty)
        what = f"empty continuation line {lines}" if len(empty) == 1 else f"empty continuation lines {lines}"
        yield Finding(model.dockerfile.line_span(last), f"{what} inside the {node.keyword} at line {node.span.line}",
                      fix)
