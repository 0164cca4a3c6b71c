"""The Dockerfile parser, faithful to BuildKit's (frontend/dockerfile/parser).

BuildKit reads physical lines, recognises parser directives at the very top, strips comments,
joins continuation lines into one logical line, splits the keyword and the builder flags off it,
then hands the rest to a per-instruction argument parser; heredoc bodies follow the line that
opens them. This module does the same, keeps every token's position, and, unlike BuildKit, does
not stop at the first error: an instruction BuildKit would reject carries an ``error`` and a
ParseError, and parsing goes on with the next line.
"""

from __future__ import annotations

import json
import re

from .nodes import Arg, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, ParseError, Span, span_in

# Go's unicode.IsSpace, which BuildKit uses to trim lines and split words.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SEPARATOR = re.compile(r"[\t\v\f\r ]+")  # BuildKit's reWhitespace
_FIELD = re.compile(r"[^\t\v\f\r ]+")
_DIRECTIVE = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")
# BuildKit's reHeredoc, `^(\d*)<<(-?)\s*([^<]*)$` (Go's \d and \s are ASCII-only).
_HEREDOC = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*\Z")
_CONTINUATION = {
    "\\": re.compile(r"([^\\])\\[ \t]*\Z|^\\[ \t]*\Z"),
    "`": re.compile(r"([^`])`[ \t]*\Z|^`[ \t]*\Z"),
}

KNOWN_DIRECTIVES = ("syntax", "escape", "check")
INSTRUCTIONS = (
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
)
HEREDOC_INSTRUCTIONS = ("ADD", "COPY", "RUN")

# Builder flags each instruction accepts: name -> kind ("bool", "string", or "strings" which may repeat).
FLAGS = {
    "ADD": {"chown": "string", "chmod": "string", "link": "bool", "keep-git-dir": "bool",
            "checksum": "string", "exclude": "strings", "unpack": "bool"},
    "COPY": {"from": "string", "chown": "string", "chmod": "string", "link": "bool",
             "parents": "bool", "exclude": "strings"},
    "FROM": {"platform": "string"},
    "RUN": {"mount": "strings", "network": "string", "security": "string", "device": "strings"},
    "HEALTHCHECK": {"interval": "string", "timeout": "string", "start-period": "string",
                    "start-interval": "string", "retries": "string"},
}


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


def _is_comment(text: str) -> bool:
    return text.lstrip(GO_SPACE).startswith("#")


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile source text. Never raises; problems are in ``Dockerfile.errors``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Parser(text).run()


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

    def error(self, message: str, span: Span) -> None:
        self.errors.append(ParseError(message, span))

    def line_span(self, number: int) -> Span:
        return Span(number, 1, number, len(self.lines[number - 1].text) + 1)

    # -- directives -------------------------------------------------------------------------

    def directive(self, text: str, number: int) -> bool:
        """Look for a parser directive; True when the line is one."""
        if self.directives_done:
            return False
        m = _DIRECTIVE.match(text)
        if not m or m.group(1).lower() not in KNOWN_DIRECTIVES:
            self.directives_done = True
            return False
        name, value = m.group(1).lower(), m.group(2)
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
                if comment.text:
                    pending.append(comment)
                else:
                    pending = []  # an empty '#' line ends the comment block
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
        )

    def comment(self, raw: str, number: int) -> Comment:
        start = len(raw) - len(raw.lstrip(GO_SPACE))
        comment = Comment(raw[start + 1:].strip(GO_SPACE), Span(number, start + 1, number, len(raw) + 1))
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
# processPossibleHeredoc), so `<< EOF` is one word. The word lexer of words.py does not, so the parser
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
    from .words import ExpansionError, Lexer

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


def parse_heredoc_word(word: str):
    """(fd, chomp, name, expand) when `word` is a heredoc marker like `<<EOF` or `3<<-"EOF"`."""
    m = _HEREDOC.match(word)
    if not m or not m.group(3):
        return None
    from .words import ExpansionError, Lexer

    rest = m.group(3)
    try:
        words = Lexer("\\", skip_unset_env=True).process_words(rest, {}).words
        if len(words) != 1:
            return None
        raw = Lexer("\\", raw_quotes=True, skip_unset_env=True).process_words(rest, {}).words
    except ExpansionError:
        return None
    if len(raw) != 1:
        return None
    # A quoted delimiter (any part of it) turns expansion of the body off.
    expand = _count_quotes(words[0]) == _count_quotes(raw[0])
    fd = int(m.group(1)) if m.group(1) else None
    return fd, m.group(2) == "-", words[0], expand


def _count_quotes(s: str) -> int:
    return s.count("'") + s.count('"')


class _Builder:
    """Turns one logical line (or an ONBUILD trigger inside it) into an Instruction."""

    def __init__(self, parser: _Parser, original: str, segments):
        self.parser = parser
        self.original = original
        self.segments = segments
        self.escape = parser.escape

    def span(self, start: int, end: int) -> Span:
        return span_in(self.segments, start, end)

    def build(self, base: int) -> Instruction:
        """Parse original[base:] as an instruction."""
        line = self.original
        start = base + len(line[base:]) - len(line[base:].lstrip(GO_SPACE))
        end = len(line.rstrip(GO_SPACE))
        end = max(end, start)
        m = _SEPARATOR.search(line, start, end)
        keyword_end = m.start() if m else end
        keyword = line[start:keyword_end]
        probe = Instruction(keyword.upper(), self.span(start, end), self.span(start, keyword_end), line, "", 0,
                            segments=self.segments)
        if m:
            flags, args_start = self.flags(m.end(), end)
        else:
            flags, args_start = [], end
        args_start = min(args_start + len(line[args_start:end]) - len(line[args_start:end].lstrip(GO_SPACE)), end)
        rest_end = max(len(line[:end].rstrip(GO_SPACE)), args_start)
        probe.flags = flags
        probe.args_text = line[args_start:rest_end]
        probe.args_offset = args_start
        try:
            _ARGUMENT_PARSERS.get(probe.keyword, _ignore)(self, probe)
        except _Reject as problem:
            self.reject(probe, str(problem), problem.span or probe.span)
            probe.args = []
            probe.pairs = []
        if probe.error is None:
            problem = validate(probe)
            if problem:
                self.reject(probe, *problem)
        return probe

    def reject(self, node: Instruction, message: str, span: Span) -> None:
        node.error = message
        self.parser.error(message, span)

    # -- flags ------------------------------------------------------------------------------

    def flags(self, pos: int, end: int) -> tuple[list[Flag], int]:
        """BuildKit's extractBuilderFlags: leading `--words`, quotes and backslashes processed."""
        line = self.original
        flags = []
        while True:
            while pos < end and line[pos] in GO_SPACE:
                pos += 1
            if pos >= end or not line.startswith("--", pos):
                return flags, pos
            word_start = pos
            word = []
            quote = None
            while pos < end:
                ch = line[pos]
                if quote:
                    if ch == quote:
                        quote = None
                    elif ch == "\\" and pos + 1 < end:
                        pos += 1
                        word.append(line[pos])
                    elif ch != "\\":
                        word.append(ch)
                elif ch in GO_SPACE:
                    break
                elif ch in "'\"":
                    quote = ch
                elif ch == "\\":
                    if pos + 1 < end:
                        pos += 1
                        word.append(line[pos])
                else:
                    word.append(ch)
                pos += 1
            text = "".join(word)
            if text == "--":
                return flags, pos
            name, eq, value = text[2:].partition("=")
            flags.append(Flag(name, value if eq else None, text, self.span(word_start, pos)))

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
        if not rest.startswith("["):
            return None
        try:
            # Go's decoder reads one value and ignores what follows it.
            values, _ = _JSON.raw_decode(rest)
        except (ValueError, RecursionError):
            return None
        if not isinstance(values, list):
            return None
        if not all(isinstance(v, str) for v in values):
            raise _Reject("when using JSON array syntax, arrays must be comprised of strings only", node.span)
        positions = _json_string_positions(rest, len(values))
        base = node.args_offset
        return [self.arg(v, base + s, base + e) for v, (s, e) in zip(values, positions)]


class _Reject(Exception):
    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.span = span


def _reject_constant(name):
    raise ValueError(name)  # Go's JSON has no NaN or Infinity


_JSON = json.JSONDecoder(parse_constant=_reject_constant)


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
            raise _Reject(
                f'Syntax error - can\'t find = in "{word}". Must be of the form: name=value', b.span(start, end)
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


def _onbuild(b: _Builder, node: Instruction) -> None:
    if not node.args_text:
        return
    trigger = b.build(node.args_offset)
    node.trigger = trigger
    if trigger.error:
        node.error = trigger.error


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
    "ONBUILD": _onbuild,
    "RUN": _maybe_json,
    "SHELL": _maybe_json,
    "STOPSIGNAL": _string,
    "USER": _string,
    "VOLUME": _maybe_json_list,
    "WORKDIR": _string,
}


# -- what BuildKit's instructions package rejects --------------------------------------------


def validate(node: Instruction) -> tuple[str, Span] | None:
    """The error BuildKit reports when turning this node into an instruction, if any."""
    kw = node.keyword
    if kw not in _ARGUMENT_PARSERS:
        hint = _suggest(kw)
        return f"unknown instruction: {kw}" + (f" (did you mean {hint}?)" if hint else ""), node.keyword_span
    problem = _check_flags(node)
    if problem:
        return problem
    n = len(node.args)
    if kw in ("ADD", "COPY") and n < 2:
        return f"{kw} requires at least two arguments, but only one was provided. Destination could not be determined", node.span
    if kw in ("ADD", "COPY") and parse_heredoc_word(node.args[-1].value):
        return f"{kw} cannot accept a heredoc as a destination", node.args[-1].span
    if kw in ("ENV", "LABEL", "ARG", "EXPOSE", "VOLUME", "ONBUILD", "HEALTHCHECK", "SHELL") and n == 0 and not node.trigger:
        return f"{kw} requires at least one argument", node.span
    if kw in ("MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL") and n != 1:
        return f"{kw} requires exactly one argument", node.span
    if kw in ("ENV", "LABEL", "ARG") and any(not p.key for p in node.pairs):
        return f"{kw} names can not be blank", node.span
    if kw == "FROM":
        if n == 3 and node.args[1].value.lower() == "as":
            if not _STAGE_NAME.match(node.args[2].value.lower()):
                return (f'invalid name for build stage: "{node.args[2].value}", name can\'t start with a number '
                        "or contain symbols"), node.args[2].span
        elif n != 1:
            return "FROM requires either one or three arguments", node.span
    if kw == "SHELL" and not node.json:
        return "SHELL requires the arguments to be in JSON form", node.span
    if kw == "VOLUME" and node.json and any(not a.value.strip() for a in node.args):
        return "VOLUME specified can not be an empty string", node.span
    if kw == "ONBUILD" and node.trigger:
        trigger = node.trigger.keyword
        if trigger == "ONBUILD":
            return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", node.trigger.keyword_span
        if trigger in ("MAINTAINER", "FROM"):
            return f"{trigger} isn't allowed as an ONBUILD trigger", node.trigger.keyword_span
    if kw == "HEALTHCHECK":
        return _check_healthcheck(node)
    return None


def _check_flags(node: Instruction) -> tuple[str, Span] | None:
    allowed = FLAGS.get(node.keyword, {})
    if node.keyword == "HEALTHCHECK" and node.args and node.args[0].value.upper() == "NONE":
        return None  # BuildKit does not look at the flags of HEALTHCHECK NONE
    seen = set()
    for flag in node.flags:
        kind = allowed.get(flag.name)
        if kind is None:
            hint = _closest(flag.name, allowed)
            return f"unknown flag: {flag.name}" + (f" (did you mean {hint}?)" if hint else ""), flag.span
        if flag.name in seen and kind != "strings":
            return f"duplicate flag specified: {flag.name}", flag.span
        seen.add(flag.name)
        if kind == "bool":
            if flag.value == "" or (flag.value is not None and flag.value.lower() not in ("true", "false")):
                if flag.value == "":
                    return f"missing a value on flag: {flag.name}", flag.span
                return f"expecting boolean value for flag {flag.name}, not: {flag.value}", flag.span
        elif flag.value is None:
            return f"missing a value on flag: {flag.name}", flag.span
    return None


_DURATION = re.compile(r"(?:(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+\Z")


def _check_healthcheck(node: Instruction) -> tuple[str, Span] | None:
    kind = node.args[0].value.upper()
    rest = node.args[1:]
    if kind == "NONE":
        if rest:
            return "HEALTHCHECK NONE takes no arguments", node.span
        return None
    if kind != "CMD":
        return f'Unknown type "{kind}" in HEALTHCHECK (try CMD)', node.args[0].span
    if not rest:
        return "Missing command after HEALTHCHECK CMD", node.span
    for flag in node.flags:
        if flag.name in ("interval", "timeout", "start-period", "start-interval") and flag.value:
            seconds = _duration_seconds(flag.value)
            if seconds is None:
                return f'time: invalid duration "{flag.value}"', flag.span
            if 0 < seconds < 0.001 or seconds < 0:
                return f'Interval "{flag.name}" cannot be less than 1ms', flag.span
        if flag.name == "retries" and flag.value:
            try:
                retries = int(flag.value)
            except ValueError:
                return f'strconv.ParseInt: parsing "{flag.value}": invalid syntax', flag.span
            if retries < 0:
                return f"--retries cannot be negative ({retries})", flag.span
    return None


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _duration_seconds(text: str) -> float | None:
    """Seconds in a Go duration string such as `1m30s`, or None when Go would reject it."""
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    if not _DURATION.match(body):
        return None
    total = sum(float(n) * _UNITS[u] for n, u in re.findall(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)", body))
    return sign * total


def _suggest(word: str) -> str | None:
    return _closest(word.upper(), INSTRUCTIONS)


def _closest(word: str, options) -> str | None:
    """The option within a small edit distance of `word`, as BuildKit's suggestions do."""
    best, best_distance = None, None
    for option in options:
        d = edit_distance(word.lower(), option.lower())
        if best_distance is None or d < best_distance:
            best, best_distance = option, d
    if best is not None and best_distance <= max(1, len(word) // 3):
        return best
    return None


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
