"""The build context's two pattern languages, matched in linear time (see dfcheck.model.context).

Python's `re` backtracks where Go's matchers do not: a COPY glob or a `.dockerignore` line such as
`*a*a*a*a*a*a*a*b` took 28 s and 8.6 s against one long file name.

* COPY/ADD sources use Go's `filepath.Match`, which matches itself without backtracking: after a star it
  takes the first place where the next chunk (the characters up to the next star, each matching exactly
  one character) matches, and only the last chunk must end the name. `GoGlob` does the same, each chunk
  found by a quantifier-free regular expression.
* `.dockerignore` lines become a regular expression (moby/patternmatcher builds it; context.py keeps its
  exact text). One with at most one unbounded repetition cannot backtrack badly and is left to `re`; any
  other is read into tokens and run as an automaton whose states are sets of tokens (`IgnoreAutomaton`):
  one step per character of the path, the steps remembered as they are met.
"""

from __future__ import annotations

import re
import warnings


# -- Go's filepath.Match -----------------------------------------------------------------------------------

class GoGlob:
    """A compiled Go `filepath.Match` pattern: (star before it, chunk regex, chunk length) per chunk."""

    __slots__ = ("chunks",)

    def __init__(self, chunks: list):
        self.chunks = chunks

    def match(self, name: str) -> bool:
        pos, size = 0, len(name)
        last = len(self.chunks) - 1
        for index, (star, regex, length) in enumerate(self.chunks):
            if not star:
                if regex.match(name, pos) is None:
                    return False
                pos += length
                continue
            if length == 0:  # a final star: the rest, unless it holds a separator
                return name.find("/", pos) < 0
            slash = name.find("/", pos)
            limit = size if slash < 0 else slash  # the star cannot run over a separator
            if index == last:  # the last chunk must end the name
                start = size - length
                if start < pos or start > limit or regex.match(name, start) is None:
                    return False
                pos = size
            else:
                found = regex.search(name, pos, min(size, limit + length))
                if found is None:
                    return False
                pos = found.end()
        return pos == size


def compile_go_glob(pattern: str, class_regex) -> GoGlob | None:
    """The chunks of a Go pattern, as Go's scanChunk cuts them (None when the pattern is malformed);
    `class_regex(pattern, i)` translates the bracket expression at pattern[i] into (regex, index after it)."""
    chunks = []  # (a star before it, the regex of each of its characters)
    star, elements = False, []
    i, size = 0, len(pattern)
    while i < size:
        ch = pattern[i]
        if ch == "*":
            if elements:
                chunks.append((star, elements))
                elements = []
            star = True  # stars in a row are one
            i += 1
            continue
        if ch == "?":
            elements.append("[^/]")
            i += 1
        elif ch == "[":
            translated = class_regex(pattern, i)
            if translated is None:
                return None
            elements.append(translated[0])
            i = translated[1]
        elif ch == "\\":
            if i + 1 >= size:
                return None
            elements.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            elements.append(re.escape(ch))
            i += 1
    chunks.append((star, elements))
    return GoGlob([(star, re.compile("".join(chunk), re.DOTALL), len(chunk)) for star, chunk in chunks])


# -- .dockerignore -----------------------------------------------------------------------------------------

_NOT_SLASH, _ANY = "not /", "any"  # predicates besides literal characters and single-character regexes
_CACHE_LIMIT = 4096  # remembered steps per pattern; past that, steps are computed each time (still linear)


def ignore_matcher(regex_text: str, compiled: re.Pattern):
    """What matches paths for a `.dockerignore` pattern whose regular expression is `regex_text` (moby's, from
    `^`): `compiled` itself when it has at most one unbounded repetition, else an IgnoreAutomaton for it.
    Either has `match(path)`, truthy when the whole path matches."""
    tokens = _tokens(regex_text)
    if tokens is None or sum(kind in ("loop", "glob") for kind, _ in tokens) <= 1:
        return compiled
    return IgnoreAutomaton(tokens)


def _tokens(text: str) -> list | None:
    """moby's regular expression as tokens: ("char" | "loop", predicate), ("glob", None) for `(.*/)?`,
    ("bol", None) for `^`; None for anything else (which moby's translation does not produce)."""
    tokens = []
    i, size = 0, len(text)
    while i < size:
        if text.startswith("(.*/)?", i):
            tokens.append(("glob", None))
            i += 6
            continue
        ch = text[i]
        if ch == "^":
            tokens.append(("bol", None))
            i += 1
            continue
        if text.startswith("[^/]", i):
            predicate, i = _NOT_SLASH, i + 4
        elif ch == "[":
            end = _class_end(text, i)
            if end is None:
                return None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "possible nested set" and the like: re's reading is moby's here
                predicate = re.compile(text[i:end])
            i = end
        elif ch == "\\":
            if i + 1 >= size:
                return None
            following = text[i + 1]
            # `\d`, `\w`, ... are classes (a zero-width `\b` never matches here); any other escape is literal
            predicate = re.compile(text[i:i + 2]) if following.isalnum() else following
            i += 2
        elif ch == ".":
            predicate, i = _ANY, i + 1
        elif ch in "*+?{}()|$":
            return None
        else:
            predicate, i = ch, i + 1
        if i < size and text[i] == "*":
            tokens.append(("loop", predicate))
            i += 1
        else:
            tokens.append(("char", predicate))
    return tokens


def _class_end(text: str, i: int) -> int | None:
    """The index after the `[...]` starting at text[i], as `re` reads it."""
    j = i + 1
    if j < len(text) and text[j] == "^":
        j += 1
    if j < len(text) and text[j] == "]":
        j += 1  # a `]` first is a member
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == "]":
            return j + 1
        else:
            j += 1
    return None


def _accepts(predicate, ch: str) -> bool:
    if predicate is _ANY:
        return True
    if predicate is _NOT_SLASH:
        return ch != "/"
    if isinstance(predicate, str):
        return ch == predicate
    return predicate.fullmatch(ch) is not None


class IgnoreAutomaton:
    """A full-match automaton for tokens: states are sets of positions in the token list (a position past the
    end accepts; `inner` positions stand inside a `(.*/)?`), built one step at a time and remembered."""

    __slots__ = ("tokens", "size", "start", "steps")

    def __init__(self, tokens: list):
        self.tokens = tokens
        self.size = len(tokens)
        self.start = self._closure([0], at_start=True)
        self.steps: dict = {}

    def __eq__(self, other) -> bool:  # as two compiled regular expressions compare: by what they match
        return isinstance(other, IgnoreAutomaton) and self.tokens == other.tokens

    __hash__ = None

    def match(self, path: str):
        state, steps = self.start, self.steps
        for ch in path:
            following = steps.get((state, ch))
            if following is None:
                following = self._step(state, ch)
                if len(steps) < _CACHE_LIMIT:
                    steps[(state, ch)] = following
            if not following:
                return None
            state = following
        return True if self.size in state else None

    def _closure(self, positions, at_start: bool = False) -> frozenset:
        tokens, size = self.tokens, self.size
        found, todo = set(), list(positions)
        while todo:
            position = todo.pop()
            if position in found:
                continue
            found.add(position)
            if position < size:
                kind = tokens[position][0]
                if kind == "loop" or (kind == "bol" and at_start):
                    todo.append(position + 1)
                elif kind == "glob":
                    todo.extend((position + 1, size + 1 + position))  # skip it, or go inside
        return frozenset(found)

    def _step(self, state: frozenset, ch: str) -> frozenset:
        tokens, size = self.tokens, self.size
        following = []
        for position in state:
            if position > size:  # inside the glob at position - size - 1: any character, a `/` may end it
                following.append(position)
                if ch == "/":
                    following.append(position - size)
            elif position < size:
                kind, predicate = tokens[position]
                if kind == "char" and _accepts(predicate, ch):
                    following.append(position + 1)
                elif kind == "loop" and _accepts(predicate, ch):
                    following.append(position)
        return self._closure(following)
