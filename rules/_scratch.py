"""Whether a stage built FROM scratch can have the shell a shell form runs: shared by DF304 and DF415."""

import posixpath

from dfcheck.model import DEFAULT_SHELL

# Directories that are one place on merged-usr systems: a COPY to either may put the shell at the other.
_MERGED_USR = {"/bin": "/usr/bin", "/sbin": "/usr/sbin", "/usr/bin": "/bin", "/usr/sbin": "/sbin"}


def missing_shell(model, stage, node) -> str | None:
    """The shell `node`'s shell form runs (/bin/sh, or the program the last SHELL before it names) when `stage`
    descends from scratch and nothing before `node` (in it or the stages it is built FROM) can have put that
    program there: no COPY to it or to a directory above it, no ADD (an archive may unpack a whole filesystem).
    None when the shell may be there, or when the SHELL names a program by name only (found on PATH)."""
    if not model.root(stage).is_scratch:
        return None
    shell = DEFAULT_SHELL[0]
    destinations = set()
    for owner in model.lineage(stage):
        for instruction in owner.instructions:
            if instruction is node:
                if not shell.startswith("/") or (destinations | _mounts(node)) & _homes(shell):
                    return None
                return shell
            keyword = instruction.keyword
            if keyword == "ADD":
                return None
            if keyword == "COPY" and instruction.args:
                destinations.add(_normal(model.expand(instruction, instruction.args[-1].value).value))
            if keyword == "SHELL" and instruction.json and instruction.values:
                shell = instruction.values[0]
    return None


def _normal(path: str) -> str:
    return posixpath.normpath(path) if path.startswith("/") else path


def _homes(shell: str) -> set:
    """The COPY destinations that may put `shell` in place: the program itself and every directory above it,
    also under the other name of a merged-usr directory (/bin/sh may come with a COPY to /usr)."""
    path = posixpath.normpath(shell)
    names = {path}
    for directory, other in _MERGED_USR.items():
        if path.startswith(directory + "/"):
            names.add(other + path[len(directory):])
    homes = set()
    for name in names:
        while name not in homes:
            homes.add(name)
            name = posixpath.dirname(name)
    return homes


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
