"""DF415 shell-form-in-scratch."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

from ._scratch import missing_shell


@rule("DF415", "shell-form-in-scratch", "error")
def shell_form_in_scratch(model: Model, options: Options) -> Iterator[Finding]:
    """A shell-form RUN in a stage built FROM scratch, which has no /bin/sh.

    ## What it does
    Reports shell-form RUNs (`RUN make`, heredoc RUNs) in a stage whose FROM lineage starts at `scratch`,
    when nothing before them copies anything to `/`, `/bin`, `/usr`, `/usr/bin` or `/bin/sh`, no ADD brings
    an archive (it may unpack a whole filesystem), and the RUN does not mount one (`RUN --mount=from=busybox,
    target=/bin ...`). A SHELL that runs /bin/sh with other options (`SHELL ["/bin/sh", "-o", "pipefail",
    "-c"]`) still needs /bin/sh; a SHELL naming another program is the author's choice and is not judged. A shell-form CMD or
    ENTRYPOINT in such a stage is DF305's (BuildKit's JSONArgsRecommended), at the severity "error".

    ## Why is this bad?
    Shell form runs `/bin/sh -c "..."`, and a scratch image has no files at all: the build fails
    ("/bin/sh": no such file or directory).

    ## Example
    ```dockerfile
    FROM scratch
    COPY app /app
    RUN ["/app", "--self-test"]
    RUN /app --init
    ```

    ## Use instead
    ```dockerfile
    FROM scratch
    COPY app /app
    RUN ["/app", "--self-test"]
    RUN ["/app", "--init"]
    ```

    ## Fix safety
    No automatic fix: the exec form needs the arguments split as the author means them.
    """
    for stage in model.stages:
        for node in stage.find("RUN"):
            if node.json or node.error:
                continue
            shell = missing_shell(model, stage, node)
            if shell is None:
                continue
            yield Finding(node.keyword_span, f"shell-form RUN runs {shell} -c, but this stage is built FROM scratch "
                                             f"and nothing puts a shell at {shell}: the build fails "
                                             f"(\"{shell}\": no such file or directory)")
