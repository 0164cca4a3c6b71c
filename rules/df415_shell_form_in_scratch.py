"""DF415 shell-form-in-scratch."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

from ._scratch import without_shell


@rule("DF415", "shell-form-in-scratch", "error")
def shell_form_in_scratch(model: Model, options: Options) -> Iterator[Finding]:
    """A shell-form RUN in a stage built FROM scratch, which has no /bin/sh.

    ## What it does
    Reports shell-form RUNs (`RUN make`, heredoc RUNs) in a stage whose FROM lineage starts at `scratch`,
    when nothing before them copies anything to `/`, `/bin`, `/usr/bin` or `/bin/sh` (nor ADDs an archive,
    which may unpack a whole filesystem), no SHELL instruction names another shell, and the RUN does not
    mount one (`RUN --mount=from=busybox,target=/bin ...`). A shell-form CMD or
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
            if node.json or node.error or not without_shell(model, stage, node):
                continue
            yield Finding(node.keyword_span, "shell-form RUN runs /bin/sh -c, but this stage is built FROM scratch "
                                             "and nothing puts a shell at /bin/sh: the build fails "
                                             "(\"/bin/sh\": no such file or directory)")
