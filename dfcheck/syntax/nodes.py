"""The syntax tree of a Dockerfile: plain data, every node with a span into the original text.

Lines and columns are 1-based; ``end_column`` is one past the last character. Columns count
characters (code points) of the physical line, after a UTF-8 byte-order mark is removed.

The classes are plain classes with ``__slots__`` rather than dataclasses, for start-up time (see
dfcheck.records); their constructors take the fields in order, positionally or by name.
"""

from __future__ import annotations

from bisect import bisect_right

from ..records import fields_repr


class Span:
    """Immutable by convention: compared and hashed by value."""

    __slots__ = ("line", "column", "end_line", "end_column")

    def __init__(self, line: int, column: int, end_line: int, end_column: int):
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def __repr__(self) -> str:
        return f"Span(line={self.line!r}, column={self.column!r}, end_line={self.end_line!r}, " \
               f"end_column={self.end_column!r})"

    def __eq__(self, other) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.line, self.column, self.end_line, self.end_column) == (
            other.line, other.column, other.end_line, other.end_column)

    def __hash__(self) -> int:
        return hash((self.line, self.column, self.end_line, self.end_column))

    def contains(self, line: int, column: int) -> bool:
        if (line, column) < (self.line, self.column):
            return False
        return (line, column) < (self.end_line, self.end_column) or (
            line == self.end_line and column == self.end_column
        )


class Comment:
    __slots__ = ("text", "span", "buildkit_text")

    def __init__(self, text: str, span: Span, buildkit_text: str = ""):
        self.text = text  # without the leading '#' and surrounding whitespace
        self.span = span
        # the entry of BuildKit's Node.PrevComment: strings.TrimSpace(line[1:]), so an indented "  # x" is "# x"
        # (and BuildKit's linter then finds no `check=` directive in it)
        self.buildkit_text = buildkit_text

    __repr__ = fields_repr


class Directive:
    __slots__ = ("name", "value", "span")

    def __init__(self, name: str, value: str, span: Span):
        self.name = name  # lower-case: syntax, escape or check
        self.value = value
        self.span = span

    __repr__ = fields_repr


class ParseError:
    __slots__ = ("message", "span")

    def __init__(self, message: str, span: Span):
        self.message = message
        self.span = span

    __repr__ = fields_repr


class Flag:
    """A builder flag such as ``--from=build`` or ``--link``."""

    __slots__ = ("name", "value", "text", "span")

    def __init__(self, name: str, value: str | None, text: str, span: Span):
        self.name = name  # without the dashes
        self.value = value  # None when written without '='
        self.text = text  # as BuildKit hands it on, quotes and escapes removed: "--from=build"
        self.span = span

    __repr__ = fields_repr


class Arg:
    """One argument as BuildKit's parser produces it (the strings of its instruction dump)."""

    __slots__ = ("value", "span")

    def __init__(self, value: str, span: Span):
        self.value = value
        self.span = span

    __repr__ = fields_repr


class KeyValue:
    """A pair of ENV, LABEL or ARG. ``value`` is raw (quotes kept); ARG without '=' has value None."""

    __slots__ = ("key", "value", "separator", "span", "key_span", "value_span")

    def __init__(self, key: str, value: str | None, separator: str, span: Span, key_span: Span,
                 value_span: Span | None):
        self.key = key
        self.value = value
        self.separator = separator  # "=" or "" for the legacy `ENV KEY value` form
        self.span = span
        self.key_span = key_span
        self.value_span = value_span

    __repr__ = fields_repr


class Heredoc:
    __slots__ = ("name", "fd", "chomp", "expand", "content", "marker_span", "span", "body_line")

    def __init__(self, name: str, fd: int | None, chomp: bool, expand: bool, content: str, marker_span: Span,
                 span: Span, body_line: int):
        self.name = name  # the delimiter word with quotes removed
        self.fd = fd  # the file descriptor prefix of `3<<EOF`, if any
        self.chomp = chomp  # `<<-EOF`: leading tabs are stripped from the body
        self.expand = expand  # False when the delimiter was quoted: the body is taken literally
        self.content = content  # the body verbatim, every line with its line end, terminator excluded
        self.marker_span = marker_span  # the `<<EOF` word in the instruction line
        self.span = span  # the body lines and the terminator line
        self.body_line = body_line  # first line of the body

    __repr__ = fields_repr

    @property
    def body(self) -> str:
        """The content as the build sees it (leading tabs removed for `<<-`)."""
        if not self.chomp:
            return self.content
        return "".join(line.lstrip("\t") for line in self.content.splitlines(keepends=True))


class Instruction:
    __slots__ = ("keyword", "span", "keyword_span", "original", "_args_text", "args_offset", "flags", "args", "json",
                 "pairs", "heredocs", "trigger", "comments", "error", "empty_continuation_lines", "index",
                 "keyword_text", "segments", "_args_end")
    _shown = ("keyword", "span", "keyword_span", "original", "args_text", "args_offset", "flags", "args", "json",
              "pairs", "heredocs", "trigger", "comments", "error", "empty_continuation_lines", "index",
              "keyword_text", "segments")

    def __init__(
        self,
        keyword: str,
        span: Span,
        keyword_span: Span,
        original: str,
        args_text: str,
        args_offset: int,
        flags: list[Flag] | None = None,
        args: list[Arg] | None = None,
        json: bool = False,
        pairs: list[KeyValue] | None = None,
        heredocs: list[Heredoc] | None = None,
        trigger: Instruction | None = None,
        comments: list[Comment] | None = None,
        error: str | None = None,
        empty_continuation_lines: list[int] | None = None,
        index: int = 0,
        keyword_text: str = "",
        segments: tuple[tuple[int, int, int], ...] = (),
    ):
        self.keyword = keyword  # upper-case: "RUN", "COPY", ... (unknown keywords too)
        self.span = span  # from the keyword to the end of the instruction, heredoc bodies included
        self.keyword_span = keyword_span
        self.original = original  # the logical line: continuation lines joined exactly as BuildKit joins them
        self._args_text = args_text  # what follows the keyword and flags in `original`, trimmed (args_text)
        self._args_end = None
        self.args_offset = args_offset  # where args_text starts in `original`
        self.flags: list[Flag] = [] if flags is None else flags
        self.args: list[Arg] = [] if args is None else args  # BuildKit's argument list
        self.json = json  # exec (JSON array) form
        self.pairs: list[KeyValue] = [] if pairs is None else pairs  # ENV, LABEL and ARG
        self.heredocs: list[Heredoc] = [] if heredocs is None else heredocs
        self.trigger = trigger  # the instruction that ONBUILD registers
        self.comments: list[Comment] = [] if comments is None else comments  # the comment block right above
        self.error = error  # set when BuildKit would reject this instruction
        self.empty_continuation_lines: list[int] = [] if empty_continuation_lines is None else empty_continuation_lines
        self.index = index  # position among the file's instructions
        # the keyword as written ("run", "Run", "FROMM"): what BuildKit's messages show
        self.keyword_text = keyword_text
        # (offset in `original`, line, column) of each physical line's piece, for mapping back
        self.segments = segments

    __repr__ = fields_repr

    @property
    def args_text(self) -> str:
        """What follows the keyword and flags in `original`, trimmed."""
        text = self._args_text
        return text if text is not None else self.original[self.args_offset:self._args_end]

    @args_text.setter
    def args_text(self, text: str) -> None:
        self._args_text = text

    @property
    def args_end(self) -> int:
        """Where args_text ends in `original`."""
        return self._args_end if self._args_text is None else self.args_offset + len(self._args_text)

    def cut_args(self, end: int) -> None:
        """Let args_text be original[args_offset:end], cut on each use rather than stored."""
        self._args_text = None
        self._args_end = end

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


class Dockerfile:
    __slots__ = ("text", "lines", "instructions", "comments", "directives", "errors", "escape", "frontend_directives")

    def __init__(self, text: str, lines: list[str], instructions: list[Instruction], comments: list[Comment],
                 directives: list[Directive], errors: list[ParseError], escape: str = "\\",
                 frontend_directives: list[Directive] | None = None):
        self.text = text  # the source, byte-order mark removed
        self.lines = lines  # physical lines without their line ends
        self.instructions = instructions
        self.comments = comments
        self.directives = directives
        self.errors = errors
        self.escape = escape
        # `syntax` and `check` as BuildKit's frontend reads them (ParseDirective): past a `#!` first line,
        # and only with '#' in the first column. None: same as `directives`.
        self.frontend_directives = frontend_directives

    __repr__ = fields_repr

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
