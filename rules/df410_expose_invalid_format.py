"""DF410 expose-invalid-format."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule

from ._expose import exposed, spec_error, split_parts


@rule("DF410", "expose-invalid-format", "warning", buildkit=("ExposeInvalidFormat",), fixable="safe", reads=("EXPOSE",))
def expose_invalid_format(model: Model, options: Options) -> Iterator[Finding]:
    """EXPOSE with an IP address or a host port (`EXPOSE 8080:80`, `EXPOSE 127.0.0.1:80:80`).

    ## What it does
    Reports an EXPOSE argument with a `:` in it, as BuildKit's ExposeInvalidFormat check does ("EXPOSE
    instruction should not define an IP address or host-port mapping, found '8080:80'"). An argument that
    is invalid altogether is DF411's.

    ## Why is this bad?
    EXPOSE only records which container ports the image listens on; which host port and address they are
    published on is decided by `docker run -p`. Docker drops the host part without a word, so
    `EXPOSE 8080:80` exposes port 80 and publishes nothing, and BuildKit warns that the form will become
    an error in a future release.

    ## Example
    ```dockerfile
    FROM nginx
    EXPOSE 8080:80
    ```

    ## Use instead
    ```dockerfile
    FROM nginx
    EXPOSE 80
    ```

    ## Fix safety
    The fix keeps the container port alone. It is safe: that is the port the image records either way.
    """
    for node in model.instructions:
        if node.keyword != "EXPOSE" or node.error:
            continue
        for arg, text in exposed(model, node):
            if ":" not in text or spec_error(text):
                continue
            fix = None
            if arg.value == text:
                container = split_parts(text)[2]
                fix = Fix("safe", [Edit(arg.span, container)], f"Expose {container} only")
            yield Finding(arg.span, "EXPOSE instruction should not define an IP address or host-port mapping, "
                                    f"found '{text}'", fix)
