"""The syntax tree of a Dockerfile: plain data, every node with a span into the original text.

Lines and columns are 1-based; ``end_column`` is one past the last character. Columns count
characters (code points) of the physical line, after a UTF-8 byte-order mark is removed.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        if (line, column) < (self.line, self.column):
            return False
        return (line, column) < (self.end_line, self.end_column) or (
            line == self.end_line and column == self.end_column
        )


@dataclass(slots=True, eq=False)
class Comment:
    text: str  # without the leading '#' and surrounding whitespace
    span: Span
    # the entry of BuildKit's Node.PrevComment: strings.TrimSpace(line[1:]), so an indented "  # x" is "# x"
    # (and BuildKit's linter then finds no `check=` directive in it)
    buildkit_text: str = ""


@dataclass(slots=True, eq=False)
class Directive:
    name: str  # lower-case: syntax, escape or check
    value: str
    span: Span


@dataclass(slots=True, eq=False)
class ParseError:
    message: str
    span: Span


@dataclass(slots=True, eq=False)
class Flag:
    """A builder flag such as ``--from=build`` or ``--link``."""

    name: str  # without the dashes
    value: str | None  # None when written without '='
    text: str  # as BuildKit hands it on, quotes and escapes removed: "--from=build"
    span: Span


@dataclass(slots=True, eq=False)
class Arg:
    """One argument as BuildKit's parser produces it (the strings of its instruction dump)."""

    value: str
    span: Span


@dataclass(slots=True, eq=False)
class KeyValue:
    """A pair of ENV, LABEL or ARG. ``value`` is raw (quotes kept); ARG without '=' has value None."""

    key: str
    value: str | None
    separator: str  # "=" or "" for the legacy `ENV KEY value` form
    span: Span
    key_span: Span
    value_span: Span | None


@dataclass(slots=True, eq=False)
class Heredoc:
    name: str  # the delimiter word with quotes removed
    fd: int | None  # the file descriptor prefix of `3<<EOF`, if any
    chomp: bool  # `<<-EOF`: leading tabs are stripped from the body
    expand: bool  # False when the delimiter was quoted: the body is taken literally
    content: str  # the body verbatim, every line with its line end, terminator excluded
    marker_span: Span  # the `<<EOF` word in the instruction line
    span: Span  # the body lines and the terminator line
    body_line: int  # first line of the body

    @property
    def body(self) -> str:
        """The content as the build sees it (leading tabs removed for `<<-`)."""
        if not self.chomp:
            return self.content
        return "".join(line.lstrip("\t") for line in self.content.splitlines(keepends=True))


@dataclass(slots=True, eq=False)
class Instruction:
    keyword: str  # upper-case: "RUN", "COPY", ... (unknown keywords too)
    span: Span  # from the keyword to the end of the instruction, heredoc bodies included
    keyword_span: Span
    original: str  # the logical line: continuation lines joined exactly as BuildKit joins them
    args_text: str  # what follows the keyword and flags in `original`, trimmed
    args_offset: int  # where args_text starts in `original`
    flags: list[Flag] = field(default_factory=list)
    args: list[Arg] = field(default_factory=list)  # BuildKit's argument list
    json: bool = False  # exec (JSON array) form
    pairs: list[KeyValue] = field(default_factory=list)  # ENV, LABEL and ARG
    heredocs: list[Heredoc] = field(default_factory=list)
    trigger: Instruction | None = None  # the instruction that ONBUILD registers
    comments: list[Comment] = field(default_factory=list)  # the comment block right above
    error: str | None = None  # set when BuildKit would reject this instruction
    empty_continuation_lines: list[int] = field(default_factory=list)
    index: int = 0  # position among the file's instructions
    keyword_text: str = ""  # the keyword as written ("run", "Run", "FROMM"): what BuildKit's messages show
    # (offset in `original`, line, column) of each physical line's piece, for mapping back
    segments: tuple[tuple[int, int, int], ...] = ()

    @property
    def values(self) -> list[str]:
        return [a.value for a in self.args]

    def flag(self, name: str) -> Flag | None:
        """The last flag called `name` (BuildKit keeps the last value of a repeated flag)."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def locate(self, offset: int) -> tuple[int, int]:
        """The (line, column) of a character offset in `original`."""
        return locate(self.segments, offset)

    def span_of(self, start: int, end: int) -> Span:
        """The span of original[start:end]."""
        return span_in(self.segments, start, end)


def locate(segments, offset: int) -> tuple[int, int]:
    """Map an offset in a logical line to (line, column), given its (offset, line, column) segments."""
    i = bisect_right(segments, (offset, float("inf"))) - 1
    start, line, column = segments[max(i, 0)]
    return line, column + (offset - start)


def span_in(segments, start: int, end: int) -> Span:
    """The span of logical_line[start:end]; an end at a line join stays on the earlier line."""
    line, column = locate(segments, start)
    if end <= start:
        return Span(line, column, line, column)
    end_line, end_column = locate(segments, end - 1)
    return Span(line, column, end_line, end_column + 1)


@dataclass(slots=True, eq=False)
class Dockerfile:
    text: str  # the source, byte-order mark removed
    lines: list[str]  # physical lines without their line ends
    instructions: list[Instruction]
    comments: list[Comment]
    directives: list[Directive]
    errors: list[ParseError]
    escape: str = "\\"
    # `syntax` and `check` as BuildKit's frontend reads them (ParseDirective): past a `#!` first line,
    # and only with '#' in the first column. None: same as `directives`.
    frontend_directives: list[Directive] | None = None

    def directive(self, name: str) -> Directive | None:
        """The directive in effect: `escape` as the parser reads it, `syntax` and `check` as the frontend does."""
        source = self.directives
        if name != "escape" and self.frontend_directives is not None:
            source = self.frontend_directives
        for d in source:
            if d.name == name:
                return d
        return None

    def line_span(self, line: int) -> Span:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return Span(line, 1, line, len(text) + 1)
