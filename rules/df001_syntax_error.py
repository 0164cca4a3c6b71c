"""DF001 syntax-error."""

from dfcheck.rule import Finding, rule


@rule("DF001", "syntax-error", "error")
def syntax_error(model, options):
    """Reports a line that BuildKit's parser rejects, at the position of the problem.

    ## What it does
    Passes on every error of the Dockerfile parser: an unknown instruction, malformed JSON in an exec-form
    instruction, an unterminated heredoc, an instruction without its arguments, an unknown or malformed flag.

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
