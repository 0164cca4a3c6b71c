"""DF411 invalid-expose-port."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

from ._expose import exposed, spec_error


@rule("DF411", "invalid-expose-port", "error", hadolint=("DL3011",), reads=("EXPOSE",))
def invalid_expose_port(model: Model, options: Options) -> Iterator[Finding]:
    """EXPOSE with a port Docker cannot read: out of 0-65535, a backwards range, an unknown protocol.

    ## What it does
    Reads every EXPOSE argument (variables expanded, when their values are known) as Docker does and
    reports the ones it rejects, with Docker's own message: `EXPOSE 70000` ("invalid containerPort:
    70000"), `EXPOSE 8000-7000`, `EXPOSE 80/http` ("invalid proto: http"), a host part that is not a port.

    ## Why is this bad?
    The build fails at that instruction.

    ## Example
    ```dockerfile
    FROM node:20
    EXPOSE 80800
    ```

    ## Use instead
    ```dockerfile
    FROM node:20
    EXPOSE 8080
    ```

    ## Fix safety
    No automatic fix: which port was meant is for the author to say.
    """
    for node in model.instructions:
        if node.keyword != "EXPOSE" or node.error:
            continue
        for arg, text in exposed(model, node):
            error = spec_error(text)
            if error:
                yield Finding(arg.span, f"EXPOSE {text}: {error}: the build fails")
