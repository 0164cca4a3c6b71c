"""One logical line of a Dockerfile to an `Instruction`, as BuildKit's parser does it: the keyword, the builder
flags (extractBuilderFlags), then the instruction's own argument parser from BuildKit's dispatch table (JSON
arrays, fields, `name=value` pairs, HEALTHCHECK's command...). `parser.py` finds the logical lines and hands each
one here; `validation.py` checks the result as BuildKit's instructions package would.
"""

from __future__ import annotations

import re

from .gocompat import GO_SPACE, go_json, go_json_valid_prefix, go_lower, go_quote
from .nodes import Arg, Flag, Instruction, KeyValue, Span, span_in
from .validation import INSTRUCTIONS, validate

_SEPARATOR = re.compile(r"[\t\v\f\r ]+")  # BuildKit's reWhitespace
_FIELD = re.compile(r"[^\t\v\f\r ]+")
_KEYWORDS = {k.lower(): k for k in INSTRUCTIONS}
# unicode.IsSpace of a single byte taken as a rune (extractBuilderFlags reads bytes)
_BYTE_SPACE = "\t\n\v\f\r \x85\xa0"


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


class InstructionBuilder:
    """Turns one logical line (or an ONBUILD trigger inside it) into an Instruction."""

    def __init__(self, parser, original: str, segments):  # parser: the parser._Parser reading the file
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
        values = _plain_strings(rest)
        try:
            # Go's json.Decoder reads one value and ignores what follows it.
            if values is None:
                values, _ = go_json().raw_decode(rest)
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
        return [self.arg(_without_lone_surrogates(v), base + s, base + e) for v, (s, e) in zip(values, positions)]


class _Reject(Exception):
    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.span = span


# A string, compiled on first use: compiling the range costs 2 M instructions (a percent of a one-file run), and
# an ASCII value, as nearly every exec form's, cannot hold a surrogate.
_LONE_SURROGATE = "[\ud800-\udfff]"


def _without_lone_surrogates(value: str) -> str:
    """Go decodes a lone UTF-16 surrogate escape (\\ud800) as U+FFFD."""
    return value if value.isascii() else re.sub(_LONE_SURROGATE, "\ufffd", value)


def _plain_strings(text: str) -> list[str] | None:
    """The strings of the JSON array `text` starts with, when they are plain (printable ASCII without a
    backslash: `["nginx", "-g", "daemon off;"]`, nearly every exec form), as json would read them; None for
    any other text, which json reads. (json costs 5 M instructions to import, 2 % of a one-file run.)"""
    values: list[str] = []
    i = 1  # after the "["
    while True:
        i = _after_blanks(text, i)
        if not values and text.startswith("]", i):
            return values
        if not text.startswith('"', i):
            return None
        end = text.find('"', i + 1)
        value = text[i + 1:end]
        if end < 0 or "\\" in value or not (value.isascii() and value.isprintable()):
            return None
        values.append(value)
        i = _after_blanks(text, end + 1)
        if text.startswith("]", i):
            return values
        if not text.startswith(",", i):
            return None
        i += 1


def _after_blanks(text: str, i: int) -> int:
    """Past JSON's white space (space, tab, line feed, carriage return) from `i`."""
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


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


def _ignore(b: InstructionBuilder, node: Instruction) -> None:
    pass


def _maybe_json(b: InstructionBuilder, node: Instruction) -> None:
    if not node.args_text:
        return
    args = b.json_array(node)
    if args is not None:
        node.args, node.json = args, True
    else:
        node.args = [b.arg(node.args_text, node.args_offset, node.args_offset + len(node.args_text))]


def _maybe_json_list(b: InstructionBuilder, node: Instruction) -> None:
    args = b.json_array(node)
    if args is not None:
        node.args, node.json = args, True
    else:
        node.args = b.fields(node)


def _fields(b: InstructionBuilder, node: Instruction) -> None:
    node.args = b.fields(node)


def _string(b: InstructionBuilder, node: Instruction) -> None:
    if node.args_text:
        node.args = [b.arg(node.args_text, node.args_offset, node.args_offset + len(node.args_text))]


def _name_or_name_value(b: InstructionBuilder, node: Instruction) -> None:
    """ARG: words, each NAME or NAME=value."""
    for word, start, end in b.words(node):
        node.args.append(b.arg(word, start, end))
        key, eq, value = word.partition("=")
        key_span = b.span(start, start + len(key))
        value_span = b.span(start + len(key) + 1, end) if eq else None
        node.pairs.append(KeyValue(key, value if eq else None, eq, b.span(start, end), key_span, value_span))


def _name_value(b: InstructionBuilder, node: Instruction) -> None:
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


def _health(b: InstructionBuilder, node: Instruction) -> None:
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
    "ONBUILD": _ignore,  # its trigger is built by InstructionBuilder.build
    "RUN": _maybe_json,
    "SHELL": _maybe_json,
    "STOPSIGNAL": _string,
    "USER": _string,
    "VOLUME": _maybe_json_list,
    "WORKDIR": _string,
}
