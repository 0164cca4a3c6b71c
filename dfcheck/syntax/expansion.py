"""BuildKit's word lexer and variable expansion, reproduced exactly.

(A little over the usual length: it follows lex.go function by function, so that the two read side by
side when BuildKit changes.)

This mirrors the behaviour of ``shell.Lex`` in BuildKit's
``frontend/dockerfile/shell/lex.go``: quotes, the escape token, ``$VAR`` and
``${VAR...}`` expansion and word splitting, including the places where BuildKit
differs from a POSIX shell.  Behaviour that looks odd but is deliberate (or at
least is what BuildKit does) is marked with a comment saying so.

The reference is the current lex.go (the one that rejects ``${v:#p}``).  Two
deliberate departures: variable names are compared case-sensitively (BuildKit
on Windows ignores case), and each nesting level keeps its own word buffer --
one recent lex.go shares a single buffer between nesting levels, so that
ProcessWords("a${U:-b}") loses the "a"; that looks like an accidental
regression, so it is not copied.

Standard library only, and nothing is imported at module import time: the
pattern matcher (``shellpattern``, and ``re`` with it) is loaded on first use of
a pattern form (``#``, ``%``, ``/``).
"""

__all__ = ["ExpansionError", "Lexer", "Result", "expand_word", "expand_words"]

# Go's unicode.IsSpace.  Python's str.isspace() also accepts U+001C..U+001F,
# which Go does not, so the set is spelled out.
_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# POSIX special parameters; BuildKit never sets them, so they expand to "".
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_MODIFIERS = frozenset("+-?#%")
# Go prints string(rune(-1)) -- "end of input" -- as U+FFFD in error messages.
_EOF_CHAR = "\ufffd"
_BOM = "\ufeff"


class ExpansionError(Exception):
    """Raised where BuildKit's lexer returns an error.

    ``message`` is BuildKit's message (without its ``failed to process "..."``
    wrapper); ``offset`` is the 0-based index in the input where the problem
    was detected; ``start`` is the index of the construct that failed (the
    ``$`` of a substitution or the opening quote), which is usually the better
    place to point a user at.
    """

    def __init__(self, message, offset=0, start=None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.start = offset if start is None else start


class Result:
    """What one call produced.

    ``value``: the expanded text (quotes removed, spaces kept).
    ``words``: the words (``process_words`` only; ``None`` from ``process_word``).
    ``used``: names referenced and found in the environment.
    ``unset``: names referenced and absent from it (positional and special
    parameters such as ``1`` or ``@`` included, as in BuildKit).
    """

    __slots__ = ("value", "words", "used", "unset")

    def __init__(self, value, words, used, unset):
        self.value = value
        self.words = words
        self.used = used
        self.unset = unset

    def __repr__(self):
        return "Result(value=%r, words=%r, used=%r, unset=%r)" % (self.value, self.words, self.used, self.unset)


class Lexer:
    """BuildKit's ``shell.Lex``.

    ``escape`` is the Dockerfile escape token (backslash or backtick).
    ``raw_quotes`` keeps quote characters in the output, ``raw_escapes`` keeps
    escape tokens, ``skip_unset_env`` leaves references to unset variables as
    written, and ``skip_process_quotes`` treats quotes as ordinary characters.
    BuildKit combines the first three to find heredoc markers in a line.
    """

    __slots__ = ("escape", "raw_quotes", "raw_escapes", "skip_unset_env", "skip_process_quotes")

    def __init__(self, escape="\\", raw_quotes=False, raw_escapes=False, skip_unset_env=False,
                 skip_process_quotes=False):
        if not isinstance(escape, str) or len(escape) != 1:
            raise ValueError("escape must be a single character, got %r" % (escape,))
        self.escape = escape
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.skip_unset_env = skip_unset_env
        self.skip_process_quotes = skip_process_quotes

    def process_word(self, text, env):
        """Expand `text` as one word (BuildKit's ProcessWord / ProcessWordWithMatches)."""
        if self._is_plain(text):
            return Result(_drop_bom(text), None, set(), set())
        return _Scan(self, text, env).run(want_words=False)

    def process_words(self, text, env):
        """Expand `text` and split it into words (BuildKit's ProcessWords).

        Whitespace produced by an unquoted expansion splits words, as in a shell.
        """
        return _Scan(self, text, env).run(want_words=True)

    def _is_plain(self, text):
        # Nothing to expand or unquote: the text comes back as it is.
        if "$" in text or self.escape in text:
            return False
        return self.skip_process_quotes or ("'" not in text and '"' not in text)


def expand_word(text, env, escape="\\"):
    """Expand `text` as one word with the default lexer."""
    return Lexer(escape).process_word(text, env).value


def expand_words(text, env, escape="\\"):
    """Expand `text` and split it into words with the default lexer."""
    return Lexer(escape).process_words(text, env).words


def _drop_bom(text):
    # Go's text/scanner silently skips a byte-order mark at the very start.
    return text[1:] if text.startswith(_BOM) else text


class _Words:
    """BuildKit's wordsStruct: accumulates words as characters arrive."""

    __slots__ = ("words", "current")

    def __init__(self):
        self.words = []
        self.current = []

    def add_char(self, ch):
        # Unquoted whitespace ends a word; an empty word (say from "") is never emitted.
        if ch in _SPACE:
            self._flush()
        else:
            self.current.append(ch)

    def add_string(self, text):
        for ch in text:
            self.add_char(ch)

    def add_raw(self, text):
        if text:
            self.current.append(text)

    def finish(self):
        self._flush()
        return self.words

    def _flush(self):
        if self.current:
            self.words.append("".join(self.current))
            self.current = []


class _Scan:
    """One run of the lexer over one input (BuildKit's shellWord)."""

    __slots__ = ("lex", "text", "pos", "end", "env", "raw_escapes", "used", "unset")

    def __init__(self, lex, text, env):
        self.lex = lex
        self.text = text
        self.pos = 1 if text.startswith(_BOM) else 0
        self.end = len(text)
        self.env = env
        self.raw_escapes = lex.raw_escapes
        self.used = set()
        self.unset = set()

    def run(self, want_words):
        words = _Words() if want_words else None
        try:
            value = self._until(None, self.raw_escapes, words)
        except RecursionError:
            # Go's stack grows; Python's does not.  Only absurd nesting gets here.
            raise ExpansionError("expansion nested too deeply", self.pos) from None
        return Result(value, words.finish() if words is not None else None, self.used, self.unset)

    # -- helpers ---------------------------------------------------------

    def _error(self, message, start=None):
        return ExpansionError(message, self.pos, start)

    def _peek(self):
        return self.text[self.pos] if self.pos < self.end else ""

    def _next(self):
        """Consume one character; "" (and no move) at the end of the input."""
        if self.pos < self.end:
            self.pos += 1
            return self.text[self.pos - 1]
        return ""

    def _get(self, name):
        env = self.env
        if name in env:
            self.used.add(name)
            return env[name], True
        self.unset.add(name)
        return "", False

    # -- processStopOn ---------------------------------------------------

    def _until(self, stop, raw_escapes, words):
        """Process text up to `stop` (consumed) or to the end when `stop` is None."""
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        text, end, esc = self.text, self.end, self.lex.escape
        quotes = not self.lex.skip_process_quotes
        out = []
        while self.pos < end:
            ch = text[self.pos]
            if ch == stop:
                self.pos += 1
                self.raw_escapes = saved
                return "".join(out)
            if ch == "$":
                piece = self._dollar()
                out.append(piece)
                if words is not None:
                    words.add_string(piece)  # unquoted expansion: its spaces split words
                continue
            if quotes and (ch == "'" or ch == '"'):
                piece = self._single_quoted() if ch == "'" else self._double_quoted()
                out.append(piece)
                if words is not None:
                    words.add_raw(piece)
                continue
            self.pos += 1
            if ch != esc:
                out.append(ch)
                if words is not None:
                    words.add_char(ch)
                continue
            if self.raw_escapes:
                out.append(ch)
                if words is not None:
                    words.add_raw(ch)
            if self.pos >= end:
                break  # a trailing escape token is dropped (unless kept raw)
            ch = text[self.pos]
            self.pos += 1
            out.append(ch)
            if words is not None:
                words.add_raw(ch)  # an escaped space does not split
        if stop is not None:
            raise self._error("unexpected end of statement while looking for matching " + stop)
        self.raw_escapes = saved
        return "".join(out)

    # -- quotes ------------------------------------------------------------

    def _single_quoted(self):
        start = self.pos
        close = self.text.find("'", start + 1)
        if close < 0:
            self.pos = self.end
            raise self._error("unexpected end of statement while looking for matching single-quote", start)
        self.pos = close + 1
        if self.lex.raw_quotes:
            return self.text[start:close + 1]
        return self.text[start + 1:close]

    def _double_quoted(self):
        start = self.pos
        text, end, esc = self.text, self.end, self.lex.escape
        raw_quotes = self.lex.raw_quotes
        self.pos += 1
        out = ['"'] if raw_quotes else []
        while True:
            if self.pos >= end:
                raise self._error("unexpected end of statement while looking for matching double-quote", start)
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                if raw_quotes:
                    out.append('"')
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self.pos += 1
            if ch == esc:
                if self.raw_escapes:
                    out.append(ch)
                if self.pos >= end:
                    continue  # reported as an unterminated quote on the next turn
                nxt = text[self.pos]
                if nxt == '"' or nxt == "$" or nxt == esc:
                    ch = nxt
                    self.pos += 1
                # Otherwise the escape token stays literal.  With raw_escapes
                # it is then written twice -- BuildKit does exactly that.
            out.append(ch)

    # -- $ -----------------------------------------------------------------

    def _name(self):
        """BuildKit's processName: digits, one special parameter, or a name."""
        text, end, start = self.text, self.end, self.pos
        if start >= end:
            return ""
        ch = text[start]
        pos = start
        if ch.isdecimal():
            # $1x is "$1" then "x"; $001 is the parameter "001".  Go's
            # unicode.IsDigit accepts any decimal digit, not just 0-9.
            while pos < end and text[pos].isdecimal():
                pos += 1
        elif ch in _SPECIAL_PARAMS:
            pos += 1
        else:
            while pos < end and (text[pos].isalpha() or text[pos].isdecimal() or text[pos] == "_"):
                pos += 1
        self.pos = pos
        return text[start:pos]

    def _dollar(self):
        start = self.pos
        self.pos += 1
        if self._peek() != "{":
            name = self._name()
            if not name:
                return "$"  # a lone $ (or $ before a non-name) is literal
            value, found = self._get(name)
            if not found and self.lex.skip_unset_env:
                return "$" + name
            return value
        self.pos += 1
        ch = self._peek()
        if ch == "":
            raise self._error("syntax error: missing '}'", start)
        if ch in "{}:":
            raise self._error("syntax error: bad substitution", start)
        name = self._name()
        ch = self._next()
        if ch == "}":
            value, found = self._get(name)
            if not found and self.lex.skip_unset_env:
                return "${" + name + "}"
            return value
        if ch == ":":
            op = self._next()
            return self._modifier(start, name, op, ":" + (op or _EOF_CHAR), True)
        if ch in _MODIFIERS:
            return self._modifier(start, name, ch, ch, False)
        if ch == "/":
            return self._replace(start, name)
        raise self._error("unsupported modifier (%s) in substitution" % (ch or _EOF_CHAR), start)

    def _closing(self, start, stop, raw_escapes, missing):
        """The text up to `stop`; running out of input becomes `missing`."""
        try:
            return self._until(stop, raw_escapes, None)
        except ExpansionError as exc:
            if self.pos >= self.end:
                raise ExpansionError(missing, self.pos, start) from None
            raise exc

    def _modifier(self, start, name, op, spelled, null_is_unset):
        """${name<op>word}, ${name:<op>word}: - + ? and the trims # ## % %%."""
        trim = op == "#" or op == "%"
        if null_is_unset and trim:
            # ${v:#p} and ${v:%p} are rejected before the word is even read.
            raise self._error("unsupported modifier (%s) in substitution" % spelled, start)
        # Any other character after ':' still has its word read (and the
        # variable looked up) before being rejected, so SkipUnsetEnv can let
        # ${UNSET:Y} through unchanged.  Trim patterns keep their escapes.
        word = self._closing(start, "}", trim, "syntax error: missing '}'")
        value, found = self._get(name)
        if not found and self.lex.skip_unset_env:
            return "${" + name + spelled + word + "}"
        empty = not found or (null_is_unset and value == "")
        if op == "-":
            return word if empty else value
        if op == "+":
            return "" if empty else word
        if op == "?":
            if not found:
                raise self._error("%s: %s" % (name, word or "is not allowed to be unset"), start)
            if null_is_unset and value == "":
                raise self._error("%s: %s" % (name, word or "is not allowed to be empty"), start)
            return value
        if trim:
            # The doubled operator (## or %%) is recognised after expansion,
            # so ${v#$X} with X='#a' is a greedy trim of 'a'.
            greedy = word[:1] == op
            if greedy:
                word = word[1:]
            try:
                if op == "#":
                    return _trim_prefix(word, value, greedy)
                return _trim_suffix(word, value, greedy)
            except _PatternError as exc:
                raise self._error("invalid pattern (%s) in substitution: %s" % (exc.pattern, exc), start)
        raise self._error("unsupported modifier (%s) in substitution" % spelled, start)

    def _replace(self, start, name):
        """${name/pattern/replacement} and ${name//pattern/replacement}."""
        replace_all = self._peek() == "/"
        if replace_all:
            self.pos += 1
        # Unlike bash, the replacement part is mandatory: ${v/x} is an error.
        pattern = self._closing(start, "/", True, "syntax error: missing '/' in ${}")
        replacement = self._closing(start, "}", True, "syntax error: missing '}'")
        value, found = self._get(name)
        if not found and self.lex.skip_unset_env:
            # BuildKit rebuilds the text with a single '/', even for '//'.
            return "${%s/%s/%s}" % (name, pattern, replacement)
        try:
            compiled = _compile_pattern(pattern)
        except _PatternError as exc:
            raise self._error("invalid pattern (%s) in substitution: %s" % (pattern, exc), start)
        if replace_all:
            return _go_replace_all(compiled, value, replacement)
        match = compiled.search(value)
        if match is None:
            return value
        # A single replacement is literal; only the replace-all path goes
        # through Go's template expansion (see _go_expand).
        return value[:match[0]] + replacement + value[match[1]:]


# -- patterns ---------------------------------------------------------------


class _PatternError(Exception):
    def __init__(self, message, pattern):
        super().__init__(message)
        self.pattern = pattern


def _compile_pattern(pattern):
    """BuildKit's convertShellPatternToRegex, as a linear-time matcher (shellpattern.Pattern).

    Only ``*`` and ``?`` are wildcards.  Bracket expressions are NOT supported:
    ``[`` and ``]`` match themselves.  The escape inside a pattern is always a
    backslash, whatever the Dockerfile's escape token; it may only precede
    ``*``, ``?`` or ``\\`` (and ``}`` or ``/``, where it is simply dropped).
    """
    from .shellpattern import ANY, STAR, Pattern

    source = pattern[1:] if pattern.startswith(_BOM) else pattern  # text/scanner again
    tokens = []
    i, end = 0, len(source)
    while i < end:
        ch = source[i]
        i += 1
        if ch == "*":
            tokens.append(STAR)
        elif ch == "?":
            tokens.append(ANY)
        elif ch == "\\":
            nxt = source[i] if i < end else ""
            if nxt == "}" or nxt == "/":
                continue  # the character itself is taken literally next turn
            if nxt not in ("*", "?", "\\"):
                shown = nxt if nxt else "%!c(int32=-1)"  # Go's rendering of %c with EOF
                raise _PatternError("invalid escape '\\%s'" % shown, pattern)
            i += 1
            tokens.append(nxt)
        else:
            tokens.append(ch)
    return Pattern(tokens)


def _trim_prefix(pattern, value, greedy):
    end = _compile_pattern(pattern).prefix(value, greedy)
    return value[end:] if end is not None else value


def _reverse_pattern(pattern):
    """Reverse a pattern but keep each backslash pair in order (a\\*c -> c\\*a)."""
    out = [""] * len(pattern)
    last = len(pattern) - 1
    i = 0
    while i <= last:
        ch = pattern[i]
        if ch == "\\" and i != last:
            out[last - i - 1] = ch
            out[last - i] = pattern[i + 1]
            i += 2
        else:
            out[last - i] = ch
            i += 1
    return "".join(out)


def _trim_suffix(pattern, value, greedy):
    # Regexes find leftmost matches, not shortest rightmost ones, so BuildKit
    # reverses both the pattern and the value and trims a prefix instead.
    # (An invalid pattern is reported reversed, as BuildKit does.)
    return _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]


def _go_replace_all(pattern, src, template):
    """Go's Regexp.ReplaceAllString, for a compiled shell pattern.

    Differs from re.sub in two ways: an empty match right after a match is not
    replaced, and the replacement is a Go template (see _go_expand).
    """
    out = []
    last = 0
    pos = 0
    end = len(src)
    while pos <= end:
        match = pattern.search(src, pos)
        if match is None:
            break
        a, b = match
        out.append(src[last:a])
        if b > last or a == 0:
            out.append(_go_expand(template, src[a:b]))
        last = b
        pos = pos + 1 if b <= pos else b
    out.append(src[last:])
    return "".join(out)


def _go_expand(template, whole):
    """Go's Regexp.Expand for a regex without groups.

    ``$$`` is ``$``; ``$0`` or ``${0}`` is the whole match; any other ``$name``
    or ``${name}`` names a group that does not exist and expands to nothing; a
    ``$`` not followed by a name stays as it is.  So in BuildKit,
    ``${v//a/x$0}`` can insert the match -- if a ``$0`` survives expansion of
    the replacement, e.g. as ``\\$0`` or from a variable's value.
    """
    if "$" not in template:
        return template
    out = []
    while True:
        i = template.find("$")
        if i < 0:
            break
        out.append(template[:i])
        template = template[i + 1:]
        if template.startswith("$"):
            out.append("$")
            template = template[1:]
            continue
        name, rest = _go_template_name(template)
        if name is None:
            out.append("$")
            continue
        template = rest
        if name == "0":
            out.append(whole)
    out.append(template)
    return "".join(out)


def _go_template_name(text):
    """Go's regexp extract(): a leading name or {name}, else (None, text)."""
    brace = text.startswith("{")
    body = text[1:] if brace else text
    i = 0
    while i < len(body) and (body[i].isalpha() or body[i].isdecimal() or body[i] == "_"):
        i += 1
    if i == 0:
        return None, text
    if brace:
        if i >= len(body) or body[i] != "}":
            return None, text
        return body[:i], body[i + 1:]
    return body[:i], body[i:]


# -- heredoc markers

# BuildKit's reHeredoc, `^(\d*)<<(-?)\s*([^<]*)$` (Go's \d and \s are ASCII-only).
_HEREDOC = r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z"  # compiled (and cached) by `re` on first use


def parse_heredoc_word(word: str):
    """(fd, chomp, name, expand) when `word` is a heredoc marker like `<<EOF` or `3<<-"EOF"`."""
    import re

    m = re.match(_HEREDOC, word)
    if not m or not m.group(3):
        return None
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
