"""DF204 useradd-without-no-log-init."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Option, Edit, Finding, Fix, Options, rule

from ._shell import editable, point_after, runs

@rule("DF204", "useradd-without-no-log-init", "warning", hadolint=("DL3046",), fixable="safe",
      options=[Option("min-bytes", int, 10_000_000, "report a UID whose log files take at least this many bytes")])
def useradd_without_no_log_init(model: Model, options: Options) -> Iterator[Finding]:
    """`useradd -u <high UID>` without `-l`: the layer stores a sparse log file of the UID's size in full.

    ## What it does
    Reports `useradd` with a UID (`-u`, `--uid`, from a literal or a variable whose value is known)
    and without `-l`/`--no-log-init`, when the log files it writes would take at least `min-bytes`
    (default 10 MB, a UID of about 31,000 and up). The sizes come from the command catalog:
    useradd writes the user's record into `/var/log/lastlog` (292 bytes per UID) and
    `/var/log/faillog` (32 bytes per UID) at the offset of its UID. Nothing is reported when
    `/var/log` is a `RUN --mount` target, or when the same RUN deletes the files.

    ## Why is this bad?
    The files are sparse on the build machine, but an image layer is a tar archive with no holes:
    `useradd -u 1000680000` (an OpenShift-style UID) puts about 300 GB of zeros in the layer,
    and the build crawls or runs out of disk. `-l` skips the two logs, which a container never
    needs.

    ## Example
    ```dockerfile
    FROM debian:12
    RUN useradd -u 123456 -m app
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    RUN useradd -l -u 123456 -m app
    ```

    ## Fix safety
    The fix adds `-l` after `useradd`. It is safe: only the login records are left out. No fix is
    offered for exec-form RUN.

    ## Options
    `min-bytes` (default 10000000): the size of the logs from which a UID is reported. hadolint's
    DL3046 reports UIDs of six digits and more.
    """
    minimum = options.min_bytes
    fs = model.filesystem
    for _stage, node in runs(model):
        sizes = {}
        for added in fs.effects(node).added:
            if added.what == "useradd log" and added.size:
                sizes[added.span] = sizes.get(added.span, 0) + added.size
        if not sizes:
            continue
        for code in model.shell_code(node):
            for command in code.script.commands:
                span = code.span(command.start, command.end)
                total = sizes.pop(span, 0)
                if total < minimum:
                    continue
                inner = command.effective()
                fix = None
                if editable(node, code) and inner.argv:
                    fix = Fix("safe", [Edit(point_after(code, inner.argv[0]), " -l")], "Add -l")
                yield Finding(
                    span,
                    f"`useradd` without -l (--no-log-init) writes the user into /var/log/lastlog and "
                    f"/var/log/faillog at the offset of its UID: {_size(total)} of sparse files that the layer "
                    "stores in full; add -l",
                    fix,
                )


def _size(size):
    for unit, scale in (("GB", 10 ** 9), ("MB", 10 ** 6)):
        if size >= scale:
            return f"{size / scale:.0f} {unit}" if size >= 10 * scale else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
