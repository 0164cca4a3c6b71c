"""DF517 link-over-bin-sh."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

from ._shell import runs

# /bin/sh, also where merged-/usr images keep it
_SH = ("/bin/sh", "/usr/bin/sh")


@rule("DF517", "link-over-bin-sh", "warning", hadolint=("DL4005",))
def link_over_bin_sh(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN replaces `/bin/sh` with a link to another shell (`ln -sf /bin/bash /bin/sh`).

    ## What it does
    Reports a RUN that creates a link at `/bin/sh` (or `/usr/bin/sh`), as the filesystem model reads
    its `ln` commands: `ln -sf /bin/bash /bin/sh`, `ln -s bash sh` run in `/bin`.

    ## Why is this bad?
    The link changes the system shell of the image for everything: package maintainer scripts,
    `system()` calls of every program, the container's shell-form CMD. Scripts written for a POSIX
    `sh` then run under another shell, and a package upgrade (dash's own) may put the link back. To
    run the Dockerfile's RUN instructions with bash, say so with SHELL, which changes nothing in
    the image.

    ## Example
    ```dockerfile
    FROM debian:12
    RUN ln -sf /bin/bash /bin/sh
    RUN set -o pipefail && curl -fsSL https://example.com/x | tar -xz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/x | tar -xz
    ```

    ## Fix safety
    No automatic fix: which instructions need the other shell is the author's call.
    """
    fs = model.filesystem
    for _stage, node in runs(model):
        for added in fs.effects(node).added:
            if added.what == "link" and added.path in _SH:
                yield Finding(added.span, f"this makes {added.path} a link to another shell, the system shell of "
                                          "every program in the image; use SHELL to run the Dockerfile's RUN "
                                          "instructions with that shell instead")
