"""DF413 copy-from-cycle."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

from ._stages import depends_on, flag_span, references


@rule("DF413", "copy-from-cycle", "error", hadolint=("DL3023",))
def copy_from_cycle(model: Model, options: Options) -> Iterator[Finding]:
    """`COPY --from` (or `RUN --mount=from=`) names the stage it is in, or a stage that needs this one.

    ## What it does
    Follows every `--from` to the stage it names (by name or index, anywhere in the file, as BuildKit
    does) and reports one that names its own stage, or a stage that itself depends on this one through
    its FROM or its own `--from`s.

    ## Why is this bad?
    A stage cannot copy from itself, nor from a stage that is built from it: BuildKit refuses the file
    ("circular dependency detected on stage: build"). The intent is usually to copy from the previous
    stage, under another name.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    COPY --from=build /out/app /usr/local/bin/app
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .

    FROM alpine
    COPY --from=build /out/app /usr/local/bin/app
    ```

    ## Fix safety
    No automatic fix: the stages need restructuring.
    """
    for stage, ref, target, raw in references(model):
        if target is None:
            continue
        if target is stage:
            yield Finding(flag_span(ref), f"--from={raw} names the {stage.label} it is in: BuildKit fails with "
                                          f"\"circular dependency detected on stage: {stage.name or stage.index}\"")
            continue
        chain = depends_on(model, target, stage)
        if chain:
            path = " -> ".join(s.label for s in chain)
            yield Finding(flag_span(ref), f"--from={raw} names {target.label}, which needs this stage ({path}): "
                                          f"BuildKit fails with \"circular dependency detected on stage\"")
