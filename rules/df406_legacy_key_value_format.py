"""DF406 legacy-key-value-format."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span


@rule("DF406", "legacy-key-value-format", "warning", buildkit=("LegacyKeyValueFormat",), fixable="safe",
      reads=("ENV", "LABEL"))
def legacy_key_value_format(model: Model, options: Options) -> Iterator[Finding]:
    """ENV or LABEL written `KEY value` instead of `KEY=value`.

    ## What it does
    Reports `ENV NAME value` and `LABEL name value`, the legacy form in which everything after the first
    word is the value, as BuildKit's LegacyKeyValueFormat check does ("\\"ENV key=value\\" should be used
    instead of legacy \\"ENV key value\\" format").

    ## Why is this bad?
    The two forms read alike and parse differently: `ENV A b c` sets A to `b c`, while `ENV A=b c` is an
    error and `ENV A=b C=d` sets two variables. The legacy form cannot set several variables at once, and
    Docker's documentation says it may be removed.

    ## Example
    ```dockerfile
    FROM alpine
    ENV APP_HOME /app
    LABEL maintainer "Jane Doe"
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    ENV APP_HOME=/app
    LABEL maintainer="Jane Doe"
    ```

    ## Fix safety
    The fix writes `=` between name and value, and puts a value with blanks in double quotes. It is safe:
    the variable or label gets the same value. A value with blanks that already has quotes or escapes in it
    gets no fix, as quoting it would change what they mean.
    """
    escape = model.dockerfile.escape
    for node in model.instructions:
        if node.keyword not in ("ENV", "LABEL") or node.error:
            continue
        for pair in node.pairs:
            if pair.separator or pair.value is None or pair.value_span is None:
                continue
            kw = node.keyword
            fix = _fix(pair, escape)
            yield Finding(pair.span, f'"{kw} key=value" should be used instead of legacy "{kw} key value" format',
                          fix)


def _fix(pair, escape):
    key, value = pair.key_span, pair.value_span
    between = Span(key.end_line, key.end_column, value.line, value.column)
    if not any(c.isspace() for c in pair.value):
        return Fix("safe", [Edit(between, "=")], "Write KEY=value")
    if any(c in pair.value for c in ('"', "'", escape)):
        return None
    closing = Span(value.end_line, value.end_column, value.end_line, value.end_column)
    return Fix("safe", [Edit(between, '="'), Edit(closing, '"')], 'Write KEY="value"')
