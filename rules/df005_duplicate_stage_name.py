from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF005", "duplicate-stage-name", "error", hadolint=("DL3024",), buildkit=("DuplicateStageName",))
def duplicate_stage_name(model: Model, options: Options) -> Iterator[Finding]:
    """Two stages have the same name.

    ## What it does
    Reports a `FROM ... AS name` whose name (compared case-insensitively, as BuildKit does) was
    already given to an earlier stage.

    ## Why is this bad?
    BuildKit refuses to build the file. Older builders let `COPY --from=name` and `FROM name`
    silently pick one of the stages.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS build
    FROM node:20 AS build
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS build-api
    FROM node:20 AS build-web
    ```

    ## Fix safety
    No automatic fix: the stage and every reference to it need a new name.
    """
    first = {}
    for stage in model.stages:
        if not stage.name:
            continue
        if stage.name in first:
            earlier = first[stage.name]
            yield Finding(
                stage.node.args[2].span,
                f'stage name "{stage.name}" is already used by the stage at line {earlier.node.span.line}',
            )
        else:
            first[stage.name] = stage
