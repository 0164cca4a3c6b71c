"""DF602 last-user-root: the image's containers run as root."""

from collections.abc import Iterator

from dfcheck.model import Model, image_shell
from dfcheck.rule import Finding, Options, rule

# Windows containers: ContainerAdministrator is the administrator account, ContainerUser the unprivileged one.
_WINDOWS_ADMIN = "containeradministrator"


def _is_root(user: str, windows: bool) -> bool:
    """`root`, `0`, `root:<group>` and `0:<group>`: the user part decides, a root group alone does not."""
    name = user.split(":", 1)[0].strip()
    if windows:
        return name.lower() == _WINDOWS_ADMIN
    return name == "root" or (name.isdigit() and int(name) == 0)


@rule("DF602", "last-user-root", "warning", hadolint=("DL3002",), tags=("security",), reads=("USER",))
def last_user_root(model: Model, options: Options) -> Iterator[Finding]:
    """The image runs its containers as root.

    ## What it does
    Looks at the user the image's containers run as: the last USER of the target stage (the last
    stage, or `--target`), inherited through `FROM <stage>` from the stages it is built on. Reports
    that USER when it is root: `root`, `0`, `root:<group>` or `0:<group>` (for a Windows image,
    `ContainerAdministrator`). A USER whose value comes from an ARG without a default is not
    reported, nor a root group with another user (`USER 1000:0`, as OpenShift images do).

    Only the stages that end up in the image are looked at: a builder stage that runs as root and
    whose files are copied into the final stage does not matter, and is never reported.

    An image whose stages set no USER at all is DF609's (inherits-root-user): it reports one whose
    base image is known to run as root, and with its option `require-user` any image without USER. hadolint's development
    branch has that check as DL3063 ("A USER instruction should be specified"); in its releases (2.15.1)
    DL3063 is "stage name should not be a reserved word", which is DF010.

    ## Why is this bad?
    A process running as root in the container is root on the container's file system and, if it
    escapes the container (a kernel or runtime vulnerability, a mounted Docker socket, a privileged
    or host-mounted run), it is root on the host. An unprivileged user limits what a compromised
    application can do. The last USER is the one the container starts with; switching to root for
    installation steps and back to an unprivileged user at the end is the usual pattern.

    ## Example
    ```dockerfile
    FROM node:22-slim
    USER root
    RUN apt-get update && apt-get install -y --no-install-recommends tini
    CMD ["node", "server.js"]
    ```

    ## Use instead
    ```dockerfile
    FROM node:22-slim
    USER root
    RUN apt-get update && apt-get install -y --no-install-recommends tini
    USER node
    CMD ["node", "server.js"]
    ```

    ## Fix safety
    No automatic fix: which user the application should run as, and which files it must own,
    depend on the image.

    ## Relation to other linters
    hadolint DL3002 reports the last `USER root` of every stage, builder stages included, and never
    an image without USER; its suppressions silence this rule.
    """
    target = model.target
    if target is None:
        return
    root = model.root(target)
    windows = not root.is_scratch and image_shell(root.base) == "windows"
    user = target.runtime.user
    if user is None:
        return  # no USER at all: DF609
    node = user.node
    if node is None or not node.args:
        return
    expansion = model.expand(node, node.args[0].value)
    if not expansion.exact or expansion.error or not _is_root(expansion.value, windows):
        return
    stage = model.stage_of(node)
    where = "" if stage is target else f" (in {stage.label}, which {target.label} is built on)"
    yield Finding(node.keyword_span,
                  f"the image runs as {expansion.value}: this is the last USER of the image{where}; switch to an "
                  "unprivileged user (`USER <name or uid>`) after the steps that need root")
