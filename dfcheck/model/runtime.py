"""The container's runtime settings per stage, and the argv Docker will execute.

ENTRYPOINT and CMD combine as the Dockerfile reference's table says:

    no ENTRYPOINT,   CMD ["c"]     -> c
    no ENTRYPOINT,   CMD c         -> /bin/sh -c c        (the SHELL in effect at that CMD)
    ENTRYPOINT ["e"], no CMD       -> e
    ENTRYPOINT ["e"], CMD ["c"]    -> e c
    ENTRYPOINT ["e"], CMD c        -> e /bin/sh -c c
    ENTRYPOINT e,     any CMD      -> /bin/sh -c e        (CMD and `docker run` arguments are dropped)

Settings are inherited through `FROM <stage>`, and setting ENTRYPOINT in a stage resets a CMD the
stage inherited (BuildKit clears it unless the stage set its own CMD first).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..syntax.nodes import Instruction

DEFAULT_SHELL = ("/bin/sh", "-c")


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A CMD, ENTRYPOINT or HEALTHCHECK CMD as the image config stores it."""

    node: Instruction
    exec_form: bool
    words: tuple[str, ...]  # exec form: the JSON array; shell form: the one command string
    shell: tuple[str, ...]  # the SHELL in effect at that instruction
    inherited: bool = False  # comes from a base stage

    @property
    def argv(self) -> tuple[str, ...]:
        """What is stored in the image: shell form is wrapped in the shell."""
        if self.exec_form:
            return self.words
        return self.shell + self.words

    @property
    def text(self) -> str:
        return self.words[0] if not self.exec_form and self.words else " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Setting:
    value: object
    node: Instruction | None  # None for the builder's default
    inherited: bool = False


@dataclass(slots=True)
class Runtime:
    """The effective settings at the end of a stage."""

    user: Setting | None = None
    workdir: Setting = field(default_factory=lambda: Setting("/", None))
    shell: Setting = field(default_factory=lambda: Setting(DEFAULT_SHELL, None))
    entrypoint: CommandLine | None = None
    cmd: CommandLine | None = None
    healthcheck: Setting | None = None  # value: ("NONE",) or a CommandLine
    stopsignal: Setting | None = None
    expose: list[Setting] = field(default_factory=list)
    volumes: list[Setting] = field(default_factory=list)
    # False when the stage's root is an external image whose config (CMD, ENTRYPOINT, ...) is unknown
    known_base: bool = True
    # True once an ENTRYPOINT in this stage cleared the inherited CMD
    cmd_reset_by: Instruction | None = None

    def inherit(self) -> Runtime:
        """The settings a child stage starts from."""

        def mark(s):
            return replace(s, inherited=True) if s is not None else None

        return Runtime(
            user=mark(self.user),
            workdir=mark(self.workdir),
            shell=mark(self.shell),
            entrypoint=mark(self.entrypoint),
            cmd=mark(self.cmd),
            healthcheck=mark(self.healthcheck),
            stopsignal=mark(self.stopsignal),
            expose=[mark(s) for s in self.expose],
            volumes=[mark(s) for s in self.volumes],
            known_base=self.known_base,
        )

    @property
    def argv(self) -> tuple[str, ...] | None:
        """The argv `docker run IMAGE` executes, or None when it is not known or there is none."""
        return effective_argv(self.entrypoint, self.cmd)


def effective_argv(entrypoint: CommandLine | None, cmd: CommandLine | None) -> tuple[str, ...] | None:
    if entrypoint is not None and entrypoint.words:
        if not entrypoint.exec_form:
            return entrypoint.argv
        return entrypoint.argv + (cmd.argv if cmd is not None else ())
    if cmd is not None and cmd.argv:
        return cmd.argv
    return None


def command_line(node: Instruction, values: list[str], shell: tuple[str, ...]) -> CommandLine:
    return CommandLine(node, node.json, tuple(values), shell)
