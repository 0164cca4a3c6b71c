"""DF414 copy-from-unknown-stage."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule
from dfcheck.wording import did_you_mean

from ._reference import reference_error
from ._stages import flag_span, references


@rule("DF414", "copy-from-unknown-stage", "warning", hadolint=("DL3022",))
def copy_from_unknown_stage(model: Model, options: Options) -> Iterator[Finding]:
    """`COPY --from` names no stage of the file, or a stage defined later.

    ## What it does
    Reports a `--from` (of COPY, or of a `RUN --mount`) that:

    - is a stage index the file does not have (`--from=3` in a file of two stages), or a name that is not
      a valid image reference either (`--from=Build_Stage`): the build fails (error);
    - is a bare name (no registry, path, tag or digest) that no stage has: BuildKit then pulls the Docker
      Hub image of that name, `docker.io/library/<name>:latest` (a typo of a stage name gets a
      "did you mean"). Named build contexts (`docker buildx build --build-context name=...`) are the one
      legitimate use of such a name: a name that the Compose service or Bake target building the file
      gives a named context (`additional_contexts`, `contexts`) is that context, and is not reported;
    - names a stage defined further down. BuildKit builds it first and copies from it, but the classic
      builder, and hadolint, read the name as an image, and a reader expects stages in build order.

    A reference with a tag, digest or path (`--from=busybox:1.36`, `--from=ghcr.io/org/tool`) is an image,
    and the image rules (DF604-DF606) look at it. A `--from` naming the stage it is in, by name or by
    index (`--from=0` in the first stage), is DF413's (an error); hadolint's DL3022 spec expects DL3022
    for the index (its 2.15.1 release reports nothing there).

    ## Why is this bad?
    Copying from an image by accident gets files from whatever that image is today, or fails to pull.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS builder
    RUN go build -o /out/app .
    FROM alpine
    COPY --from=build /out/app /app
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS builder
    RUN go build -o /out/app .
    FROM alpine
    COPY --from=builder /out/app /app
    ```

    ## Fix safety
    No automatic fix: which stage or image was meant is for the author to say.
    """
    names = [s.name for s in model.stages if s.name]
    for stage, ref, target, raw in references(model):
        span = flag_span(ref)
        name = ref.name
        if target is not None:
            if target.index > stage.index:
                yield Finding(span, f"--from={raw} names {target.label}, defined later (line "
                                    f"{target.node.span.line}): BuildKit builds it first, but the classic builder "
                                    "reads the name as an image")
            continue
        if name.isdigit():
            yield Finding(span, f"--from={raw}: there is no stage {name} (the file has {len(model.stages)}): "
                                "the build fails", severity="error")
            continue
        problem = reference_error(name)
        if problem:
            yield Finding(span, f"--from={raw} names no stage and is not a valid image reference ({problem}): "
                                "the build fails", severity="error")
            continue
        if any(c in name for c in "/:@"):
            continue
        yield Finding(span, f"no stage is named {name}{did_you_mean(name.lower(), names)}: BuildKit pulls the image "
                            f"docker.io/library/{name}:latest")
