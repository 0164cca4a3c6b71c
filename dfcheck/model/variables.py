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

import re

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


class Scope:
    """The variables visible to one instruction."""

    __slots__ = ("args", "env")

    def __init__(self, args: dict, env: dict):
        self.args = args  # name -> Variable
        self.env = env  # name -> Variable

    def get(self, name: str) -> Variable | None:
        return self.env.get(name) or self.args.get(name)

    def declared(self, name: str) -> bool:
        return name in self.env or name in self.args

    def values(self) -> dict:
        """The known values, ENV over ARG, for the expander (unknown ones stay unset)."""
        out = {n: v.value for n, v in self.args.items() if v.value is not None}
        out.update((n, v.value) for n, v in self.env.items() if v.value is not None)
        return out

    def unknown(self) -> set:
        return {n for n, v in (self.args | self.env).items() if v.value is None}


def expand(lexer, text: str, scope: Scope) -> Expansion:
    """Expand `text` as one word (BuildKit's ProcessWord), noting whether the result is exact."""
    from ..syntax.words import ExpansionError

    try:
        result = lexer.process_word(text, scope.values())
    except ExpansionError as e:
        return Expansion(text, False, frozenset(), str(e))
    used = frozenset(result.used) | frozenset(result.unset)
    exact = not result.unset
    return Expansion(result.value, exact, used)


_REFERENCE = r"\$(?:\{{{name}\b|{name}\b)"


def reference_span(lines: list[str], span: Span, name: str) -> Span:
    """The span of the first `$name` or `${name` inside `span` of the source lines, else `span`."""
    pattern = re.compile(_REFERENCE.format(name=re.escape(name)))
    for line in range(span.line, span.end_line + 1):
        text = lines[line - 1]
        start = span.column - 1 if line == span.line else 0
        end = span.end_column - 1 if line == span.end_line else len(text)
        m = pattern.search(text, start, end)
        if m:
            return Span(line, m.start() + 1, line, m.end() + 1)
    return span
