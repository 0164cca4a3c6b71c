"""DF515 zypper-dist-upgrade."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

from ._shell import commands, runs, verb

# zypper's options that take a value before the command (`zypper --root /mnt dup`)
_ZYPPER_VALUE_OPTIONS = ("--root", "-R", "--config", "-c", "--reposd-dir", "-D", "--cache-dir", "-C",
                         "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir", "--userdata")


@rule("DF515", "zypper-dist-upgrade", "warning", hadolint=("DL3035",))
def zypper_dist_upgrade(model: Model, options: Options) -> Iterator[Finding]:
    """`zypper dist-upgrade` (`zypper dup`) in a RUN.

    ## What it does
    Reports a RUN that runs `zypper dist-upgrade` or its short form `zypper dup`.

    ## Why is this bad?
    A distribution upgrade in an image build replaces the base image's packages with whatever the
    repositories hold on the day of the build, possibly a new release of the distribution: the image is
    no longer the base it says it is, and two builds of the same file differ. Update the base image tag
    instead, and install or update the packages you need by name.

    ## Example
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper -n dup
    ```

    ## Use instead
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper -n install --no-recommends curl
    ```

    ## Fix safety
    No automatic fix.
    """
    for _stage, node in runs(model):
        for code, command, effective in commands(model, node):
            if effective.basename != "zypper":
                continue
            word = verb(effective, _ZYPPER_VALUE_OPTIONS)
            if word is not None and word.value in ("dist-upgrade", "dup"):
                span = code.span(word.start, word.end)
                yield Finding(span, f"zypper {word.value} upgrades the whole distribution during the build: the "
                                    "image no longer matches its base and differs from build to build")
