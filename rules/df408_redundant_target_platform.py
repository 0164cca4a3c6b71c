"""DF408 redundant-target-platform."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span
from dfcheck.syntax.expansion import ExpansionError

_PROBE = "\x00target\x00"  # stands for whatever platform the build targets


@rule("DF408", "redundant-target-platform", "info", hadolint=("DL3065",), buildkit=("RedundantTargetPlatform",),
      fixable="safe")
def redundant_target_platform(model: Model, options: Options) -> Iterator[Finding]:
    """`FROM --platform=$TARGETPLATFORM`, which is what FROM does anyway.

    ## What it does
    Reports a FROM whose `--platform` expands to `$TARGETPLATFORM` and nothing else (`$TARGETPLATFORM`,
    `${TARGETPLATFORM}`, `${TARGETPLATFORM:-linux/amd64}`), as BuildKit's RedundantTargetPlatform check
    does ("Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default
    behavior").

    ## Why is this bad?
    A stage is built for the target platform unless told otherwise; the flag adds nothing but the
    suggestion that it matters, next to stages where it does (`--platform=$BUILDPLATFORM`).

    ## Example
    ```dockerfile
    FROM --platform=$TARGETPLATFORM alpine
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    ```

    ## Fix safety
    The fix removes the flag. It is safe: the stage is built for the same platform without it.
    """
    for stage in model.stages:
        flag = stage.node.flag("platform")
        if flag is None or not flag.value or "TARGETPLATFORM" not in flag.value:
            continue
        try:
            result = model.lexer.process_word(flag.value, {"TARGETPLATFORM": _PROBE})
        except ExpansionError:
            continue
        if result.value != _PROBE or result.used != {"TARGETPLATFORM"} or result.unset:
            continue
        line = model.dockerfile.lines[flag.span.end_line - 1]
        end = flag.span.end_column
        while end <= len(line) and line[end - 1:end] in (" ", "\t"):
            end += 1
        fix = Fix("safe", [Edit(Span(flag.span.line, flag.span.column, flag.span.end_line, end), "")],
                  "Remove the --platform flag")
        yield Finding(flag.span, f"setting platform to predefined {flag.value} in FROM is redundant as this is "
                                 "the default behavior", fix)
