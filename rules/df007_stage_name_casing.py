"""DF007 stage-name-casing."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF007", "stage-name-casing", "warning", buildkit=("StageNameCasing",))
def stage_name_casing(model: Model, options: Options) -> Iterator[Finding]:
    """A stage name with upper-case letters.

    ## What it does
    Reports a `FROM ... AS name` whose name is not all lower case, as BuildKit's StageNameCasing check does:
    "Stage name 'X' should be lowercase".

    ## Why is this bad?
    Stage names are case-insensitive: BuildKit lower-cases them, so `--target Build`, `COPY --from=BUILD`
    and `FROM build` all name the same stage. Writing them in mixed case suggests a distinction that does
    not exist, and `docker build --check` warns about it on every build.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS Builder
    FROM alpine
    COPY --from=Builder /out/app /app
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS builder
    FROM alpine
    COPY --from=builder /out/app /app
    ```

    ## Fix safety
    No automatic fix: the stage's references (`COPY --from`, `FROM`, `RUN --mount=from=`, `--target` in
    scripts outside the file) would need renaming with it.
    """
    for stage in model.stages:
        node = stage.node
        if len(node.args) == 3 and node.args[1].value.lower() == "as":
            written = node.args[2].value
            if written != written.lower():
                yield Finding(node.args[2].span, f"stage name '{written}' should be lowercase")
