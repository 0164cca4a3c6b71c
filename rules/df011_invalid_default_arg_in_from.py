"""DF011 invalid-default-arg-in-from."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule
from dfcheck.syntax.expansion import ExpansionError

from ._reference import reference_error

# What BuildKit gives its platform ARGs when nothing is passed: the values of the machine that builds.
# Any real platform will do here, the question being only whether the name is valid.
PLATFORM_DEFAULTS = {
    "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDARCH": "amd64", "BUILDVARIANT": "",
    "TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64", "TARGETVARIANT": "",
}


@rule("DF011", "invalid-default-arg-in-from", "warning", buildkit=("InvalidDefaultArgInFrom",))
def invalid_default_arg_in_from(model: Model, options: Options) -> Iterator[Finding]:
    """A FROM whose image name is empty or invalid unless a build argument is passed.

    ## What it does
    Expands the image name of every FROM that uses a variable with the global ARGs' default values only (as
    if `docker build` got no `--build-arg`), and reports it when the result is empty or not a valid image
    reference, as BuildKit's InvalidDefaultArgInFrom check does ("Default value for ARG busybox:$VERSION
    results in empty or invalid base image name"). `ARG VERSION` without a default gives `busybox:`; an
    empty default that leaves a valid name (`FROM busybox:stable${VARIANT}` with `ARG VARIANT=""`) is fine.

    ## Why is this bad?
    The file only builds when the caller remembers the argument; a plain `docker build .` fails with
    "invalid reference format" before anything runs.

    ## Example
    ```dockerfile
    ARG VERSION
    FROM busybox:$VERSION
    ```

    ## Use instead
    ```dockerfile
    ARG VERSION=1.36
    FROM busybox:$VERSION
    ```

    ## Fix safety
    No automatic fix: the right default is the author's to choose.
    """
    defaults = dict(PLATFORM_DEFAULTS)
    for node in model.instructions:
        if node.keyword == "FROM":
            break
        if node.keyword == "ARG":
            for pair in node.pairs:
                if pair.value is None:
                    defaults.pop(pair.key, None)
                    continue
                try:
                    defaults[pair.key] = model.lexer.process_word(pair.value, defaults).value
                except ExpansionError:
                    defaults.pop(pair.key, None)
    for stage in model.stages:
        node = stage.node
        if node.error or not node.args or "$" not in node.args[0].value:
            continue
        written = node.args[0].value
        try:
            name = model.lexer.process_word(written, defaults).value
        except ExpansionError:
            continue  # DF001 reports a malformed expansion
        if reference_error(name) is not None:
            shown = f'"{name}"' if name else "an empty name"
            yield Finding(node.args[0].span,
                          f"default value for ARG {written} results in empty or invalid base image name "
                          f"({shown} without --build-arg)")
