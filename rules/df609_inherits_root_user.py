"""DF609 inherits-root-user: an image that never sets USER, on a base image that runs as root."""

from collections.abc import Iterator

from dfcheck.model import Model, entrypoint_user
from dfcheck.rule import Option, Finding, Options, rule


@rule("DF609", "inherits-root-user", "warning", tags=("security",),
      options=[Option("require-user", bool, False, "also report an image without USER on an unknown base image")])
def inherits_root_user(model: Model, options: Options) -> Iterator[Finding]:
    """The image sets no USER, and its base image runs as root: so do its containers.

    ## What it does
    Reports the target stage (the last stage, or `--target`) when no stage of its `FROM` lineage has a
    USER instruction and the base image at the root of that lineage is known to run as root: an
    official image of dfcheck's table that sets no USER (`python`, `node`, `nginx`, `debian`, ...).
    The finding is on the target stage's FROM.

    It is silent when the base image is known to run as another user (`memcached` runs as
    `memcache`), or when the image keeps the base image's entrypoint script and that script drops
    root before it starts the program (`rabbitmq` switches to the `rabbitmq` user, `ghost` to
    `node`), and when dfcheck cannot know: an image its table does not know (a distroless
    `:nonroot` image runs as an unprivileged user without any USER in the Dockerfile), a base image
    named by a build argument without a value. Builder stages never matter: only the image that is
    shipped is looked at.

    With the option `require-user` (off by default), it also reports an image that sets no USER on a
    base dfcheck knows nothing about, and a `FROM scratch` image (which has no other user than
    root): the check hadolint's development branch calls DL3063, "A USER instruction should be
    specified".

    ## Why is this bad?
    A process running as root in the container is root on the container's file system and, if it
    escapes the container (a kernel or runtime vulnerability, a mounted Docker socket, a privileged
    or host-mounted run), it is root on the host. hadolint's DL3002 (DF602 here) only sees an
    explicit `USER root`; an image that never says USER runs as root just the same when its base
    does. Image scanners (Trivy's DS002, for one) report it.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py /app/
    CMD ["python", "/app/app.py"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --system --uid 10001 app
    COPY app.py /app/
    USER app
    CMD ["python", "/app/app.py"]
    ```

    ## Fix safety
    No automatic fix: which user the application should run as, and which files it must own,
    depend on the image.

    ## Relation to other linters
    DF602 (hadolint DL3002) reports a last USER that is root; this rule reports the USER that is
    missing. It does not answer to `# hadolint ignore=DL3063`: in hadolint's releases (2.15.1) DL3063
    is "stage name should not be a reserved word" (DF010), and only its development branch uses the
    code for a missing USER.

    ## Options
    `require-user` (default false): also report an image without USER whose base image dfcheck does
    not know, or that is built `FROM scratch`.
    """
    target = model.target
    if target is None:
        return
    user = target.runtime.user
    if user is not None and user.node is not None:
        return  # a USER instruction in the lineage: DF602 looks at its value
    root = model.lineage(target)[0]
    facts = model.base_facts(target)
    runs_as_root = facts.runs_as_root if facts is not None else None
    entrypoint = target.runtime.entrypoint
    if runs_as_root and entrypoint is not None and entrypoint.image and entrypoint_user(entrypoint.image):
        return  # the image's own entrypoint script runs the program as another user
    if runs_as_root:
        yield Finding(target.node.keyword_span,
                      f"the image sets no USER and its base image `{model.base_image(target)}` runs as root, so its "
                      "containers run as root; add a `USER <unprivileged user>` after the steps that need root")
    elif runs_as_root is None and options.require_user:
        if root.is_scratch:
            runs = "runs as root (a `FROM scratch` image has no other user)"
        else:
            runs = f"runs as the user its base image `{root.base}` sets (root for most images)"
        yield Finding(target.node.keyword_span,
                      f"the image sets no USER, so it {runs}; add a `USER <unprivileged user>` after the steps "
                      "that need root")
