"""DF010 reserved-stage-name."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

# Names BuildKit gives a meaning of its own: `FROM scratch` is the empty image, and `context` names the
# build context in `COPY --from=context` / `RUN --mount=from=context` when no stage is called that.
RESERVED = ("scratch", "context")


@rule("DF010", "reserved-stage-name", "warning", hadolint=("DL3063",), buildkit=("ReservedStageName",))
def reserved_stage_name(model: Model, options: Options) -> Iterator[Finding]:
    """A stage is named `scratch` or `context`, names BuildKit reserves.

    ## What it does
    Reports `FROM ... AS scratch` and `FROM ... AS context` (in any case), as BuildKit's ReservedStageName
    check does ("Stage name should not use the same name as reserved stage \\"scratch\\"").

    ## Why is this bad?
    `scratch` already means the empty image, so `FROM scratch` in a later stage is ambiguous to the reader
    (BuildKit takes the empty image). `context` is the name under which build contexts are passed
    (`--build-context context=...`) and read (`COPY --from=context`); a stage of that name shadows it.

    ## Example
    ```dockerfile
    FROM alpine AS context
    RUN make
    ```

    ## Use instead
    ```dockerfile
    FROM alpine AS build
    RUN make
    ```

    ## Fix safety
    No automatic fix: the stage's references need renaming with it.

    ## Relation to other linters
    hadolint 2.15.1 reports this as DL3063 ("stage name should not be a reserved word"), whose
    suppressions silence this rule. hadolint's development branch uses DL3063 for "a USER
    instruction should be specified" (DF602's `require-user` option); its spec for that meaning is
    the one difference the spec measurement counts here.
    """
    for stage in model.stages:
        if stage.name in RESERVED:
            yield Finding(stage.node.args[2].span,
                          f'stage name should not use the same name as reserved stage "{stage.name}"')
