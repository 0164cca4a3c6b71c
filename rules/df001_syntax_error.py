"""DF001 syntax-error."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF001", "syntax-error", "error", hadolint=("DL3043", "DL3061"))
def syntax_error(model: Model, options: Options) -> Iterator[Finding]:
    """Reports a line that BuildKit's parser rejects, at the position of the problem.

    ## What it does
    Passes on every error of the Dockerfile parser: an unknown instruction, malformed JSON in an exec-form
    instruction, an unterminated heredoc, an instruction without its arguments, an unknown or malformed flag.

    This covers hadolint's DL3043 (ONBUILD, FROM or MAINTAINER as an ONBUILD trigger) and DL3061 (an
    instruction before the first FROM other than ARG: "no build stage in current context").

    Instructions before the first FROM (ARGs aside) belong to no stage: BuildKit rejects the file, and no
    dfcheck rule looks at them beyond this one. hadolint lints such a fragment as if it were a stage (its
    rule specs are written that way); give the fragment a FROM line to compare.

    ## Why is this bad?
    `docker build` stops at the first of these errors before it runs anything. dfcheck reports them all,
    each at its own position, and goes on linting the rest of the file.

    ## Example
    ```dockerfile
    FROM alpine
    RUNN apk add curl
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    RUN apk add curl
    ```

    ## Fix safety
    No automatic fix: what was meant is for the author to say.
    """
    for error in model.dockerfile.errors + model.errors:
        yield Finding(error.span, error.message)
