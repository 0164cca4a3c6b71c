"""DF415 shell-form-in-scratch."""

from dfcheck.rule import Finding, rule
from dfcheck.model.runtime import DEFAULT_SHELL

# COPY/ADD destinations that may put a shell at /bin/sh: the root (a whole filesystem copied in), /bin,
# /usr/bin (where /bin links to on merged-usr systems) and the shell itself.
_SHELL_HOMES = ("/", "/bin", "/bin/", "/bin/sh", "/usr", "/usr/", "/usr/bin", "/usr/bin/", "/usr/bin/sh")


@rule("DF415", "shell-form-in-scratch", "error")
def shell_form_in_scratch(model, options):
    """A shell-form RUN, CMD or ENTRYPOINT in a stage built FROM scratch, which has no /bin/sh.

    ## What it does
    Reports shell-form instructions (`RUN make`, `CMD ./app`, heredoc RUNs) in a stage whose FROM lineage
    starts at `scratch`, when nothing before them copies anything to `/`, `/bin`, `/usr/bin` or `/bin/sh`
    (nor ADDs an archive, which may unpack a whole filesystem), and no SHELL instruction names another
    shell.

    ## Why is this bad?
    Shell form runs `/bin/sh -c "..."`, and a scratch image has no files at all. A RUN fails the build
    ("/bin/sh": no such file or directory); a CMD or ENTRYPOINT builds and then fails when the container
    starts.

    ## Example
    ```dockerfile
    FROM scratch
    COPY app /app
    CMD /app --serve
    ```

    ## Use instead
    ```dockerfile
    FROM scratch
    COPY app /app
    CMD ["/app", "--serve"]
    ```

    ## Fix safety
    No automatic fix: the exec form needs the arguments split as the author means them.
    """
    for stage in model.stages:
        chain = model.lineage(stage)
        if not chain[0].is_scratch:
            continue
        shell_possible = False
        for owner in chain:
            for node in owner.instructions:
                if node.keyword in ("COPY", "ADD") and node.args:
                    dest = model.expand(node, node.args[-1].value).value
                    if node.keyword == "ADD" or dest in _SHELL_HOMES:
                        shell_possible = True
                if node.keyword == "SHELL" and node.json and tuple(node.values) != DEFAULT_SHELL:
                    shell_possible = True
                if owner is not stage or shell_possible or node.keyword not in ("RUN", "CMD", "ENTRYPOINT"):
                    continue
                if node.json or node.error:
                    continue
                if node.keyword == "RUN":
                    outcome = "the build fails (\"/bin/sh\": no such file or directory)"
                else:
                    outcome = "the container fails to start"
                yield Finding(node.keyword_span, f"shell-form {node.keyword} runs /bin/sh -c, but this stage is "
                                                 f"built FROM scratch and nothing puts a shell at /bin/sh: {outcome}")
