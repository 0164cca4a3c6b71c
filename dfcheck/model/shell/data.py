"""The shell inside RUN, as plain data: commands with argv words (`Command`, `Word`, `Redirect`, `Expansion`,
`Script`). `builder.parse_shell` makes them from tree-sitter's tree; rules read them and never re-parse shell text.

All offsets are *character* offsets into the text given to ``parse_shell``; mapping them back to Dockerfile lines
and columns is the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ...records import fields_eq, fields_repr, replace
from .quoting import _expand_braces

__all__ = ["Command", "Expansion", "Part", "Redirect", "Script", "Word"]


# ---------------------------------------------------------------------------
# Data: plain classes with __slots__ rather than dataclasses, for start-up time
# (see dfcheck.records). They compare by value and are not hashable.
# ---------------------------------------------------------------------------


class Expansion:
    """A part of a word whose value is only known when the shell runs.

    ``kind`` is one of ``"variable"`` (``$X``, ``${X}``, ``${X:-d}``, ``$1``,
    ``$@``), ``"command"`` (``$(...)`` or backticks), ``"arithmetic"``
    (``$((...))``), ``"process"`` (``<(...)``, ``>(...)``) or ``"other"``
    (arrays and anything the parser could not make sense of).
    """

    __slots__ = ("kind", "text", "start", "end", "name", "op", "arg", "quoted")

    def __init__(self, kind: str, text: str, start: int, end: int, name: str | None = None, op: str | None = None,
                 arg: Word | None = None, quoted: bool = False):
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.name = name  # the variable's name, for kind "variable"
        self.op = op  # "${X:-d}" -> ":-", "${#X}" -> "#", "${X%%.*}" -> "%%"
        self.arg = arg  # the word after "-", ":-", "+", ":+", "=", ":=", "?", ":?"
        self.quoted = quoted  # inside double quotes: no word splitting or globbing

    __repr__ = fields_repr
    __eq__ = fields_eq

    def resolve(self, env: Mapping[str, str]) -> str | None:
        """The expansion's value given known variables, or None when unknown.

        Handles ``$X``, ``${X}``, ``${#X}`` and the default/alternative forms
        (``-``, ``:-``, ``=``, ``:=``, ``+``, ``:+``).  Word splitting is not
        applied: the result is the string the expansion produces.
        """
        if self.kind != "variable" or self.name is None:
            return None
        value = env.get(self.name)
        op = self.op
        if op is None:
            return value
        if op == "#":
            return None if value is None else str(len(value))
        arg = "" if self.arg is None else self.arg.resolve(env)
        if op in (":-", ":="):
            return value if value else arg
        if op in ("-", "="):
            return value if value is not None else arg
        if op == ":+":
            return arg if value else ""
        if op == "+":
            return arg if value is not None else ""
        return None


Part = str | Expansion


class Word:
    """One shell word (an argv entry, an assignment value, a redirect target).

    ``text`` is the raw source text; ``value`` is the literal value after
    quote removal (``"a b"`` -> ``a b``, ``'x'y`` -> ``xy``, ``a\\ b`` ->
    ``a b``), or None when the word contains an expansion.  ``parts`` is the
    word as literal strings (already unquoted) and :class:`Expansion` objects.

    ``glob`` is True when an unquoted ``*``, ``?`` or ``[`` would glob;
    ``brace`` when an unquoted ``{a,b}`` or ``{1..3}`` would brace-expand
    (static words only; see :meth:`values`).  ``quoted`` is True when any
    quoting or escaping was used.  Tilde (``~/x``) is kept literally.
    """

    __slots__ = ("text", "value", "start", "end", "parts", "quoted", "glob", "brace", "_mask")
    _compare = _shown = ("text", "value", "start", "end", "parts", "quoted", "glob", "brace")

    def __init__(self, text: str, value: str | None, start: int, end: int, parts: tuple[Part, ...] = (),
                 quoted: bool = False, glob: bool = False, brace: bool = False, _mask: str = ""):
        self.text = text
        self.value = value
        self.start = start
        self.end = end
        self.parts = parts
        self.quoted = quoted
        self.glob = glob
        self.brace = brace
        # One "0"/"1" per literal character (1 = quoted): drives glob and brace (not compared or shown).
        self._mask = _mask

    __repr__ = fields_repr
    __eq__ = fields_eq

    @property
    def has_expansion(self) -> bool:
        return any(isinstance(p, Expansion) for p in self.parts)

    @property
    def expansions(self) -> list[Expansion]:
        return [p for p in self.parts if isinstance(p, Expansion)]

    @property
    def variables(self) -> list[str]:
        """Names of variables this word reads, including inside ``${X:-$Y}``."""
        names: list[str] = []
        for part in self.expansions:
            if part.name is not None:
                names.append(part.name)
            if part.arg is not None:
                names.extend(part.arg.variables)
        return names

    def values(self) -> list[str] | None:
        """The words this one becomes after brace expansion, when static.

        ``/etc/{a,b}`` -> ``['/etc/a', '/etc/b']``.  Globs are not expanded.
        Returns None when the word contains an expansion.
        """
        if self.value is None:
            return None
        if not self.brace:
            return [self.value]
        return _expand_braces(self.value, self._mask) or [self.value]

    def resolve(self, env: Mapping[str, str]) -> str | None:
        """The word's value with variables taken from ``env``, or None if unknown."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = part.resolve(env)
                if value is None:
                    return None
                out.append(value)
        return "".join(out)


_OUTPUT_OPS = frozenset({">", ">>", ">|", "&>", "&>>"})
_INPUT_OPS = frozenset({"<", "<>"})
_HEREDOC_OPS = frozenset({"<<", "<<-", "<<<"})


class Redirect:
    """One redirection: ``op`` is the operator without the descriptor
    (``>``, ``>>``, ``<``, ``&>``, ``&>>``, ``>&``, ``<&``, ``>|``, ``<<``,
    ``<<-``, ``<<<``); ``fd`` is the explicit descriptor (``2>`` -> 2) or None.

    ``target`` is the file, descriptor number, here-string or heredoc
    delimiter.  For heredocs, ``body`` is the text the command reads (leading
    tabs removed for ``<<-``; expansions not performed, see ``expands``) and
    ``body_start``/``body_end`` its raw span.  ``start``/``end`` cover the
    operator and target only, never a heredoc body.
    """

    __slots__ = ("op", "fd", "target", "start", "end", "body", "body_start", "body_end", "expands")

    def __init__(self, op: str, fd: int | None, target: Word | None, start: int, end: int, body: str | None = None,
                 body_start: int | None = None, body_end: int | None = None, expands: bool = False):
        self.op = op
        self.fd = fd
        self.target = target
        self.start = start
        self.end = end
        self.body = body
        self.body_start = body_start
        self.body_end = body_end
        self.expands = expands  # heredoc with an unquoted delimiter: $X and $(...) in the body run

    __repr__ = fields_repr
    __eq__ = fields_eq

    @property
    def writes(self) -> bool:
        """True when this redirect opens a file for writing."""
        return self.op in _OUTPUT_OPS or (self.op == ">&" and not self._is_fd_target())

    @property
    def reads(self) -> bool:
        """True when this redirect opens a file for reading."""
        return self.op in _INPUT_OPS or (self.op == "<&" and not self._is_fd_target())

    @property
    def path(self) -> str | None:
        """The file this redirect opens (static value), else None."""
        if (self.writes or self.reads) and self.target is not None:
            return self.target.value
        return None

    def _is_fd_target(self) -> bool:
        value = self.target.value if self.target is not None else None
        return value is None or value == "-" or value.isdigit()


class Command:
    """One simple command (or ``[ ]``/``[[ ]]``/``(( ))``) and where it sits.

    ``kind`` is ``"simple"``, ``"test"`` (``[ ... ]``, ``[[ ... ]]``; argv holds
    the brackets and every operand/operator) or ``"arithmetic"`` (``(( ... ))``).
    A bare ``X=1`` or ``> file`` is a simple command with an empty argv.

    ``connector`` is the operator joining this command to the next one in
    its list: ``&&``, ``||``, ``;`` (also for a newline), ``|``, ``|&``, ``&``,
    or None for the last command of a list.  The last command inside ``( )``
    or ``{ }`` takes the connector that follows the group; the last command of
    an if/for/while/case/function body has None.

    Context flags: ``in_condition`` is True in the condition of if/while/until
    and on the left of ``&&``/``||`` (where ``set -e`` does not stop on
    failure); ``in_function`` means defined, not necessarily run;
    ``in_substitution`` covers ``$(...)``, backticks and ``<(...)`` (those do
    run).  ``group_redirects`` are redirects of enclosing compound commands
    (``{ a; b; } > log``, ``while ...; done < f``) that also apply.
    ``wrappers`` lists the wrappers stripped by :meth:`effective`.
    """

    __slots__ = ("argv", "start", "end", "kind", "assignments", "redirects", "connector", "pipeline",
                 "pipeline_index", "in_pipeline", "negated", "in_subshell", "in_substitution", "in_condition",
                 "in_loop", "in_function", "background", "group_redirects", "wrappers", "loop")

    def __init__(
        self,
        argv: list[Word],
        start: int,
        end: int,
        kind: str = "simple",
        assignments: list[tuple[str, Word]] | None = None,
        redirects: list[Redirect] | None = None,
        connector: str | None = None,
        pipeline: int | None = None,
        pipeline_index: int = 0,
        in_pipeline: bool = False,
        negated: bool = False,
        in_subshell: bool = False,
        in_substitution: bool = False,
        in_condition: bool = False,
        in_loop: bool = False,
        in_function: bool = False,
        background: bool = False,
        group_redirects: list[Redirect] | None = None,
        wrappers: tuple[str, ...] = (),
        loop: tuple[tuple[str, str], ...] = (),
    ):
        self.argv = argv
        self.start = start
        self.end = end
        self.kind = kind
        self.assignments: list[tuple[str, Word]] = [] if assignments is None else assignments
        self.redirects: list[Redirect] = [] if redirects is None else redirects
        self.connector = connector
        self.pipeline = pipeline  # id shared by the commands of one pipeline
        self.pipeline_index = pipeline_index
        self.in_pipeline = in_pipeline
        self.negated = negated
        self.in_subshell = in_subshell
        self.in_substitution = in_substitution
        self.in_condition = in_condition
        self.in_loop = in_loop
        self.in_function = in_function
        self.background = background
        self.group_redirects: list[Redirect] = [] if group_redirects is None else group_redirects
        self.wrappers = wrappers
        self.loop = loop  # (variable, its one static value) of the enclosing `for` loops over one word

    __repr__ = fields_repr
    __eq__ = fields_eq

    @property
    def name(self) -> str | None:
        """argv[0]'s static value, or None (no argv, or an expansion)."""
        return self.argv[0].value if self.argv else None

    @property
    def basename(self) -> str | None:
        """The name without its directory: ``/usr/bin/apt-get`` -> ``apt-get``."""
        name = self.name
        return None if name is None else name.rsplit("/", 1)[-1]

    @property
    def args(self) -> list[Word]:
        return self.argv[1:]

    # -- options -----------------------------------------------------------

    def has_option(self, *names: str, takes_value: Iterable[str] = ()) -> bool:
        """True when any of ``names`` (``-r``, ``--force``) is given.

        Combined short flags count (``-rf`` has ``-r`` and ``-f``), as do
        ``--opt=value`` and whole single-dash words (``find -name``).  Scanning
        stops at ``--``.  Pass ``takes_value`` (e.g. ``("-o",)``) for options
        whose value may be glued on (``-oFILE``), so that its letters are not
        mistaken for flags.
        """
        wanted = set(names)
        return any(opt in wanted for opt, _ in _scan(self.args, set(takes_value))[0])

    def option_word(self, *names: str, takes_value: Iterable[str] = ()) -> Word | None:
        """The value of the last of ``names``, as a Word, or None if absent.

        ``names`` are taken to need a value: ``-o FILE``, ``-oFILE``,
        ``-fsSLo FILE``, ``--output FILE``, ``--output=FILE``.  A value glued
        to its option becomes a Word of its own (offsets inside the original
        word when it is unquoted, else the whole word's span).
        """
        options = _scan(self.args, set(names) | set(takes_value))[0]
        found = [value for opt, value in options if opt in names]
        return found[-1] if found else None

    def option_value(self, *names: str, takes_value: Iterable[str] = ()) -> str | None:
        """Like :meth:`option_word`, returning the static value (None if dynamic)."""
        word = self.option_word(*names, takes_value=takes_value)
        return None if word is None else word.value

    def operands(self, takes_value: Iterable[str] = ()) -> list[Word]:
        """Arguments that are not options (everything after ``--`` included).

        Words with a dynamic value and a lone ``-`` count as operands.  Values of
        options in ``takes_value`` are skipped.
        """
        return _scan(self.args, set(takes_value))[1]

    # -- wrappers ----------------------------------------------------------

    def effective(self) -> Command:
        """This command with wrappers stripped: the command that really runs.

        Stripped, repeatedly: ``sudo``, ``doas``, ``env`` (its ``VAR=x`` words
        join ``assignments``), ``exec``, ``nice``, ``nohup``, ``time``,
        ``command`` and ``builtin`` (not with ``-v``/``-V``), ``timeout``
        (with its duration), ``stdbuf``, ``gosu`` and ``su-exec`` (with the
        user).  ``xargs`` is not stripped: its command gets extra arguments.
        Returns ``self`` when nothing is stripped; otherwise a copy whose
        ``wrappers`` names what was removed and whose ``start``/``end`` still
        cover the whole original command.
        """
        return remembered("effective", self, _effective)


def _effective(command: Command) -> Command:
    while True:
        inner = _unwrap(command)
        if inner is None:
            return command
        command = inner


# A long-running process (the language server) keeps parsed scripts between lints (`scripts.keep_scripts`), and
# with them what is found of each of their commands that depends on nothing else (`Command.effective`, the
# command catalog's `action`): a keystroke changes one RUN, and the rules asked it again of every other one.
# (kind, id(command)) -> (command, answer); None: not kept. A command is never changed once parsed.
_remembered: dict | None = None
MAX_REMEMBERED = 65536


def remember_answers() -> None:
    global _remembered
    if _remembered is None:
        _remembered = {}


def remembered(kind: str, command: Command, compute):
    """`compute(command)`, kept by the command's identity while answers are kept (`remember_answers`)."""
    table = _remembered
    if table is None:
        return compute(command)
    key = (kind, id(command))
    found = table.get(key)
    if found is not None and found[0] is command:
        return found[1]
    answer = compute(command)
    if len(table) >= MAX_REMEMBERED:
        table.clear()
    table[key] = (command, answer)  # holding the command: its id is not reused while the entry lives
    return answer


def _unwrap(command: Command) -> Command | None:
    """Strip one wrapper from ``command``, or None when it has none."""
    wrapper = command.basename
    spec = _WRAPPERS.get(wrapper or "")
    if spec is None:
        return None
    takes_value, positional = spec
    argv = command.argv
    assignments = list(command.assignments)
    i = 1
    while i < len(argv):
        value = argv[i].value
        if value is None:
            break
        if value == "--":
            i += 1
            break
        if wrapper == "env" and re.match(_ASSIGNMENT, value):
            name, _, rest = value.partition("=")
            assignments.append((name, _tail_word(argv[i], len(name) + 1, rest)))
            i += 1
            continue
        if not value.startswith("-") or value == "-":
            break
        if wrapper == "command" and value in ("-v", "-V"):
            return None  # `command -v x` looks x up; it does not run it
        i += 2 if value in takes_value else 1
    i += positional
    if i >= len(argv):
        return None  # a wrapper with nothing to run (`env`, `exec > log`)
    return replace(
        command,
        argv=argv[i:],
        assignments=assignments,
        wrappers=command.wrappers + (wrapper or "",),
    )


# Regular expressions are compiled (and cached by `re`) on first use, not at import.
_ASSIGNMENT = r"[A-Za-z_][A-Za-z0-9_]*="

# wrapper -> (options that take a separate value, positional args before the command)
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U",
                        "--user", "--group", "--chdir", "--host", "--prompt",
                        "--role", "--type", "--close-from", "--other-user",
                        "--command-timeout"}), 0),
    "doas": (frozenset({"-u", "-C"}), 0),
    "env": (frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}), 0),
    "exec": (frozenset({"-a"}), 0),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "nohup": (frozenset(), 0),
    "time": (frozenset({"-f", "--format", "-o", "--output"}), 0),
    "command": (frozenset(), 0),
    "builtin": (frozenset(), 0),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    "stdbuf": (frozenset({"-i", "-o", "-e", "--input", "--output", "--error"}), 0),
    "gosu": (frozenset(), 1),
    "su-exec": (frozenset(), 1),
}


def _scan(args: list[Word], takes_value: set[str]) -> tuple[list[tuple[str, Word | None]], list[Word]]:
    """Split ``args`` into options ``(name, value word or None)`` and operands."""
    options: list[tuple[str, Word | None]] = []
    operands: list[Word] = []
    i = 0
    while i < len(args):
        word = args[i]
        value = word.value
        i += 1
        if value == "--":
            operands.extend(args[i:])
            break
        if value is None or not value.startswith("-") or value == "-":
            operands.append(word)
            continue
        if value.startswith("--"):
            name, eq, rest = value.partition("=")
            if eq:
                options.append((name, _tail_word(word, len(name) + 1, rest)))
            elif name in takes_value and i < len(args):
                options.append((name, args[i]))
                i += 1
            else:
                options.append((name, None))
            continue
        if value in takes_value:  # `-o FILE`, or a single-dash long option like `-name x`
            options.append((value, args[i] if i < len(args) else None))
            i += 1
            continue
        options.append((value, None))  # the whole word too: `find -name`, `java -jar`
        for k in range(1, len(value)):
            flag = "-" + value[k]
            if flag in takes_value:
                rest = value[k + 1:]
                if rest:
                    options.append((flag, _tail_word(word, k + 1, rest)))
                elif i < len(args):
                    options.append((flag, args[i]))
                    i += 1
                else:
                    options.append((flag, None))
                break
            options.append((flag, None))
    return options, operands


def _tail_word(word: Word, offset: int, value: str) -> Word:
    """A Word for the end of ``word``'s value (``-oFILE`` -> ``FILE``)."""
    if word.text == word.value:  # unquoted: offsets inside the word are exact
        start = word.start + offset
        return Word(value, value, start, word.end, (value,), _mask="0" * len(value))
    return Word(word.text, value, word.start, word.end, (value,), quoted=True,
                _mask="1" * len(value))


class Script:
    """A parsed script: every command in source order, plus parse errors.

    ``errors`` are character ranges of tree-sitter ERROR and MISSING nodes;
    commands outside (and, where the parser could tell, inside) them are
    still listed.
    """

    __slots__ = ("text", "commands", "errors")

    def __init__(self, text: str, commands: list[Command], errors: list[tuple[int, int]]):
        self.text = text
        self.commands = commands
        self.errors = errors

    __repr__ = fields_repr
    __eq__ = fields_eq

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def find(self, *names: str) -> list[Command]:
        """Commands that run one of ``names``, seen through wrappers.

        Matching uses the base name (``/usr/bin/apt-get`` matches
        ``apt-get``).  The commands returned are :meth:`Command.effective`
        views: ``sudo apt-get install x`` comes back as ``apt-get install x``
        with ``wrappers == ('sudo',)``.
        """
        wanted = set(names)
        found = []
        for command in self.commands:
            inner = command.effective()
            if inner.basename in wanted:
                found.append(inner)
        return found

    def pipelines(self) -> list[list[Command]]:
        """The commands of each pipeline (two stages or more), in order."""
        groups: dict[int, list[Command]] = {}
        for command in self.commands:
            if command.pipeline is not None:
                groups.setdefault(command.pipeline, []).append(command)
        return list(groups.values())

    def source(self, item: Command | Word | Redirect) -> str:
        """The raw text an item spans."""
        return self.text[item.start:item.end]


