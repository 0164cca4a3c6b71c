"""DF012 invalid-definition-description."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF012", "invalid-definition-description", "style", buildkit=("InvalidDefinitionDescription",),
      enabled=False)
def invalid_definition_description(model: Model, options: Options) -> Iterator[Finding]:
    """The comment right above an ARG or a named stage does not start with its name.

    ## What it does
    BuildKit reads the comment line directly above `ARG name` and `FROM ... AS name` as that definition's
    description (shown by `docker buildx build --call outline`), in the form `# name description`. This rule
    reports such a comment whose first word is not the name (for an ARG with several names, any of them),
    as BuildKit's InvalidDefinitionDescription check does ("Comment for ARG should follow the format:
    `# version <description>`"). A blank line or an empty `#` line between comment and instruction makes
    the comment an ordinary one.

    It is off by default, as the check is experimental in BuildKit; select it, or name it in the
    Dockerfile's `# check=experimental=InvalidDefinitionDescription` directive, which turns it on for
    that file as it does in BuildKit.

    ## Why is this bad?
    Build tools show the comment as the argument's or stage's documentation; a comment meant for something
    else reads as nonsense there.

    ## Example
    ```dockerfile
    # the version to install
    ARG VERSION=1.2
    FROM alpine:3.20
    ```

    ## Use instead
    ```dockerfile
    # VERSION the version to install
    ARG VERSION=1.2
    FROM alpine:3.20
    ```

    ## Fix safety
    No automatic fix.
    """
    for node in model.instructions:
        if node.keyword == "ARG":
            keys = [p.key for p in node.pairs]
        elif node.keyword == "FROM" and len(node.args) == 3 and node.args[1].value.lower() == "as":
            keys = [node.args[2].value.lower()]
        else:
            continue
        if not keys or not node.comments:
            continue
        closest = node.comments[-1]
        if closest.span.end_line != node.span.line - 1 or not closest.text:
            continue
        if closest.text.split(" ")[0] in keys:
            continue
        example = keys[0] if len(keys) == 1 else "<arg_key>"
        yield Finding(node.keyword_span,
                      f"comment for {node.keyword} should follow the format: `# {example} <description>`")
