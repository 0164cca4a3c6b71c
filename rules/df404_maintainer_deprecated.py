from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule


@rule("DF404", "maintainer-deprecated", "info", hadolint=("DL4000",), buildkit=("MaintainerDeprecated",), fixable="unsafe",
      reads=("MAINTAINER",))
def maintainer_deprecated(model: Model, options: Options) -> Iterator[Finding]:
    """MAINTAINER is deprecated.

    ## What it does
    Reports every MAINTAINER instruction.

    ## Why is this bad?
    MAINTAINER has been deprecated since Docker 1.13. It sets the image's `Author` field, which
    tools no longer read; a label is where image metadata lives.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    MAINTAINER Jane Doe <jane@example.com>
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    ```

    ## Fix safety
    The fix replaces the instruction with the OCI `authors` label. It is unsafe: the image's
    `Author` field is no longer set, in case something reads it.
    """
    escape = model.dockerfile.escape
    for node in model.instructions:
        if node.keyword != "MAINTAINER" or not node.args:
            continue
        # MAINTAINER takes its text as it is; LABEL expands variables and escapes in a double-quoted value,
        # where the escape character (`\\` unless a directive says otherwise) escapes itself, `"` and `$`.
        value = "".join(escape + ch if ch in (escape, '"', "$") else ch for ch in node.args[0].value)
        fix = Fix("unsafe", [Edit(node.span, f'LABEL org.opencontainers.image.authors="{value}"')],
                  "Replace with the org.opencontainers.image.authors label")
        yield Finding(node.keyword_span, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors", fix)
