"""DF407 constant-platform-flag."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF407", "constant-platform-flag", "warning", hadolint=("DL3029",), buildkit=("FromPlatformFlagConstDisallowed",))
def constant_platform_flag(model: Model, options: Options) -> Iterator[Finding]:
    """`FROM --platform=linux/amd64`: a stage pinned to one platform.

    ## What it does
    Reports a FROM whose `--platform` is a constant rather than a build argument, as BuildKit's
    FromPlatformFlagConstDisallowed check does ("FROM --platform flag should not use constant value
    \\"linux/amd64\\""). Like BuildKit, it says nothing when the stage's name contains the platform's OS or
    architecture (`AS build-amd64`), which shows the pinning is meant.

    hadolint's DL3029 reports every `--platform`; `--platform=$BUILDPLATFORM` is how cross-compiling stages
    are written, so dfcheck reports only constants.

    ## Why is this bad?
    A multi-platform build (`--platform linux/amd64,linux/arm64`) then builds that stage for amd64 every
    time, and an arm64 image ends up with amd64 binaries, or the build runs under emulation. Cross-compiling
    stages want `--platform=$BUILDPLATFORM`; others no flag at all.

    ## Example
    ```dockerfile
    FROM --platform=linux/amd64 golang:1.22 AS build
    ```

    ## Use instead
    ```dockerfile
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    ```

    ## Fix safety
    No automatic fix: whether the stage should follow the build or the target platform is the author's call.
    """
    for stage in model.stages:
        flag = stage.node.flag("platform")
        if flag is None or not flag.value or "$" in flag.value:
            continue
        parts = [p for p in flag.value.lower().split("/")[:2] if p]
        name = (stage.name or "").lower()
        if name and any(p in name for p in parts):
            continue
        yield Finding(flag.span, f'FROM --platform flag should not use constant value "{flag.value}"')
