"""Build arguments and environment variables, scoped exactly as BuildKit scopes them.

- ARGs before the first FROM are global: they are visible only in FROM lines, unless a stage
  declares them again with a bare `ARG NAME`, which brings in the global default.
- Inside a stage, ARG and ENV are visible from the next instruction on; ENV wins over an ARG of
  the same name; both are inherited through `FROM <stage>` (BuildKit hands a stage's declared ARGs,
  with their values, to the stages built FROM it).
- All expansions inside one instruction see the values from before that instruction
  (`ENV a=1 b=$a` gives b the old value of a).
- A value can be unknown at lint time (`ARG VERSION` with no default and no --build-arg).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping

from ..records import fields_repr
from ..syntax.nodes import Instruction, Span

# Declared by BuildKit itself: usable in FROM, and in a stage once declared with a bare ARG.
PLATFORM_ARGS = (
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
)
# Proxy variables are passed to RUN without any ARG.
PROXY_ARGS = (
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
    "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
)
# Instructions whose arguments BuildKit expands (RUN, CMD and ENTRYPOINT are left to the shell).
EXPANDED = ("ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", "ARG")
# Flags whose values BuildKit expands.
EXPANDED_FLAGS = {
    "ADD": ("chown", "chmod", "checksum", "exclude"),
    "COPY": ("from", "chown", "chmod", "exclude"),
    "FROM": ("platform",),
    "RUN": ("mount", "network", "security"),
}


# Plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records).

class Variable:
    __slots__ = ("name", "value", "kind", "node")

    def __init__(self, name: str, value: str | None, kind: str, node: Instruction | None):
        self.name = name
        self.value = value  # None: declared, but its value is not known when linting
        self.kind = kind  # "arg" or "env"
        self.node = node  # where it was set; None for BuildKit's own

    __repr__ = fields_repr


class Expansion:
    __slots__ = ("value", "exact", "used", "error")

    def __init__(self, value: str, exact: bool, used: frozenset, error: str | None = None):
        self.value = value
        self.exact = exact  # False when a variable it uses has an unknown value, or is undefined
        self.used = used  # names that were referenced
        self.error = error

    __repr__ = fields_repr


class UndefinedUse:
    __slots__ = ("name", "node", "span", "suggestion")

    def __init__(self, name: str, node: Instruction, span: Span, suggestion: str | None):
        self.name = name
        self.node = node
        self.span = span
        self.suggestion = suggestion  # a declared name it is probably a typo of

    __repr__ = fields_repr


class Layers:
    """Variables set one after another (the ARGs or the ENVs of a stage); `view()` is a read-only mapping of
    those set before it was taken. Nothing is copied per instruction: a stage of n ARGs would copy n dicts
    of up to n names each."""

    __slots__ = ("_entries", "_names", "_firsts", "_count")

    def __init__(self, initial: Mapping | None = None):
        self._entries: dict[str, tuple[list[int], list]] = {}  # name -> (sequence numbers, values)
        self._names: list[str] = []  # in the order they were first set
        self._firsts: list[int] = []  # the sequence number each of them was first set at
        self._count = 0
        for name, value in (initial or {}).items():
            self.set(name, value)

    def set(self, name: str, value) -> None:
        numbers, values = self._entries.setdefault(name, ([], []))
        if not numbers:
            self._names.append(name)
            self._firsts.append(self._count)
        numbers.append(self._count)
        values.append(value)
        self._count += 1

    def view(self) -> LayersView:
        return LayersView(self, self._count)


class LayersView(Mapping):
    """What a Layers held when the view was taken."""

    __slots__ = ("_layers", "_until")

    def __init__(self, layers: Layers, until: int):
        self._layers = layers
        self._until = until

    def __getitem__(self, name: str):
        entry = self._layers._entries.get(name)
        if entry is not None:
            before = bisect_left(entry[0], self._until)
            if before:
                return entry[1][before - 1]
        raise KeyError(name)

    def __contains__(self, name) -> bool:
        entry = self._layers._entries.get(name)
        return entry is not None and entry[0][0] < self._until

    def get(self, name, default=None):  # Mapping.get goes through __getitem__ and an exception: this is hot
        entry = self._layers._entries.get(name)
        if entry is not None:
            before = bisect_left(entry[0], self._until)
            if before:
                return entry[1][before - 1]
        return default

    def __iter__(self):
        layers = self._layers
        return iter(layers._names[:bisect_left(layers._firsts, self._until)])

    def __len__(self) -> int:
        return bisect_left(self._layers._firsts, self._until)


class Scope:
    """The variables visible to one instruction."""

    __slots__ = ("args", "env")

    def __init__(self, args: Mapping, env: Mapping):
        self.args = args  # name -> Variable
        self.env = env  # name -> Variable

    def get(self, name: str) -> Variable | None:
        return self.env.get(name) or self.args.get(name)

    def declared(self, name: str) -> bool:
        return name in self.env or name in self.args

    def values(self) -> Mapping:
        """The known values, ENV over ARG, for the expander (unknown ones stay unset): a view, not a copy."""
        return KnownValues(self)

    def unknown(self) -> set:
        return {n for n in dict.fromkeys([*self.args, *self.env]) if self.get(n).value is None}


class KnownValues(Mapping):
    """A scope's known values by name, ENV over ARG; a variable whose value is unknown is absent."""

    __slots__ = ("_scope",)

    def __init__(self, scope: Scope):
        self._scope = scope

    def __getitem__(self, name: str) -> str:
        for table in (self._scope.env, self._scope.args):
            variable = table.get(name)
            if variable is not None and variable.value is not None:
                return variable.value
        raise KeyError(name)

    def __contains__(self, name) -> bool:
        for table in (self._scope.env, self._scope.args):
            variable = table.get(name)
            if variable is not None and variable.value is not None:
                return True
        return False

    def __iter__(self):
        return (n for n in dict.fromkeys([*self._scope.args, *self._scope.env]) if n in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def expand(lexer, text: str, scope: Scope) -> Expansion:
    """Expand `text` as one word (BuildKit's ProcessWord), noting whether the result is exact."""
    # What ProcessWord reads in a word besides the escape token, looked for one by one: a substring search
    # each, where a set intersection built a set of the word's characters (about 3 ms of a 50 ms language-server re-lint)
    if "$" not in text and "'" not in text and '"' not in text and "\\" not in text and lexer.escape not in text:
        return Expansion(text, True, frozenset())  # nothing to expand, unquote or unescape: most words
    from ..syntax.expansion import ExpansionError

    try:
        result = lexer.process_word(text, scope.values())
    except ExpansionError as e:
        return Expansion(text, False, frozenset(), str(e))
    used = frozenset(result.used) | frozenset(result.unset)
    exact = not result.unset
    return Expansion(result.value, exact, used)


def reference_span(lines: list[str], span: Span, name: str) -> Span:
    """The span of the first `$name` or `${name` inside `span` of the source lines, else `span`.

    (Found with str.find rather than a regular expression compiled per name: a file with thousands of
    undefined names compiled thousands of them.)"""
    for line in range(span.line, span.end_line + 1):
        text = lines[line - 1]
        start = span.column - 1 if line == span.line else 0
        end = min(span.end_column - 1 if line == span.end_line else len(text), len(text))
        at = text.find("$", start, end)
        while at >= 0:
            begin = at + 2 if text.startswith("{", at + 1, end) else at + 1
            after = begin + len(name)
            if text.startswith(name, begin, end) and (after >= end or not _word_char(text[after])):
                return Span(line, at + 1, line, after + 1)
            at = text.find("$", at + 1, end)
    return span


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches in a str pattern
