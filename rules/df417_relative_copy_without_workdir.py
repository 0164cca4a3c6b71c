"""DF417 relative-copy-without-workdir."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF417", "relative-copy-without-workdir", "warning", hadolint=("DL3045",), reads=("COPY", "ADD"))
def relative_copy_without_workdir(model: Model, options: Options) -> Iterator[Finding]:
    """COPY or ADD to a relative destination in a stage that never sets WORKDIR.

    ## What it does
    Reports a COPY or ADD whose destination (variables expanded) is a relative path (`app/`, `.`,
    `config.yml`) when neither the stage nor the stages it is built FROM have set a WORKDIR before it.

    hadolint's DL3045 looks at COPY only and also reports stages built FROM scratch; dfcheck reports ADD as
    well (it lands in the same place), and leaves scratch stages alone, whose working directory is always `/`.

    ## Why is this bad?
    A relative destination is resolved against the working directory, which then comes from the base
    image: `/` for most, `/usr/src/app`, `/go` or `/home/node/app` for others. The files land somewhere
    that changes with the base image, and the next instructions look for them elsewhere.

    ## Example
    ```dockerfile
    FROM python:3.12
    COPY requirements.txt .
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12
    WORKDIR /app
    COPY requirements.txt .
    ```

    ## Fix safety
    No automatic fix: where the files belong is for the author to say.
    """
    set_by_end = {}  # id(stage) -> whether a WORKDIR was set by its end, bases included (a base is an earlier stage)
    for stage in model.stages:
        base = stage.base_stage
        workdir_set = base is not None and set_by_end.get(id(base), False)
        set_by_end[id(stage)] = workdir_set or bool(stage.find("WORKDIR"))
        if model.root(stage).is_scratch:
            continue  # scratch starts at /, and nothing can change that
        for node in stage.instructions:
            if node.keyword == "WORKDIR":
                workdir_set = True
            if workdir_set or node.keyword not in ("COPY", "ADD") or node.error or len(node.args) < 2:
                continue
            expansion = model.expand(node, node.args[-1].value)
            dest = expansion.value
            if not expansion.exact or not dest or dest.startswith(("/", "$", "\\")):
                continue
            if len(dest) > 1 and dest[1] == ":":
                continue  # a Windows path such as C:\\app
            yield Finding(node.args[-1].span, f"{node.keyword} to the relative destination {dest} without a "
                                              "WORKDIR: where it lands depends on the base image's working "
                                              "directory")
