from dfcheck.rule import Edit, Finding, Fix, rule


@rule("DF404", "maintainer-deprecated", "info", hadolint=("DL4000",), buildkit=("MaintainerDeprecated",), fixable="unsafe")
def maintainer_deprecated(model, options):
    """MAINTAINER is deprecated.

    ## What it does
    Reports every MAINTAINER instruction.

    ## Why is this bad?
    MAINTAINER has been deprecated since Docker 1.13. It sets the image's `Author` field, which
    tools no longer read; a label is where image metadata lives.

    ## Example
    ```dockerfile
    MAINTAINER Jane Doe <jane@example.com>
    ```

    ## Use instead
    ```dockerfile
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    ```

    ## Fix safety
    The fix replaces the instruction with the OCI `authors` label. It is unsafe: the image's
    `Author` field is no longer set, in case something reads it.
    """
    for node in model.instructions:
        if node.keyword != "MAINTAINER" or not node.args:
            continue
        value = node.args[0].value.replace("\\", "\\\\").replace('"', '\\"')
        fix = Fix("unsafe", [Edit(node.span, f'LABEL org.opencontainers.image.authors="{value}"')],
                  "Replace with the org.opencontainers.image.authors label")
        yield Finding(node.keyword_span, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors", fix)
