"""Whether a stage built FROM scratch can have the shell a shell form runs: shared by DF304 and DF415."""

import posixpath

from dfcheck.model import DEFAULT_SHELL

# COPY (or mount) destinations that may put a shell at /bin/sh: the root (a whole filesystem copied in), /bin,
# /usr and /usr/bin (where /bin points on merged-usr systems) and the shell itself.
SHELL_HOMES = frozenset(("/", "/bin", "/bin/sh", "/usr", "/usr/bin", "/usr/bin/sh"))


def missing_shell(model, stage, node) -> str | None:
    """/bin/sh, the shell `node`'s shell form runs, when `stage` descends from scratch and nothing before `node`
    (in it or the stages it is built FROM) can have put it there: no COPY to it or to a directory above it, no
    ADD (an archive may unpack a whole filesystem). A SHELL that runs /bin/sh with other options
    (`SHELL ["/bin/sh", "-o", "pipefail", "-c"]`) still needs it. None when the shell may be there, or when a
    SHELL names another program (the author's choice, not judged)."""
    if not model.root(stage).is_scratch:
        return None
    shell = DEFAULT_SHELL[0]
    destinations = set()
    for owner in model.lineage(stage):
        for instruction in owner.instructions:
            if instruction is node:
                if shell != DEFAULT_SHELL[0] or (destinations | _mounts(node)) & SHELL_HOMES:
                    return None
                return shell
            keyword = instruction.keyword
            if keyword == "ADD":
                return None
            if keyword == "COPY" and instruction.args:
                destinations.add(_normal(model.expand(instruction, instruction.args[-1].value).value))
            if keyword == "SHELL" and instruction.json and instruction.values:
                # another program is the author's choice, not judged (BuildKit's JSONArgsRecommended is silent
                # then too); /bin/sh with other options is still /bin/sh
                shell = posixpath.normpath(instruction.values[0])
    return None


def _normal(path: str) -> str:
    return posixpath.normpath(path) if path.startswith("/") else path


def _mounts(node) -> set:
    """Where `RUN --mount=from=busybox,target=/bin ...` mounts something: the RUN may bring its own shell."""
    targets = set()
    for flag in node.flags:
        if flag.name != "mount" or not flag.value:
            continue
        for option in flag.value.split(","):
            key, _, value = option.partition("=")
            if key.strip() in ("target", "dst", "destination"):
                targets.add(_normal(value.strip()))
    return targets
