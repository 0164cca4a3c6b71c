"""DF409 expose-protocol-casing."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule

from ._expose import exposed, split_parts, split_proto


@rule("DF409", "expose-protocol-casing", "warning", buildkit=("ExposeProtoCasing",), fixable="safe", reads=("EXPOSE",))
def expose_protocol_casing(model: Model, options: Options) -> Iterator[Finding]:
    """EXPOSE names its protocol in upper case (`80/TCP`).

    ## What it does
    Reports an EXPOSE port whose protocol is not lower case, as BuildKit's ExposeProtoCasing check does
    ("Defined protocol '80/TCP' in EXPOSE instruction should be lowercase").

    ## Why is this bad?
    Docker lower-cases the protocol when it reads the port, but tools that read the image's
    `ExposedPorts` or the Dockerfile itself compare `80/TCP` and `80/tcp` as different ports.

    ## Example
    ```dockerfile
    FROM nginx
    EXPOSE 80/TCP 53/UDP
    ```

    ## Use instead
    ```dockerfile
    FROM nginx
    EXPOSE 80/tcp 53/udp
    ```

    ## Fix safety
    The fix lower-cases the protocol. It is safe: the image records the same port.
    """
    for node in model.instructions:
        if node.keyword != "EXPOSE" or node.error:
            continue
        for arg, text in exposed(model, node):
            _, _, container = split_parts(text)
            _, proto = split_proto(container)
            if proto == proto.lower() or "/" not in container:
                continue
            fix = None
            if arg.value == text:
                fix = Fix("safe", [Edit(arg.span, text.lower())], "Lower-case the protocol")
            yield Finding(arg.span, f"defined protocol '{text}' in EXPOSE instruction should be lowercase", fix)
