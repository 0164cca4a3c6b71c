"""BuildKit's shell patterns (`${V#pat}`, `${V%pat}`, `${V/pat/r}`), matched in linear time.

BuildKit turns a pattern into a Go regular expression (`*` is `.*`, or `.*?` for the shortest trims, `?` is
`.`, everything else literal) and Go matches it in linear time. Python's `re` backtracks on the same
expression: `${V#*a*a*a*a*a*a*a*a*a*a*a*a*b}` took 12 s. The results here are those of the regular expression
under Go's (and Python's) leftmost-first rules, found without backtracking:

A pattern is fixed pieces (literal characters and `?`) between stars. `.` does not match a newline, so no
match crosses one: each line of the value is searched on its own. Within a line, the leftmost start is the
first place the first piece occurs (the rest has the most room from there); the shortest match takes each
following piece at its first occurrence; the longest ends at the last occurrence of the last piece that the
others leave room for, or at the end of the line after a final star. Each piece is found with `str.find` (or
a quantifier-free regular expression when it holds a `?`), so a match costs one pass over the line.

A pattern holding a newline (only a build argument's value can put one there) is matched by simulating the
expression's automaton, threads in priority order: slower, but linear in the value too.
"""

from __future__ import annotations

import re

ANY = object()  # a `?` among a pattern's tokens (the others are `STAR` and single literal characters)
STAR = object()  # a `*`


class Piece:
    """A fixed-length piece of a pattern: literal characters and ANY."""

    __slots__ = ("length", "literal", "regex", "reverse")

    def __init__(self, chars: list):
        self.length = len(chars)
        if ANY in chars:
            self.literal = None
            self.regex = re.compile("".join("." if c is ANY else re.escape(c) for c in chars))
            self.reverse = re.compile("".join("." if c is ANY else re.escape(c) for c in reversed(chars)))
        else:
            self.literal, self.regex, self.reverse = "".join(chars), None, None

    def find(self, text: str, start: int, end: int) -> int | None:
        """The first position >= start where the piece occurs within text[:end]."""
        if self.literal is not None:
            found = text.find(self.literal, start, end)
            return found if found >= 0 else None
        match = self.regex.search(text, start, end)
        return match.start() if match else None

    def rfind(self, text: str, start: int, end: int) -> int | None:
        """The last position >= start where the piece occurs within text[:end]."""
        if self.literal is not None:
            found = text.rfind(self.literal, start, end)
            return found if found >= 0 else None
        match = self.reverse.search(text[start:end][::-1])
        return end - match.start() - self.length if match else None

    def at(self, text: str, pos: int, end: int) -> bool:
        if self.literal is not None:
            return text.startswith(self.literal, pos, end)
        return self.regex.match(text, pos, end) is not None


class Pattern:
    """A compiled shell pattern: its tokens (characters, ANY, STAR) and, unless one is a newline, its pieces."""

    __slots__ = ("tokens", "pieces")

    def __init__(self, tokens: list):
        self.tokens = tokens
        self.pieces = None
        if "\n" not in tokens:
            pieces, chars = [], []
            for token in tokens:
                if token is STAR:
                    pieces.append(Piece(chars))
                    chars = []
                else:
                    chars.append(token)
            pieces.append(Piece(chars))
            self.pieces = pieces

    def prefix(self, value: str, greedy: bool) -> int | None:
        """The end of the match anchored at the start of `value` (longest or shortest), or None."""
        if self.pieces is None:
            found = _simulate(self.tokens, value, greedy, anchored=True)
            return found[1] if found else None
        end = value.find("\n")
        found = self._in_line(value, 0, len(value) if end < 0 else end, greedy, anchored=True)
        return found[1] if found else None

    def search(self, value: str, pos: int = 0) -> tuple[int, int] | None:
        """(start, end) of the leftmost longest match starting at `pos` or later, or None."""
        if self.pieces is None:
            return _simulate(self.tokens, value, True, anchored=False, pos=pos)
        size = len(value)
        while pos <= size:
            end = value.find("\n", pos)
            end = size if end < 0 else end
            found = self._in_line(value, pos, end, True, anchored=False)
            if found:
                return found
            pos = end + 1
        return None

    def _in_line(self, text: str, lo: int, hi: int, greedy: bool, anchored: bool) -> tuple[int, int] | None:
        """The match within text[lo:hi], which holds no newline."""
        pieces = self.pieces
        first, last = pieces[0], pieces[-1]
        if anchored:
            if not first.at(text, lo, hi):
                return None
            start = lo
        else:
            start = first.find(text, lo, hi)
            if start is None:  # nor can any later start match: the rest would have less room
                return None
        at = start + first.length
        if len(pieces) == 1:
            return start, at
        for piece in pieces[1:-1]:
            found = piece.find(text, at, hi)
            if found is None:
                return None
            at = found + piece.length
        if not greedy:
            found = last.find(text, at, hi)
        elif last.length == 0:
            return start, hi  # a final star takes the rest of the line
        else:
            found = last.rfind(text, at, hi)
        return (start, found + last.length) if found is not None else None


def _simulate(tokens: list, text: str, greedy: bool, anchored: bool, pos: int = 0) -> tuple[int, int] | None:
    """The leftmost-first match by simulating the pattern's automaton (Pike's method): threads (token index,
    start) in priority order, at most one per token index at each position."""
    count = len(tokens)

    def add(threads: list, seen: set, index: int, start: int) -> None:
        stars = []
        while index not in seen and index < count and tokens[index] is STAR:
            seen.add(index)
            if greedy:
                threads.append((index, start))  # another character for the star first
            else:
                stars.append(index)
            index += 1
        if index not in seen:
            seen.add(index)
            threads.append((index, start))
        threads.extend((star, start) for star in reversed(stars))  # shortest: the rest of the pattern first

    threads: list = []
    add(threads, set(), 0, pos)
    best = None
    for i in range(pos, len(text) + 1):
        char = text[i] if i < len(text) else None
        following: list = []
        seen: set = set()
        for index, start in threads:
            if index == count:
                best = (start, i)
                break  # threads after this one have lower priority
            if char is None:
                continue
            token = tokens[index]
            if token is STAR:
                if char != "\n":
                    add(following, seen, index, start)
            elif token is ANY:
                if char != "\n":
                    add(following, seen, index + 1, start)
            elif token == char:
                add(following, seen, index + 1, start)
        if char is None:
            break
        if best is None and not anchored:
            add(following, seen, 0, i + 1)  # a match starting further on, last in priority
        threads = following
        if not threads:
            break
    return best
