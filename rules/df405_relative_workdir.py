import posixpath
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule


@rule("DF405", "relative-workdir", "warning", hadolint=("DL3000",), buildkit=("WorkdirRelativePath",), fixable="depends",
      reads=("WORKDIR",))
def relative_workdir(model: Model, options: Options) -> Iterator[Finding]:
    """WORKDIR with a relative path.

    ## What it does
    Reports a WORKDIR whose path, after variable expansion, is relative, when no WORKDIR with an absolute
    path comes before it in the stage or the stages it is built FROM (as BuildKit's WorkdirRelativePath
    check does: `WORKDIR subdir/` after the parent stage's `WORKDIR /app` is `/app/subdir`, whatever the
    base image).

    hadolint's DL3000 reports every relative WORKDIR, anchored or not; dfcheck follows BuildKit.

    ## Why is this bad?
    A relative WORKDIR is resolved against the previous one, which may come from the base image:
    `WORKDIR app` lands in `/app` on one base and in `/usr/src/app` on another. An absolute path
    says where files go.

    ## Example
    ```dockerfile
    FROM node:20
    WORKDIR app
    ```

    ## Use instead
    ```dockerfile
    FROM node:20
    WORKDIR /app
    ```

    ## Fix safety
    The fix writes the absolute path computed from the earlier WORKDIRs of the stage and its base
    stages, starting from the base image's WORKDIR when dfcheck knows the image (`/go` for golang),
    else from `/`. It is safe when the stage descends from `scratch`; otherwise it is unsafe, because
    the base image may set a WORKDIR dfcheck does not know (or change it in another tag).
    """
    anchored_after = {}  # id(stage) -> whether an absolute WORKDIR was set by its end (a base is an earlier stage)
    for stage in model.stages:
        anchored = stage.base_stage is not None and anchored_after.get(id(stage.base_stage), False)
        for node in stage.find("WORKDIR"):
            if not node.args:
                continue
            if anchored:
                continue
            if _absolute(model, node):
                anchored = True
                continue
            raw = node.args[0].value
            expansion = model.expand(node, raw)
            path = expansion.value
            if not path or path.startswith("/") or path.startswith("$") or not expansion.exact:
                continue
            if len(path) > 1 and path[1] == ":" or path.startswith("\\"):
                continue  # a Windows path such as C:\\app
            fix = None
            if raw == path:
                resolved = posixpath.normpath(posixpath.join(model.workdir(node), path))
                safety = "safe" if model.root(stage).is_scratch else "unsafe"
                fix = Fix(safety, [Edit(node.args[0].span, resolved)], f"Use the absolute path {resolved}")
            yield Finding(node.args[0].span, f'WORKDIR "{path}" is relative; use an absolute path', fix)
        anchored_after[id(stage)] = anchored



def _absolute(model, node) -> bool:
    if not node.args:
        return False
    path = model.expand(node, node.args[0].value).value
    return path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":")
