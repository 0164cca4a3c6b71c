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
