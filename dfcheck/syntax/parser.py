"""The Dockerfile parser, faithful to BuildKit's (frontend/dockerfile/parser).

BuildKit reads physical lines, recognises parser directives at the very top, strips comments,
joins continuation lines into one logical line, splits the keyword and the builder flags off it,
then hands the rest to a per-instruction argument parser; heredoc bodies follow the line that
opens them. This module does the same, keeps every token's position, and, unlike BuildKit, does
not stop at the first error: an instruction BuildKit would reject carries an ``error`` and a
ParseError, and parsing goes on with the next line.
"""

from __future__ import annotations

import re

from .expansion import parse_heredoc_word
from .gocompat import GO_SPACE
from .instructions import InstructionBuilder
from .nodes import Comment, Directive, Dockerfile, Heredoc, Instruction, ParseError, Span

# DirectiveParser.ParseLine: after the '#', bytes.TrimLeftFunc(unicode.IsSpace), then the regexp
# ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ (\s is ASCII), matched by _match_directive
_DIRECTIVE_HEAD = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=")
_RE2_SPACE = "\t\n\f\r "
# bufio.Scanner's default limit: a line of 64 KiB or more stops BuildKit's parser
_MAX_LINE_BYTES = 64 * 1024
_CONTINUATION = {
    "\\": re.compile(r"([^\\])\\[ \t]*\Z|^\\[ \t]*\Z"),
    "`": re.compile(r"([^`])`[ \t]*\Z|^`[ \t]*\Z"),
}

KNOWN_DIRECTIVES = ("syntax", "escape", "check")
HEREDOC_INSTRUCTIONS = ("ADD", "COPY", "RUN")



class _Line:
    """A physical line: its text without the line end, and that line end."""

    __slots__ = ("text", "end")

    def __init__(self, text: str, end: str):
        self.text = text
        self.end = end


def _split_lines(text: str) -> list[_Line]:
    # BuildKit splits on '\n' only and trims any run of '\r'/'\n' at a line's end.
    out = []
    for raw in text.split("\n"):
        body = raw.rstrip("\r")
        out.append(_Line(body, raw[len(body):] + "\n"))
    if out and out[-1].text == "" and out[-1].end == "\n":
        out.pop()  # the text ended with a newline: no extra empty line
    elif out:
        out[-1].end = out[-1].end[:-1]
    return out


def _match_directive(text: str) -> tuple[str, str] | None:
    """(name, value) when `text` (the line after '#' and its blanks) is `name=value`, as BuildKit's regexp.

    Written out because Python's backtracking takes quadratic time on `(.+?)\\s*$` where RE2 does
    not. When only blanks follow the '=', the regexp still matches: `.+?` takes the last blank.
    """
    m = _DIRECTIVE_HEAD.match(text)
    if not m:
        return None
    rest = text[m.end():]
    value = rest.lstrip(_RE2_SPACE)
    if value:
        return m.group(1), value.rstrip(_RE2_SPACE)
    if rest:
        return m.group(1), rest[-1]
    return None


def _is_comment(text: str) -> bool:
    return text.lstrip(GO_SPACE).startswith("#")


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile source text. Never raises; problems are in ``Dockerfile.errors``."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    parser = _Parser(text)
    parser.bom = bom
    return parser.run()


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.lines = _split_lines(text)
        self.escape = "\\"
        self.continuation = _CONTINUATION["\\"]
        self.directives: list[Directive] = []
        self.directives_done = False
        self.comments: list[Comment] = []
        self.errors: list[ParseError] = []
        self.instructions: list[Instruction] = []
        self.bom = False

    def error(self, message: str, span: Span) -> None:
        self.errors.append(ParseError(message, span))

    def line_span(self, number: int) -> Span:
        return Span(number, 1, number, len(self.lines[number - 1].text) + 1)

    # -- directives -------------------------------------------------------------------------

    def directive(self, text: str, number: int) -> bool:
        """Look for a parser directive; True when the line is one."""
        if self.directives_done:
            return False
        m = _match_directive(text[1:].lstrip(GO_SPACE)) if text.startswith("#") else None
        if not m or m[0].lower() not in KNOWN_DIRECTIVES:
            self.directives_done = True
            return False
        name, value = m[0].lower(), m[1]
        span = self.line_span(number)
        if any(d.name == name for d in self.directives):
            self.error(f"only one {name} parser directive can be used", span)
            return False
        self.directives.append(Directive(name, value, span))
        if name == "escape":
            if value not in ("\\", "`"):
                self.error(f"invalid escape token '{value}' does not match ` or \\", span)
            else:
                self.escape = value
                self.continuation = _CONTINUATION[value]
        return True

    def trim_continuation(self, text: str) -> tuple[str, bool]:
        """Remove a trailing escape token; the flag says whether the line continues."""
        m = self.continuation.search(text)
        if not m:
            return text, False
        return text[: m.start()] + (m.group(1) or ""), True

    # -- the main loop ----------------------------------------------------------------------

    def run(self) -> Dockerfile:
        lines = self.lines
        pending: list[Comment] = []  # BuildKit's PrevComment: comments since the last instruction
        i = 0
        while i < len(lines):
            number = i + 1
            raw = lines[i].text
            stripped = raw.lstrip(GO_SPACE)
            i += 1
            is_directive = self.directive(stripped, number)
            if stripped.startswith("#"):
                if is_directive:
                    continue
                comment = self.comment(raw, number)
                # BuildKit's PrevComment: strings.TrimSpace(line[1:]) empty ends the block, so only a
                # '#' in the first column followed by nothing but blanks does ("  #" is kept, as "#")
                if not comment.buildkit_text:
                    pending = []
                else:
                    pending.append(comment)
                continue
            first, continues = self.trim_continuation(stripped)
            if not continues and not first:
                continue  # blank line
            indent = len(raw) - len(stripped)
            pieces = [(first, number, indent)]
            empty_lines: list[int] = []
            last = number
            while continues and i < len(lines):
                raw = lines[i].text
                last = i + 1
                i += 1
                if _is_comment(raw):
                    self.comment(raw, last)
                    continue
                if not raw.lstrip(GO_SPACE):
                    empty_lines.append(last)
                    continue
                piece, continues = self.trim_continuation(raw)
                pieces.append((piece, last, 0))
            i = self.instruction(pieces, last, pending, empty_lines, i)
            pending = []
        for number, line in enumerate(lines, 1):
            if (len(line.text) + len(line.end)) * 4 + 3 >= _MAX_LINE_BYTES and \
                    self.line_bytes(line, number) >= _MAX_LINE_BYTES:
                self.error(f"dockerfile line greater than max allowed size of {_MAX_LINE_BYTES - 1}",
                           self.line_span(number))
        if not self.instructions:
            end = len(lines) or 1
            self.error("file with no instructions", Span(end, 1, end, (len(lines[-1].text) if lines else 0) + 1))
        return Dockerfile(
            text=self.text,
            lines=[line.text for line in lines],
            instructions=self.instructions,
            comments=self.comments,
            directives=self.directives,
            errors=self.errors,
            escape=self.escape,
            frontend_directives=self.frontend_directives(),
        )

    def frontend_directives(self) -> list[Directive]:
        """The `syntax` and `check` directives as BuildKit's ParseDirective/DetectSyntax find them.

        Those read the raw lines: a first line starting with `#!` is skipped, and a directive must
        start with '#' in the first column (the parser itself trims the line first, and knows no
        shebang). The first of a repeated directive wins.
        """
        lines = self.lines
        found: list[Directive] = []
        for index in range(1 if lines and lines[0].text.startswith("#!") else 0, len(lines)):
            raw = lines[index].text
            m = _match_directive(raw[1:].lstrip(GO_SPACE)) if raw.startswith("#") else None
            if not m or m[0].lower() not in KNOWN_DIRECTIVES:
                break
            name = m[0].lower()
            if any(d.name == name for d in found):
                break
            found.append(Directive(name, m[1], self.line_span(index + 1)))
        return found

    def line_bytes(self, line: _Line, number: int) -> int:
        """The length in bytes of the line as bufio.Scanner holds it (its CRs, and a byte-order mark)."""
        size = len((line.text + line.end.rstrip("\n")).encode("utf-8", "surrogatepass"))
        return size + (3 if number == 1 and self.bom else 0)

    def comment(self, raw: str, number: int) -> Comment:
        start = len(raw) - len(raw.lstrip(GO_SPACE))
        comment = Comment(raw[start + 1:].strip(GO_SPACE), Span(number, start + 1, number, len(raw) + 1),
                          raw[1:].strip(GO_SPACE))
        self.comments.append(comment)
        return comment

    def instruction(self, pieces, last_line, comments, empty_lines, next_index) -> int:
        """Build the instruction of a logical line; returns the index of the next line to read."""
        segments = []
        offset = 0
        for piece, number, column in pieces:
            segments.append((offset, number, column + 1))
            offset += len(piece)
        original = "".join(p[0] for p in pieces)
        node = self.built(original, tuple(segments))
        node.comments = list(comments)
        node.empty_continuation_lines = empty_lines
        node.index = len(self.instructions)
        first_line, first_column = pieces[0][1], pieces[0][2] + 1
        end_line = last_line
        target = node.trigger if node.keyword == "ONBUILD" and node.trigger else node
        if target.keyword in HEREDOC_INSTRUCTIONS and not target.json and "<<" in original:
            next_index, end_line = self.heredocs(node, target, original, next_index, end_line)
        node.span = Span(first_line, first_column, end_line, len(self.lines[end_line - 1].text) + 1)
        self.instructions.append(node)
        return next_index

    def built(self, original: str, segments: tuple) -> Instruction:
        """The instruction of a logical line, reused from an earlier parse when the same line was built at the
        same place with the same escape token (see keep_instructions); its errors are reported again."""
        if _kept is None:
            return InstructionBuilder(self, original, segments).build(0)
        key = (self.escape, original, segments)  # the segments hold the line numbers of the spans
        kept = _kept.get(key)
        if kept is None:
            before = len(self.errors)
            node = InstructionBuilder(self, original, segments).build(0)
            if node.trigger is not None and "<<" in original:  # the heredocs would go on the shared trigger
                return node
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = kept = (node, self.errors[before:])
            return _copy(node)
        node, errors = kept
        self.errors.extend(errors)
        return _copy(node)

    def heredocs(self, node: Instruction, target: Instruction, original: str, i: int, end_line: int):
        lines = self.lines
        search_from = 0
        markers = _kept_markers.get(original) if _kept is not None else None
        if markers is None:
            markers = _heredoc_markers(original)
            if _kept is not None:  # kept with the instructions: lexing the line again was a quarter of a parse
                if len(_kept_markers) >= MAX_KEPT:
                    _kept_markers.clear()
                _kept_markers[original] = markers
        for fd, chomp, name, expand, word in markers:
            at = original.find(word, search_from)
            search_from = at + len(word) if at >= 0 else search_from
            marker_span = node.span_of(at, at + len(word)) if at >= 0 else node.keyword_span
            body_start = i
            content = []
            terminated = False
            while i < len(lines):
                line = lines[i]
                i += 1
                candidate = line.text.lstrip("\t") if chomp else line.text
                if candidate == name:
                    terminated = True
                    break
                content.append(line.text + line.end)
            if not terminated:
                self.error("unterminated heredoc", marker_span)
                node.error = node.error or "unterminated heredoc"
                return body_start, end_line  # resume right after the instruction line(s)
            end_line = i
            span = Span(body_start + 1, 1, i, len(lines[i - 1].text) + 1)
            target.heredocs.append(
                Heredoc(name, fd, chomp, expand, "".join(content), marker_span, span, body_start + 1)
            )
        return i, end_line


# A long-running process (the language server) keeps built instructions between parses, by their logical line and
# place: a keystroke changes one instruction, and building the others again was a quarter of a lint. The parser
# sets an instruction's comments, index, span and heredocs after building it, so each parse gets its own copy of
# the Instruction; its parts (arguments, flags, pairs, trigger, errors) are shared and never changed once built.
# None: not kept.
_kept: dict | None = None
_kept_markers: dict[str, list] = {}  # a logical line -> the heredocs it opens (`_heredoc_markers`), when kept
MAX_KEPT = 4096


def keep_instructions() -> None:
    global _kept
    if _kept is None:
        _kept = {}


def _copy(node: Instruction) -> Instruction:
    copy = Instruction.__new__(Instruction)
    for name in Instruction.__slots__:
        setattr(copy, name, getattr(node, name))
    copy.heredocs = []  # the parser adds the bodies read after the line
    return copy


# BuildKit's lexer keeps the blanks (space, tab, CR) after an unquoted `<<` in the word (its
# processPossibleHeredoc), so `<< EOF` is one word. The word lexer of expansion.py does not, so the parser
# hides those blanks behind private-use characters while it lexes the line, then puts them back.
_GLUE = {" ": "\ue000", "\t": "\ue001", "\r": "\ue002"}
_UNGLUE = {ord(v): k for k, v in _GLUE.items()}


def _glue_heredoc_blanks(line: str) -> str:
    if "<<" not in line or any(c in line for c in _GLUE.values()):
        return line
    out = []
    i, n = 0, len(line)
    quote = None
    while i < n:
        ch = line[i]
        if quote == "'":
            if ch == "'":
                quote = None
        elif ch == "\\":  # BuildKit lexes heredoc lines with the backslash escape, whatever `# escape=` says
            out.append(line[i:i + 2])
            i += 2
            continue
        elif quote == '"':
            if ch == '"':
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "<" and line.startswith("<", i + 1):
            j = i + 2
            while j < n and line[j] in _GLUE:
                j += 1
            out.append("<<" + "".join(_GLUE[c] for c in line[i + 2:j]))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _heredoc_markers(line: str):
    """The heredocs a logical line opens, as BuildKit finds them: (fd, chomp, name, expand, word)."""
    from .expansion import ExpansionError, Lexer

    glued = _glue_heredoc_blanks(line)
    try:
        words = Lexer("\\", raw_quotes=True, raw_escapes=True, skip_unset_env=True).process_words(glued, {}).words
    except ExpansionError:
        return []
    if glued is not line:
        words = [w.translate(_UNGLUE) for w in words]
    found = []
    for word in words:
        heredoc = parse_heredoc_word(word)
        if heredoc:
            found.append((*heredoc, word))
    return found
