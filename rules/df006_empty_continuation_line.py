from dfcheck.rule import Edit, Finding, Fix, rule
from dfcheck.syntax.nodes import Span


@rule("DF006", "empty-continuation-line", "warning", buildkit=("NoEmptyContinuation",), fixable="safe")
def empty_continuation_line(model, options):
    """An empty line inside a continued instruction.

    ## What it does
    Reports blank lines between the continuation lines of one instruction.

    ## Why is this bad?
    The builder skips them, so the instruction goes on past the blank line, which reads as if it
    had ended there. BuildKit warns that empty continuation lines will become errors.

    ## Example
    ```dockerfile
    RUN apt-get update && \\

        apt-get install -y curl
    ```

    ## Use instead
    ```dockerfile
    RUN apt-get update && \\
        apt-get install -y curl
    ```

    ## Fix safety
    The fix deletes the empty lines; it is safe: the builder ignores them anyway.
    """
    for node in model.instructions:
        for line in node.empty_continuation_lines:
            span = model.dockerfile.line_span(line)
            fix = Fix("safe", [Edit(Span(line, 1, line + 1, 1), "")], "Remove the empty line")
            yield Finding(span, f"empty continuation line inside the {node.keyword} at line {node.span.line}", fix)
