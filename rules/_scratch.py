"""Whether a stage built FROM scratch can have a shell at /bin/sh: shared by DF305 and DF415."""

from dfcheck.model import DEFAULT_SHELL

# COPY/ADD destinations that may put a shell at /bin/sh: the root (a whole filesystem copied in), /bin,
# /usr and /usr/bin (where /bin points on merged-usr systems) and the shell itself.
SHELL_HOMES = ("/", "/bin", "/bin/", "/bin/sh", "/usr", "/usr/", "/usr/bin", "/usr/bin/", "/usr/bin/sh")


def without_shell(model, stage, node) -> bool:
    """True when `stage` descends from scratch and nothing before `node` (in it or the stages it is built
    FROM) can have put a shell at /bin/sh: no COPY to SHELL_HOMES, no ADD (an archive may unpack a whole
    filesystem), no SHELL naming another shell."""
    if not model.root(stage).is_scratch or _mounts_a_shell(node):
        return False
    for owner in model.lineage(stage):
        for instruction in owner.instructions:
            if instruction is node:
                return True
            keyword = instruction.keyword
            if keyword == "ADD":
                return False
            if keyword == "COPY" and instruction.args:
                if model.expand(instruction, instruction.args[-1].value).value in SHELL_HOMES:
                    return False
            if keyword == "SHELL" and instruction.json and tuple(instruction.values) != DEFAULT_SHELL:
                return False
    return True


def _mounts_a_shell(node) -> bool:
    """`RUN --mount=from=busybox,target=/bin ...`: the RUN brings its own shell."""
    for flag in node.flags:
        if flag.name != "mount" or not flag.value:
            continue
        for option in flag.value.split(","):
            key, _, value = option.partition("=")
            if key.strip() in ("target", "dst", "destination") and value.strip() in SHELL_HOMES:
                return True
    return False
