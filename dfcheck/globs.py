"""Path globs without regular expressions: `exclude`, `per-file-ignores` and `.gitignore` patterns.

A glob is split on `/` into segments. A segment that is exactly `**` matches any number of whole path
segments (none included); any other segment matches exactly one path segment, where `*` matches any run of
characters, `?` one character, `[...]` one character of a set (`[!...]` or `[^...]`: not of it; ranges such as
`a-z`; a `]` first in the set is a member) and `\\` makes the next character literal.

Matching never backtracks more than one star at a time, at both levels (the characters of a segment and
the segments of a path): the classic wildcard algorithm, in time proportional to the path's length times the
pattern's, whatever the pattern. A regular expression such as `[^/]*a[^/]*a[^/]*b` would take time
exponential in the number of stars on a long name that almost matches.
"""

from __future__ import annotations


class _Marker:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


# Markers, not strings: an escaped `\*` is the literal token "*".
STAR = _Marker("*")  # a token of a segment: any run of characters
ANY = _Marker("?")  # a token of a segment: one character
GLOBSTAR = _Marker("**")  # a whole segment: any number of path segments


class CharSet:
    """`[...]`: one character among `chars` or within `ranges`, or, `negated`, one that is not."""

    __slots__ = ("negated", "chars", "ranges")

    def __init__(self, negated: bool, chars: frozenset, ranges: tuple):
        self.negated = negated
        self.chars = chars
        self.ranges = ranges  # ((low, high), ...)

    def matches(self, c: str) -> bool:
        inside = c in self.chars or any(low <= c <= high for low, high in self.ranges)
        return inside != self.negated


def _charset(pattern: str, i: int) -> tuple[CharSet | None, int]:
    """The set that starts at pattern[i] == "[" and the index after it; (None, i) when it is not closed."""
    j = i + 1
    negated = j < len(pattern) and pattern[j] in "!^"
    if negated:
        j += 1
    members: list[str] = []
    first = True
    while j < len(pattern):
        c = pattern[j]
        if c == "]" and not first:
            break
        if c == "\\" and j + 1 < len(pattern):
            j += 1
            c = pattern[j]
        members.append(c)
        first = False
        j += 1
    else:
        return None, i
    chars, ranges = set(), []
    k = 0
    while k < len(members):
        if k + 2 < len(members) and members[k + 1] == "-":
            ranges.append((members[k], members[k + 2]))
            k += 3
        else:
            chars.add(members[k])
            k += 1
    return CharSet(negated, frozenset(chars), tuple(ranges)), j + 1


def segment_tokens(segment: str) -> tuple:
    """A segment as tokens: literal strings of one character, STAR, ANY and CharSet objects."""
    tokens: list = []
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "*":
            if not tokens or tokens[-1] is not STAR:  # `**` inside a segment is one star
                tokens.append(STAR)
            i += 1
        elif c == "?":
            tokens.append(ANY)
            i += 1
        elif c == "[":
            charset, after = _charset(segment, i)
            if charset is None:
                tokens.append("[")
                i += 1
            else:
                tokens.append(charset)
                i = after
        elif c == "\\" and i + 1 < len(segment):
            tokens.append(segment[i + 1])
            i += 2
        else:
            tokens.append(c)
            i += 1
    return tuple(tokens)


def _one(token, c: str) -> bool:
    if token is ANY:
        return True
    if isinstance(token, CharSet):
        return token.matches(c)
    return token == c


def segment_match(tokens: tuple, text: str) -> bool:
    """Whether one path segment matches a segment's tokens."""
    if len(tokens) == 1 and tokens[0] is STAR:
        return True
    t = s = 0
    star, resume = -1, 0
    while s < len(text):
        if t < len(tokens) and tokens[t] is STAR:
            star, resume = t, s
            t += 1
        elif t < len(tokens) and _one(tokens[t], text[s]):
            t += 1
            s += 1
        elif star >= 0:  # let the last star take one more character, and retry what follows it
            resume += 1
            s = resume
            t = star + 1
        else:
            return False
    while t < len(tokens) and tokens[t] is STAR:
        t += 1
    return t == len(tokens)


class Glob:
    """A compiled glob: its segments (GLOBSTAR or a tuple of tokens)."""

    __slots__ = ("text", "segments", "literal", "suffix", "fixed")

    def __init__(self, text: str):
        self.text = text
        segments: list = []
        for part in text.split("/"):
            if part == "**":
                if not segments or segments[-1] is not GLOBSTAR:
                    segments.append(GLOBSTAR)
            else:
                segments.append(segment_tokens(part))
        self.segments = tuple(segments)
        # Shapes most globs have, matched without the general loop: one segment without wildcards
        # (`node_modules`: `literal`, for a lookup by name), or a star and then none (`*.log`: `suffix`).
        only = self.segments[0] if len(self.segments) == 1 and self.segments[0] is not GLOBSTAR else None
        plain = only is not None and all(type(t) is str for t in only)
        self.literal = "".join(only) if plain and only else None
        tail = only[1:] if only and only[0] is STAR else None
        self.suffix = "".join(tail) if tail and all(type(t) is str for t in tail) else None
        self.fixed = GLOBSTAR not in self.segments  # then a path matches only with as many segments

    def match(self, parts) -> bool:
        """Whether a path, as a sequence of segments, matches the whole glob."""
        pattern = self.segments
        if self.fixed and len(parts) != len(pattern):
            return False
        if self.suffix is not None:
            return parts[0].endswith(self.suffix)
        if self.literal is not None:
            return parts[0] == self.literal
        p = s = 0
        star, resume = -1, 0
        while s < len(parts):
            if p < len(pattern) and pattern[p] is GLOBSTAR:
                star, resume = p, s
                p += 1
            elif p < len(pattern) and segment_match(pattern[p], parts[s]):
                p += 1
                s += 1
            elif star >= 0:  # let the last `**` take one more segment
                resume += 1
                s = resume
                p = star + 1
            else:
                return False
        while p < len(pattern) and pattern[p] is GLOBSTAR:
            p += 1
        return p == len(pattern)

    def __repr__(self) -> str:
        return f"Glob({self.text!r})"


def compile_globs(patterns) -> list[tuple[bool, Glob]]:
    """dfcheck's own globs (`exclude`, `per-file-ignores`) as (anchored, Glob). A pattern without `/` matches a
    name at any depth; one with a `/` (`./Dockerfile` and `/Dockerfile` included) matches the path from the
    base directory. A trailing `/` is dropped."""
    compiled = []
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        anchored = "/" in pattern
        while pattern.startswith("./"):
            pattern = pattern[2:]
        pattern = pattern.lstrip("/")
        if pattern:
            compiled.append((anchored, Glob(pattern)))
    return compiled


def glob_match(compiled, relpath: str) -> bool:
    """Whether a path relative to the patterns' base directory (with `/` separators) matches any pattern."""
    parts = relpath.split("/")
    for anchored, glob in compiled:
        if glob.match(parts if anchored else parts[-1:]):
            return True
    return False
