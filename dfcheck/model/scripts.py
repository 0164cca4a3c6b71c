"""The code a RUN executes: shell scripts (parsed lazily) and heredoc scripts for other interpreters.

For shell-form RUN the shell receives the logical line (continuations joined) followed by the
heredoc bodies, so that is what gets parsed; offsets in it map back to the Dockerfile. A RUN whose
whole command is one heredoc (`RUN <<EOF`) runs the body itself: with the shell, or with the
interpreter of its `#!` line. A heredoc fed to an interpreter (`RUN python3 <<EOF`) is an
embedded script in that language; fed to a shell (`RUN bash -e <<EOF`) its body is shell code too.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_right

from ..records import fields_repr
from ..syntax.nodes import Heredoc, Instruction, Span
from .commands.interpreters import language_of


def shebang_program(body: str) -> str | None:
    """The interpreter a script's `#!` line names (`python3` for `#!/usr/bin/env python3`), or None."""
    if not body.startswith("#!"):
        return None
    words = body[2:].split("\n", 1)[0].split()
    if not words:
        return None
    program = words[0]
    if posixpath.basename(program) == "env":
        rest = [w for w in words[1:] if not w.startswith("-")]
        program = rest[0] if rest else ""
    return program


def shebang_language(body: str) -> str | None:
    program = shebang_program(body)
    return language_of(program) if program is not None else None


def _version(text: str) -> tuple[int, int] | None:
    """(major, minor) from the start of `text` ("3.12", "3.12.1-slim", "2.7"); None without a minor."""
    major, dot, rest = text.partition(".")
    minor = rest[:len(rest) - len(rest.lstrip("0123456789"))]
    if not (major.isdigit() and dot and minor) or len(major) > 2 or len(minor) > 3:
        return None
    return int(major), int(minor)


def python_version(program: str) -> tuple[int, int] | None:
    """The Python version an interpreter's name pins (`python3.12`, `pypy3.10`), or None (`python3`)."""
    name = posixpath.basename(program)
    for prefix in ("python", "pypy"):
        if name.startswith(prefix):
            return _version(name[len(prefix):])
    return None


def image_python_version(image: str | None) -> tuple[int, int] | None:
    """The Python version of an official `python` or `pypy` image (any registry or namespace) from its
    tag: `python:3.12-slim` -> (3, 12), `pypy:3.10-7.3.17` -> (3, 10); None for other images and for tags
    without a minor version (`python:3`, `python:latest`)."""
    if not image:
        return None
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    repo, _, tag = last.partition(":")
    if repo.lower() not in ("python", "pypy"):
        return None
    return _version(tag)


class _Mapper:
    """Maps offsets in a script back to Dockerfile positions, piece by piece."""

    def __init__(self):
        self.pieces = []  # (start in script, end, function offset-in-piece -> (line, column))

    def add(self, start: int, end: int, locate) -> None:
        self.pieces.append((start, end, locate))

    def position(self, offset: int) -> tuple[int, int]:
        # Offsets in the glue between pieces (a newline, a heredoc terminator) map to the next piece.
        for start, end, locate in self.pieces:
            if offset < end:
                return locate(max(offset - start, 0))
        start, _, locate = self.pieces[-1]
        return locate(offset - start)


def _in_instruction(node: Instruction, base: int):
    return lambda o: node.locate(base + o)


def _in_body(heredoc: Heredoc):
    # Where each line of the body starts, then where the last one ends: found by bisection, not by a walk over
    # the lines on every question (the rules ask for thousands of positions in a long heredoc).
    starts = [0]
    for text in heredoc.content.split("\n"):
        starts.append(starts[-1] + len(text) + 1)

    def locate(o: int) -> tuple[int, int]:
        i = max(bisect_right(starts, o) - 1, 0)  # the line holding offset o (its newline included)
        if i >= len(starts) - 1:
            return heredoc.body_line + len(starts) - 1, 1  # past the end: the line after the body
        return heredoc.body_line + i, o - starts[i] + 1

    return locate


# Plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records).

class ShellCode:
    """A piece of shell code a RUN executes, with positions mapped back to the Dockerfile."""

    __slots__ = ("node", "text", "mapper", "heredoc", "_script", "parent", "synthetic", "exact", "_nested")

    def __init__(self, node: Instruction, text: str, mapper: _Mapper, heredoc: Heredoc | None = None,
                 _script: object = None, parent: ShellCode | None = None, synthetic: bool = False,
                 exact: bool = True):
        self.node = node
        self.text = text
        self.mapper = mapper
        self.heredoc = heredoc  # set when the code is a heredoc body
        self._script = _script
        self.parent = parent  # the code whose `sh -c '...'` (or `su -c`) runs this one
        self.synthetic = synthetic  # an exec-form RUN written as a shell command line: no shell runs it
        self.exact = exact and not synthetic  # positions in it map to the Dockerfile character for character
        self._nested: dict[int, ShellCode | None] = {}

    __repr__ = fields_repr

    @property
    def script(self):
        """The parsed script (dfcheck.model.shell.Script), parsed on first use."""
        if self._script is None:
            self._script = _parse(self.text)
        return self._script

    def span(self, start: int, end: int) -> Span:
        line, column = self.mapper.position(start)
        if end <= start:
            return Span(line, column, line, column)
        end_line, end_column = self.mapper.position(end - 1)
        return Span(line, column, end_line, end_column + 1)

    def nested(self, command) -> ShellCode | None:
        """The shell code `command` (one of this code's commands) runs as a string: `sh -c '...'`,
        `bash -ec "..."`, `su -c '...' user`; None when it runs none, or its text is not static. Positions in
        it map into this code's word (exactly when the word is plainly quoted)."""
        key = command.start
        if key not in self._nested:
            self._nested[key] = _inline(self, command)
        return self._nested[key]


# A long-running process (the language server) keeps parsed scripts between lints, by their text: a keystroke
# changes one RUN, and parsing the others again was a sixth of a lint. A Script is never changed once parsed.
# None: not kept.
_kept: dict | None = None
MAX_KEPT = 4096


def keep_scripts() -> None:
    global _kept
    from .shell.data import remember_answers

    if _kept is None:
        _kept = {}
    remember_answers()  # and what is found of each of their commands


def _parse(text: str):
    from .shell import parse_shell

    if _kept is None:
        return parse_shell(text)
    script = _kept.get(text)
    if script is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        script = _kept[text] = parse_shell(text)
    return script


def _inline(outer: ShellCode, command) -> ShellCode | None:
    from .commands.interpreters import inline_script

    word = inline_script(command.effective())
    if word is None or word.value is None or not word.value.strip() or _depth(outer) >= 4:
        return None
    text = word.value
    plain = word.text == text or (len(word.text) >= 2 and word.text[1:-1] == text and word.text[0] in "'\"")
    base = word.start + (0 if word.text == text else 1)
    mapper = _Mapper()
    if plain:
        mapper.add(0, len(text), lambda o: outer.mapper.position(base + min(o, len(text) - 1)))
    else:
        mapper.add(0, len(text), lambda o: outer.mapper.position(word.start))
    return ShellCode(outer.node, text, mapper, parent=outer, exact=plain and outer.exact)


def _depth(code: ShellCode) -> int:
    depth = 0
    while code.parent is not None:
        code, depth = code.parent, depth + 1
    return depth


def executed(codes):
    """(code, command) for every command of `codes` in the order they run, the commands of a `sh -c '...'`
    right after the `sh` that runs them."""
    for code in codes:
        yield from _executed(code)


def _executed(code):
    for command in code.script.commands:
        yield code, command
        inner = code.nested(command)
        if inner is not None:
            yield from _executed(inner)


class EmbeddedScript:
    """A heredoc body that an interpreter other than the shell runs."""

    __slots__ = ("node", "language", "heredoc", "program")

    def __init__(self, node: Instruction, language: str, heredoc: Heredoc, program: str | None = None):
        self.node = node
        self.language = language
        self.heredoc = heredoc
        self.program = program  # the interpreter as named (`python3.12`, `/usr/bin/env`'s operand), if known

    __repr__ = fields_repr

    @property
    def text(self) -> str:
        return self.heredoc.body


def run_code(node: Instruction, shell: tuple[str, ...]) -> tuple[list[ShellCode], list[EmbeddedScript]]:
    """The shell code and embedded scripts of a RUN, given the SHELL in effect."""
    if node.keyword != "RUN" or not node.args:
        return [], []
    if node.json:
        return _exec_form(node)
    if language_of(shell[0]) != "shell":
        return [], []  # PowerShell or cmd: not shell code we can read
    heredocs = node.heredocs
    if len(heredocs) == 1 and _is_marker(node.args_text.strip(), heredocs[0]):
        return _whole_heredoc(node, heredocs[0])
    text = node.args_text
    mapper = _Mapper()
    mapper.add(0, len(text), _in_instruction(node, node.args_offset))
    for heredoc in heredocs:
        text += "\n"
        start = len(text)
        text += heredoc.content
        mapper.add(start, len(text), _in_body(heredoc))
        text += heredoc.name + "\n"
    codes = [ShellCode(node, text, mapper)]
    embedded = []
    if heredocs:
        # Which command reads each heredoc decides what its body is.
        for command in codes[0].script.commands:
            for redirect in command.redirects:
                if not redirect.op.startswith("<<") or redirect.op == "<<<":
                    continue
                heredoc = heredoc_named(heredocs, redirect)
                language = language_of(command.name or "") if heredoc else None
                if language == "shell":
                    codes.append(_body_code(node, heredoc))
                elif language:
                    embedded.append(EmbeddedScript(node, language, heredoc, command.name))
    return codes, embedded


def _is_marker(text: str, heredoc: Heredoc) -> bool:
    from ..syntax.expansion import parse_heredoc_word

    found = parse_heredoc_word(text)
    return found is not None and found[2] == heredoc.name


def _whole_heredoc(node: Instruction, heredoc: Heredoc):
    program = shebang_program(heredoc.body)
    language = (language_of(program) if program is not None else None) or "shell"
    if language == "shell":
        return [_body_code(node, heredoc)], []
    return [], [EmbeddedScript(node, language, heredoc, program)]


def _body_code(node: Instruction, heredoc: Heredoc) -> ShellCode:
    mapper = _Mapper()
    mapper.add(0, len(heredoc.content), _in_body(heredoc))
    return ShellCode(node, heredoc.content, mapper, heredoc)


def heredoc_named(heredocs: list[Heredoc], redirect) -> Heredoc | None:
    target = redirect.target
    word = (target.value if target is not None and target.value is not None else
            (target.text if target is not None else ""))
    word = word.lstrip("-").strip("'\"")
    for heredoc in heredocs:
        if heredoc.name == word:
            return heredoc
    return None


def _exec_form(node: Instruction):
    """`RUN ["sh", "-c", "script"]`: the script argument is shell code. Any other exec-form RUN runs one
    program with no shell: it is given as the command line a shell would split into the same words
    (`synthetic`), so that what reads commands reads it too."""
    values = node.values
    if len(values) >= 3 and language_of(values[0]) == "shell" and values[1] in ("-c", "-ec", "-ex", "-exc", "-xc"):
        arg = node.args[2]
        mapper = _Mapper()
        # JSON escapes make exact columns impossible; every offset maps to the argument's start.
        mapper.add(0, len(values[2]), lambda o: (arg.span.line, arg.span.column))
        return [ShellCode(node, values[2], mapper)], []
    if not values or not values[0] or language_of(values[0]) == "shell" or len(values) != len(node.args):
        return [], []
    mapper = _Mapper()
    text = ""
    for value, arg in zip(values, node.args):
        if text:
            text += " "
        quoted = value if value and all(c.isalnum() or c in "_@%+:,./-" for c in value) else \
            "'" + value.replace("'", "'\\''") + "'"
        mapper.add(len(text), len(text) + len(quoted), lambda o, span=arg.span: (span.line, span.column))
        text += quoted
    return [ShellCode(node, text, mapper, synthetic=True)], []
