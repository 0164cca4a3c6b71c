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
from .gocompat import GO_JSON, GO_SPACE, go_json_valid_prefix, go_lower, go_quote
from .nodes import Arg, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, ParseError, Span, span_in
from .validation import INSTRUCTIONS, validate

_SEPARATOR = re.compile(r"[\t\v\f\r ]+")  # BuildKit's reWhitespace
_FIELD = re.compile(r"[^\t\v\f\r ]+")
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

_KEYWORDS = {k.lower(): k for k in INSTRUCTIONS}
# unicode.IsSpace of a single byte taken as a rune (extractBuilderFlags reads bytes)
_BYTE_SPACE = "\t\n\v\f\r \x85\xa0"


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
        node = _Builder(self, original, tuple(segments)).build(0)
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

    def heredocs(self, node: Instruction, target: Instruction, original: str, i: int, end_line: int):
        lines = self.lines
        search_from = 0
        for fd, chomp, name, expand, word in _heredoc_markers(original):
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


def _skip_space(text: str, pos: int, end: int) -> int:
    """The first position from `pos` on (at most `end`) that is not a Go space."""
    while pos < end and text[pos] in GO_SPACE:
        pos += 1
    return pos


def _trim_space(text: str, end: int) -> int:
    """len(text[:end].rstrip(GO_SPACE)), without the copy."""
    while end > 0 and text[end - 1] in GO_SPACE:
        end -= 1
    return end


class _Builder:
    """Turns one logical line (or an ONBUILD trigger inside it) into an Instruction."""

    def __init__(self, parser: _Parser, original: str, segments):
        self.parser = parser
        self.original = original
        self.segments = segments
        self.escape = parser.escape
        self.end = _trim_space(original, len(original))  # the line without its trailing blanks

    def span(self, start: int, end: int) -> Span:
        return span_in(self.segments, start, end)

    def build(self, base: int, trigger: bool = False) -> Instruction:
        """Parse original[base:] as an instruction (an ONBUILD trigger when `trigger`).

        `ONBUILD ONBUILD ...` is built level by level in a loop, innermost trigger last, then checked from
        the inside out: a chain of hundreds of levels would exceed Python's recursion limit."""
        chain = []  # (ONBUILD, whether it is a trigger itself, the parser's error count before its trigger)
        probe = self.instruction(base)
        while probe.keyword == "ONBUILD" and probe.args_offset < probe.args_end:
            chain.append((probe, trigger, len(self.parser.errors)))
            base, trigger = probe.args_offset, True
            probe = self.instruction(base)
        self.arguments(probe)
        self.check(probe, trigger)
        for onbuild, is_trigger, reported in reversed(chain):
            onbuild.trigger = probe
            if len(self.parser.errors) > reported:  # the trigger broke BuildKit's parser, so the ONBUILD line did
                onbuild.error = probe.error
            self.check(onbuild, is_trigger)
            probe = onbuild
        return probe

    def instruction(self, base: int) -> Instruction:
        """The instruction at original[base:]: keyword, flags and argument text, arguments not parsed yet."""
        # Positions are found by scanning, not by stripping copies of the rest of the line: an ONBUILD
        # chain calls this once per level on one long line.
        line = self.original
        start = _skip_space(line, base, len(line))
        end = max(self.end, start)
        m = _SEPARATOR.search(line, start, end)
        keyword_end = m.start() if m else end
        keyword = line[start:keyword_end]
        # BuildKit dispatches on strings.ToLower(keyword) and keeps the keyword as written.
        known = _KEYWORDS.get(go_lower(keyword))
        probe = Instruction(known or keyword.upper(), self.span(start, end), self.span(start, keyword_end), line, "", 0,
                            segments=self.segments, keyword_text=keyword)
        if m:
            flags, args_start = self.flags(m.end(), end)
        else:
            flags, args_start = [], end
        args_start = _skip_space(line, min(args_start, end), end)
        rest_end = max(_trim_space(line, end), args_start)
        probe.flags = flags
        probe.args_offset = args_start
        if probe.keyword == "ONBUILD":
            probe.cut_args(rest_end)  # a chain of them would hold a copy of the rest of the line per level
        else:
            probe.args_text = line[args_start:rest_end]
        return probe

    def arguments(self, probe: Instruction) -> None:
        try:
            _ARGUMENT_PARSERS.get(probe.keyword, _ignore)(self, probe)
        except _Reject as problem:
            # what BuildKit's parser itself rejects: the whole file fails to parse, triggers included
            self.reject(probe, str(problem), problem.span or probe.span)
            probe.args = []
            probe.pairs = []
            probe.trigger = None

    def check(self, probe: Instruction, trigger: bool) -> None:
        """What BuildKit says when it turns the node into an instruction."""
        if probe.error is None:
            problem = validate(probe)
            if problem:
                if trigger:
                    # BuildKit checks a trigger only when a build FROM this image runs it: not an
                    # error of this Dockerfile, but the node says it will fail then.
                    probe.error = problem[0]
                else:
                    self.reject(probe, *problem)

    def reject(self, node: Instruction, message: str, span: Span) -> None:
        node.error = message
        self.parser.error(message, span)

    # -- flags ------------------------------------------------------------------------------

    def flags(self, pos: int, end: int) -> tuple[list[Flag], int]:
        """BuildKit's extractBuilderFlags: leading `--words`, quotes and backslashes processed.

        Go walks the line byte by byte there (`rune(line[pos])`): a non-ASCII character in a flag
        comes out as one Latin-1 character per UTF-8 byte (`--chown=é` is handed on as
        `--chown=Ã©`), and the bytes 0x85 and 0xA0 count as blanks even inside a character.
        This runs the same walk over the bytes (as Latin-1 characters) and maps positions back.

        The walk looks at a window of the line that grows until the flags end inside it, so that finding
        no flags costs nothing however long the line (an ONBUILD chain asks once per level).
        """
        window = 256
        while True:
            stop = min(end, pos + window)
            found = self._flags_in(pos, stop, end)
            if found is not None:
                return found
            window *= 4

    def _flags_in(self, pos: int, stop: int, end: int) -> tuple[list[Flag], int] | None:
        """flags() over line[pos:stop]; None when the flags may go on after `stop` (< `end`)."""
        line = self.original
        complete = stop >= end
        segment = line[pos:stop]
        if segment.isascii():
            data, char_at = segment, None
        else:
            raw = segment.encode("utf-8", "surrogatepass")
            data = raw.decode("latin-1")
            char_at = []  # character index of each byte
            for index, ch in enumerate(segment):
                char_at.extend([index] * len(ch.encode("utf-8", "surrogatepass")))
            char_at.append(len(segment))

        def start_of(byte: int) -> int:  # a word starting in the middle of a character starts after it
            if char_at is None:
                return pos + byte
            c = char_at[byte]
            return pos + (c + 1 if byte > 0 and char_at[byte - 1] == c else c)

        def end_of(byte: int) -> int:
            if char_at is None:
                return pos + byte
            return pos + char_at[byte - 1] + 1

        flags = []
        i, n = 0, len(data)
        while True:
            while i < n and data[i] in _BYTE_SPACE:
                i += 1
            if i >= n:
                return (flags, end) if complete else None
            if not complete and n - i < 2:
                return None  # "-" at the window's end: a flag may start here
            if not data.startswith("--", i):
                return flags, start_of(i)
            word_start = i
            word = []
            quote = None
            blank_ok = False
            while i < n:
                ch = data[i]
                if quote is None:
                    if ch in _BYTE_SPACE:
                        break
                    if ch in "'\"":
                        quote, blank_ok = ch, True
                        i += 1
                        continue
                elif ch == quote:
                    quote = None
                    i += 1
                    continue
                if ch == "\\":
                    if i + 1 == n:  # a backslash at the very end is dropped
                        if not complete:
                            return None
                        i += 1
                        continue
                    i += 1
                    ch = data[i]
                word.append(ch)
                i += 1
            if i >= n and not complete:
                return None
            text = "".join(word)
            if text == "--":
                return flags, (start_of(i) if i < n else end)
            if text or blank_ok:
                name, eq, value = text[2:].partition("=")
                span = span_in(self.segments, start_of(word_start), end_of(i))
                flags.append(Flag(name, value if eq else None, text, span))

    # -- argument helpers -------------------------------------------------------------------

    def arg(self, value: str, start: int, end: int) -> Arg:
        return Arg(value, self.span(start, end))

    def fields(self, node: Instruction) -> list[Arg]:
        """Whitespace-separated fields (FROM, EXPOSE, and non-JSON ADD/COPY/VOLUME)."""
        base = node.args_offset
        return [self.arg(m.group(), base + m.start(), base + m.end()) for m in _FIELD.finditer(node.args_text)]

    def words(self, node: Instruction) -> list[tuple[str, int, int]]:
        """BuildKit's parseWords: words with quotes and escapes kept, positions in `original`."""
        rest, base, esc = node.args_text, node.args_offset, self.escape
        words = []
        i, n = 0, len(rest)
        while i < n:
            while i < n and rest[i] in GO_SPACE:
                i += 1
            if i >= n:
                break
            start = i
            chars = []
            quote = None
            blank_ok = False
            while i < n:
                ch = rest[i]
                if quote is None:
                    if ch in GO_SPACE:
                        break
                    if ch in "'\"":
                        quote = ch
                        blank_ok = True
                    if ch == esc:
                        if i + 1 == n:
                            i += 1
                            continue  # an escape token at the very end is dropped
                        chars.append(ch)
                        i += 1
                        ch = rest[i]
                    chars.append(ch)
                else:
                    if ch == quote:
                        quote = None
                    if ch == esc and quote != "'":
                        if i + 1 == n:
                            i += 1
                            quote = None
                            continue
                        chars.append(ch)
                        i += 1
                        ch = rest[i]
                    chars.append(ch)
                i += 1
            if chars or blank_ok:
                words.append(("".join(chars), base + start, base + i))
        return words

    def json_array(self, node: Instruction):
        """The argument as a JSON array of strings, like BuildKit's parseJSON.

        Returns None when it is not JSON (BuildKit then treats it as shell form) and raises
        _Reject when it is a JSON array holding something other than strings.
        """
        rest = node.args_text
        # parseJSON trims with unicode.IsSpace first (it matters after HEALTHCHECK's type word)
        skipped = len(rest) - len(rest.lstrip(GO_SPACE))
        rest = rest[skipped:]
        if not rest.startswith("["):
            return None
        try:
            # Go's json.Decoder reads one value and ignores what follows it.
            values, _ = GO_JSON.raw_decode(rest)
        except ValueError:
            return None
        except RecursionError:
            # Python gives up long before Go's maximum depth (10000): deeply nested arrays are
            # still a valid array, and one holding an array is not made of strings only.
            if not go_json_valid_prefix(rest):
                return None
            values = [None]
        if not isinstance(values, list):
            return None
        if not all(isinstance(v, str) for v in values):
            raise _Reject("when using JSON array syntax, arrays must be comprised of strings only", node.span)
        positions = _json_string_positions(rest, len(values))
        base = node.args_offset + skipped
        # Go decodes a lone UTF-16 surrogate escape (\ud800) as U+FFFD
        return [self.arg(_LONE_SURROGATE.sub("\ufffd", v), base + s, base + e)
                for v, (s, e) in zip(values, positions)]


class _Reject(Exception):
    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.span = span


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
def _json_string_positions(text: str, count: int) -> list[tuple[int, int]]:
    """Start and end of each string literal of a flat JSON array (quotes included)."""
    out = []
    i = 0
    while len(out) < count:
        i = text.index('"', i)
        j = i + 1
        while text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        out.append((i, j + 1))
        i = j + 1
    return out


# -- per-instruction argument parsers (BuildKit's dispatch table) ---------------------------


def _ignore(b: _Builder, node: Instruction) -> None:
    pass


def _maybe_json(b: _Builder, node: Instruction) -> None:
    if not node.args_text:
        return
    args = b.json_array(node)
    if args is not None:
        node.args, node.json = args, True
    else:
        node.args = [b.arg(node.args_text, node.args_offset, node.args_offset + len(node.args_text))]


def _maybe_json_list(b: _Builder, node: Instruction) -> None:
    args = b.json_array(node)
    if args is not None:
        node.args, node.json = args, True
    else:
        node.args = b.fields(node)


def _fields(b: _Builder, node: Instruction) -> None:
    node.args = b.fields(node)


def _string(b: _Builder, node: Instruction) -> None:
    if node.args_text:
        node.args = [b.arg(node.args_text, node.args_offset, node.args_offset + len(node.args_text))]


def _name_or_name_value(b: _Builder, node: Instruction) -> None:
    """ARG: words, each NAME or NAME=value."""
    for word, start, end in b.words(node):
        node.args.append(b.arg(word, start, end))
        key, eq, value = word.partition("=")
        key_span = b.span(start, start + len(key))
        value_span = b.span(start + len(key) + 1, end) if eq else None
        node.pairs.append(KeyValue(key, value if eq else None, eq, b.span(start, end), key_span, value_span))


def _name_value(b: _Builder, node: Instruction) -> None:
    """ENV and LABEL: `KEY=value ...`, or the legacy `KEY value` (the rest of the line is the value)."""
    words = b.words(node)
    if not words:
        return
    rest, base = node.args_text, node.args_offset
    if "=" not in words[0][0]:
        m = _SEPARATOR.search(rest)
        if not m:
            raise _Reject(f"{node.keyword} must have two arguments", node.span)
        key_end, value_start = base + m.start(), base + m.end()
        key, value = rest[: m.start()], rest[m.end():]
        pair = KeyValue(key, value, "", b.span(base, base + len(rest)), b.span(base, key_end),
                        b.span(value_start, base + len(rest)))
        node.pairs.append(pair)
        node.args = [b.arg(key, base, key_end), b.arg(value, value_start, base + len(rest)), Arg("", pair.span)]
        return
    for word, start, end in words:
        if "=" not in word:
            raise _Reject(  # %q: Go quoting
                f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value", b.span(start, end)
            )
        key, _, value = word.partition("=")
        split = start + len(key)
        pair = KeyValue(key, value, "=", b.span(start, end), b.span(start, split), b.span(split + 1, end))
        node.pairs.append(pair)
        node.args += [b.arg(key, start, split), b.arg(value, split + 1, end), b.arg("=", split, split + 1)]


def _health(b: _Builder, node: Instruction) -> None:
    rest, base = node.args_text, node.args_offset
    if not rest:
        return
    m = _SEPARATOR.search(rest)
    sep = m.start() if m else len(rest)
    after = m.end() if m else len(rest)
    kind = b.arg(rest[:sep], base, base + sep)
    # The command after the type is parsed like CMD; reuse the JSON/shell logic on a shifted view.
    shifted = Instruction(node.keyword, node.span, node.keyword_span, node.original, rest[after:], base + after,
                          segments=node.segments)
    _maybe_json(b, shifted)
    node.args = [kind] + shifted.args
    node.json = shifted.json


_ARGUMENT_PARSERS = {
    "ADD": _maybe_json_list,
    "ARG": _name_or_name_value,
    "CMD": _maybe_json,
    "COPY": _maybe_json_list,
    "ENTRYPOINT": _maybe_json,
    "ENV": _name_value,
    "EXPOSE": _fields,
    "FROM": _fields,
    "HEALTHCHECK": _health,
    "LABEL": _name_value,
    "MAINTAINER": _string,
    "ONBUILD": _ignore,  # its trigger is built by _Builder.build
    "RUN": _maybe_json,
    "SHELL": _maybe_json,
    "STOPSIGNAL": _string,
    "USER": _string,
    "VOLUME": _maybe_json_list,
    "WORKDIR": _string,
}
