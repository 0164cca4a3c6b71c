"""The container's runtime settings per stage, and the argv Docker will execute.

ENTRYPOINT and CMD combine as the Dockerfile reference's table says:

    no ENTRYPOINT,   CMD ["c"]     -> c
    no ENTRYPOINT,   CMD c         -> /bin/sh -c c        (the SHELL in effect at that CMD)
    ENTRYPOINT ["e"], no CMD       -> e
    ENTRYPOINT ["e"], CMD ["c"]    -> e c
    ENTRYPOINT ["e"], CMD c        -> e /bin/sh -c c
    ENTRYPOINT e,     any CMD      -> /bin/sh -c e        (CMD and `docker run` arguments are dropped)

Settings are inherited through `FROM <stage>`, and setting ENTRYPOINT in a stage resets a CMD the
stage inherited (BuildKit clears it unless the stage set its own CMD first). A stage built on an image
that dfcheck's table knows (``base_images``) starts with that image's CMD, ENTRYPOINT and USER, marked
with the image's name; on any other image they are unknown (``Runtime.known_base`` is False).

A shell-form command line also answers what its shell will do with it (``CommandLine.pid1``): the
command string is parsed as shell code on first use, and whether the program or the shell ends up
as PID 1 depends on `exec`, on `trap`, and on which shell `/bin/sh` is (``image_shell``).
"""

from __future__ import annotations

import posixpath

from ..records import fields_eq, fields_hash, fields_repr, replace
from ..syntax.nodes import Instruction
from .commands.interpreters import SHELLS as POSIX_SHELLS

DEFAULT_SHELL = ("/bin/sh", "-c")
WINDOWS_SHELL = ("cmd", "/S", "/C")
# Builtins: a script that ends with one of these leaves no program for the shell to exec.
BUILTINS = {
    ":", ".", "true", "false", "echo", "printf", "cd", "export", "set", "unset", "wait", "trap", "read",
    "source", "eval", "exit", "return", "shift", "test", "[", "[[", "ulimit", "umask", "alias", "local",
}
# Images whose /bin/sh is bash or BusyBox ash (both exec a lone simple command given with -c).
_BASH_IMAGES = {
    "fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "archlinux",
    "ubi", "ubi7", "ubi8", "ubi9", "ubi10", "ubi-minimal", "ubi8-minimal", "ubi9-minimal", "ubi10-minimal",
    "ubi-init", "ubi8-init", "ubi9-init", "leap", "tumbleweed", "clearlinux",
}


# Plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records). CommandLine
# and Setting are immutable by convention and compare and hash by value.

class CommandLine:
    """A CMD, ENTRYPOINT or HEALTHCHECK CMD as the image config stores it."""

    __slots__ = ("node", "exec_form", "words", "shell", "inherited", "image", "kind", "_parsed")
    _compare = _shown = ("node", "exec_form", "words", "shell", "inherited", "image", "kind")

    def __init__(self, node: Instruction, exec_form: bool, words: tuple[str, ...], shell: tuple[str, ...],
                 inherited: bool = False, image: str | None = None, kind: str | None = None,
                 _parsed: dict | None = None):
        self.node = node  # the instruction; for a setting of the base image, the stage's FROM
        self.exec_form = exec_form
        self.words = words  # exec form: the JSON array; shell form: the one command string
        self.shell = shell  # the SHELL in effect at that instruction
        self.inherited = inherited  # comes from a base stage or the base image
        self.image = image  # the base image whose configuration holds it (dfcheck's table), else None
        self.kind = kind  # "CMD" or "ENTRYPOINT" for a setting of the base image (its node is a FROM)
        self._parsed = {} if _parsed is None else _parsed  # the shell script, once parsed (not compared)

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    @property
    def argv(self) -> tuple[str, ...]:
        """What is stored in the image: shell form is wrapped in the shell."""
        if self.exec_form:
            return self.words
        return self.shell + self.words

    @property
    def text(self) -> str:
        return self.words[0] if not self.exec_form and self.words else " ".join(self.words)

    @property
    def keyword(self) -> str:
        return self.kind or self.node.keyword

    @property
    def display(self) -> str:
        """How messages quote it: `CMD ["--port", "8000"]` or `CMD python -m app`."""
        if self.exec_form:
            return f"{self.keyword} {format_argv(self.words)}"
        return f"{self.keyword} {shorten(self.text)}"

    @property
    def posix_shell(self) -> bool:
        """Shell form run by a POSIX shell (not PowerShell or cmd), whose code dfcheck can read."""
        return not self.exec_form and bool(self.words) and posixpath.basename(self.shell[0]) in POSIX_SHELLS

    @property
    def script(self):
        """The shell-form command parsed as shell code (dfcheck.model.shell.Script), or None."""
        if not self.posix_shell:
            return None
        if "script" not in self._parsed:
            from .shell import parse_shell

            self._parsed["script"] = parse_shell(self.words[0])
        return self._parsed["script"]

    def sole_command(self):
        """The shell form's only command, when the whole string is one simple command, else None."""
        script = self.script
        if script is None or script.has_errors or len(script.commands) != 1:
            return None
        command = script.commands[0]
        if command.kind != "simple" or not command.argv or command.in_subshell or command.negated:
            return None
        if script.text[command.start:command.end].strip() != script.text.strip():
            return None  # inside `{ }`, `if`, or followed by `&` or `;`
        return command

    def static_argv(self) -> tuple[str, ...] | None:
        """The exec-form equivalent of a shell-form command that is one simple command of static words
        (no variable, substitution, glob, brace, tilde, redirect or assignment), else None. `exec program
        args` is `program args`; a shell builtin has no exec form (no program of that name to run)."""
        command = self.sole_command()
        if command is None or command.redirects or command.assignments:
            return None
        words = []
        for word in command.argv:
            if word.value is None or word.glob or word.brace or word.value.startswith("~"):
                return None
            words.append(word.value)
        if words and words[0] == "exec":
            words = words[1:]
            if words and words[0].startswith("-"):
                return None  # `exec -a NAME`, `exec -l`: only the shell does that
        if not words or words[0] in BUILTINS:
            return None
        return tuple(words)

    def last_command(self):
        """The command a shell-form script ends with, when it runs at the top level, else None."""
        script = self.script
        if script is None or not script.commands:
            return None
        command = script.commands[-1]
        if command.in_function or command.in_substitution or command.in_subshell or command.in_pipeline:
            return None
        return command

    def pid1(self, sh: str = "dash") -> str | None:
        """What becomes PID 1 when this shell-form command line is the container's command.

        - "exec": the script replaces the shell with `exec program ...`;
        - "trap": the script installs a `trap`, so it handles signals itself;
        - "direct": the shell runs a lone simple command by exec-ing it (bash and BusyBox ash do;
          Debian's dash does not), so the program is PID 1 anyway;
        - "shell": the shell stays PID 1 and the program runs as its child;
        - None: not shell code dfcheck can read (exec form, PowerShell, a parse error).

        `sh` is the shell's flavour: the basename of the SHELL in effect when it is not plain `sh`,
        otherwise what ``image_shell`` says about the base image.
        """
        script = self.script
        if script is None or script.has_errors:
            return None
        for command in script.commands:
            if command.in_function or command.in_substitution or command.in_subshell:
                continue
            if command.name == "exec" and len(command.argv) > 1:
                return "exec"
            if command.name == "trap" and len(command.argv) > 1:
                return "trap"
        flavour = self.shell_flavour(sh)
        if flavour == "bash":
            command = self.sole_command()  # bash 5.1+ would also take the last command of a list
        elif flavour == "ash":
            command = self.last_command()
            if command is not None and (command.background or script.text[command.end:].strip()):
                command = None  # `program &`, or the end of an if/while/{ } body
        else:
            command = None  # dash (Debian, Ubuntu) always forks
        if (command is not None and command.kind == "simple" and not command.redirects
                and command.name is not None and command.name not in BUILTINS):
            return "direct"
        return "shell"

    def shell_flavour(self, image_sh: str = "dash") -> str:
        """"bash", "ash", "dash" or another shell's name: the SHELL when named, else the image's /bin/sh."""
        name = posixpath.basename(self.shell[0])
        if name == "busybox":
            return "ash"
        if name == "sh":
            return image_sh
        return name

    def main_program(self) -> str | None:
        """The name of the program a shell-form script runs last (for messages), else None."""
        command = self.last_command()
        if command is None:
            return None
        inner = command.effective()
        return inner.basename if inner.argv else None


class Setting:
    __slots__ = ("value", "node", "inherited")

    def __init__(self, value: object, node: Instruction | None, inherited: bool = False):
        self.value = value
        self.node = node  # None for the builder's default
        self.inherited = inherited

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash


class Runtime:
    """The effective settings at the end of a stage."""

    __slots__ = ("user", "workdir", "shell", "entrypoint", "cmd", "healthcheck", "stopsignal", "expose", "volumes",
                 "known_base", "cmd_reset_by", "reset_cmd")

    def __init__(
        self,
        user: Setting | None = None,
        workdir: Setting | None = None,
        shell: Setting | None = None,
        entrypoint: CommandLine | None = None,
        cmd: CommandLine | None = None,
        healthcheck: Setting | None = None,
        stopsignal: Setting | None = None,
        expose: list[Setting] | None = None,
        volumes: list[Setting] | None = None,
        known_base: bool = True,
        cmd_reset_by: Instruction | None = None,
        reset_cmd: CommandLine | None = None,
    ):
        self.user = user
        self.workdir = Setting("/", None) if workdir is None else workdir
        self.shell = Setting(DEFAULT_SHELL, None) if shell is None else shell
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.healthcheck = healthcheck  # value: ("NONE",) or a CommandLine
        self.stopsignal = stopsignal
        self.expose: list[Setting] = [] if expose is None else expose
        self.volumes: list[Setting] = [] if volumes is None else volumes
        # False when the stage's root is an external image whose config (CMD, ENTRYPOINT, ...) is unknown
        self.known_base = known_base
        # the ENTRYPOINT of this stage that cleared the inherited CMD, and that CMD (None when it is not known)
        self.cmd_reset_by = cmd_reset_by
        self.reset_cmd = reset_cmd

    __repr__ = fields_repr
    __eq__ = fields_eq

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


def shorten(text: str, limit: int = 60) -> str:
    """One line of at most `limit` characters (runs of whitespace folded), for messages."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def format_argv(argv, limit: int = 60) -> str:
    """An argv as a readable JSON array: `["/bin/sh", "-c", "python -m app"]`; long words shortened."""
    import json  # (here, not at the top: a file without CMD, ENTRYPOINT or HEALTHCHECK needs no json)

    return json.dumps([shorten(word, limit) if len(word) > limit or "\n" in word else word for word in argv],
                      ensure_ascii=False)


def image_shell(image: str | None) -> str:
    """Which shell `/bin/sh` is in `image`, guessed from its name: "ash" (Alpine, BusyBox), "bash"
    (the Red Hat family, Amazon Linux, Arch, openSUSE), "none" (scratch), "windows" (Windows images,
    which have no /bin/sh), else "dash" (Debian, Ubuntu and the official images built on them: the
    common case, and the one that never execs a -c command)."""
    if not image:
        return "dash"
    name = image.split("@", 1)[0]
    repo, _, tag = name.rpartition(":") if ":" in name.rsplit("/", 1)[-1] else (name, "", "")
    base = repo.rsplit("/", 1)[-1].lower()
    tag = tag.lower()
    if base == "scratch":
        return "none"
    if any(w in base or w in tag for w in ("windows", "nanoserver", "servercore", "ltsc20")):
        return "windows"  # the default shell is `cmd /S /C`, not /bin/sh
    if base in ("alpine", "busybox") or "alpine" in tag or "alpine" in base or tag.startswith("busybox"):
        return "ash"
    if base in _BASH_IMAGES or base.startswith("ubi"):
        return "bash"
    return "dash"
