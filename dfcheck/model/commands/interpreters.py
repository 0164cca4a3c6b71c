"""Shells and interpreters in the catalog: which programs run code, and how they are given it."""

from __future__ import annotations

import posixpath

# Programs that run shell code.
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})
# Interpreters of other languages, by program name.
INTERPRETERS = {
    "python": "python", "python2": "python", "python3": "python", "pypy": "python", "pypy3": "python",
    "node": "javascript", "nodejs": "javascript", "deno": "javascript", "bun": "javascript",
    "perl": "perl", "ruby": "ruby", "php": "php", "lua": "lua", "Rscript": "r",
    "pwsh": "powershell", "powershell": "powershell",
}
# Interpreter family -> the options that give it code on the command line (it then does not read stdin).
INLINE_CODE = {
    "sh": ("-c",), "bash": ("-c",), "dash": ("-c",), "ash": ("-c",), "zsh": ("-c",), "ksh": ("-c",), "mksh": ("-c",),
    "python": ("-c", "-m"), "perl": ("-e", "-E"), "ruby": ("-e",), "node": ("-e", "-p", "--eval", "--print"),
    "php": ("-r",),
}
# Interpreter family -> options that take a separate value (so that the value is not read as the script).
INTERPRETER_VALUES = {
    "shell": ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"),
    "python": ("-W", "-X", "-Q"),
    "perl": ("-I", "-M", "-m"),
    "ruby": ("-I", "-r", "-E", "-C"),
    "node": ("-r", "--require", "--import", "--input-type"),
    "php": ("-d", "-c", "-z"),
}
# Shells that know `set -o pipefail` (dash does not).
PIPEFAIL_SHELLS = ("bash", "ash", "zsh", "ksh", "mksh")
# Paths a program reads its standard input through.
STDIN = ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


def language_of(program: str) -> str | None:
    """"shell", a language name, or None for a program that is not an interpreter."""
    name = posixpath.basename(program)
    if name in SHELLS:
        return "shell"
    if name.startswith("python3.") or name.startswith("python2."):
        return "python"
    return INTERPRETERS.get(name)


def interpreter_family(name: str | None) -> str | None:
    """The family ("sh", "bash", "python", "node", ...) whose INLINE_CODE and INTERPRETER_VALUES apply."""
    if name is None:
        return None
    if name in SHELLS and name != "busybox":
        return name
    if name in ("python", "python2", "python3") or name.startswith(("python2.", "python3.")):
        return "python"
    if name in ("node", "nodejs"):
        return "node"
    if name in ("perl", "ruby", "php"):
        return name
    return None


def value_options(family: str) -> tuple[str, ...]:
    return INTERPRETER_VALUES["shell"] if family in SHELLS else INTERPRETER_VALUES.get(family, ())


# `su` and `runuser` options that take a value (`su -s /bin/sh -c 'cmd' user`).
SU_VALUES = ("-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment", "-u", "--user",
             "-c", "--command", "--session-command")


def inline_script(command):
    """The word holding the shell code a command runs, or None: `sh -c 'code'`, `bash -euxc "code"`,
    `bash -o pipefail -c 'code'`, `su -c 'code' user`, `su - user -c 'code'`, `runuser -u app -c 'code'`."""
    name = command.basename
    args = command.args
    if name in SHELLS and name != "busybox":
        shell_values = INTERPRETER_VALUES["shell"]
        i = 0
        while i < len(args):
            value = args[i].value
            if value is None or value == "--" or not value.startswith(("-", "+")) or value in ("-", "+"):
                return None  # a script file (or stdin) runs, not a -c string
            if value in shell_values or (not value.startswith("--") and "o" in value[1:] and "c" not in value[1:]):
                i += 2  # `-o pipefail`, `-euxo pipefail`
                continue
            if not value.startswith("--") and "c" in value[1:]:
                return args[i + 1] if i + 1 < len(args) else None
            i += 1
        return None
    if name in ("su", "runuser"):
        return command.option_word("-c", "--command", "--session-command", takes_value=SU_VALUES)
    return None
