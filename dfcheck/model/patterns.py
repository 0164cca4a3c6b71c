"""The two pattern languages of the build context, both as BuildKit implements them, in linear time:

* `.dockerignore` lines (moby/patternmatcher): comments start at column 1, whitespace is trimmed,
  `!` re-includes, patterns are cleaned like Go's `filepath.Clean` and a leading `/` is dropped;
  `*` and `?` stay within one path component, `**` spans any number of them, and a pattern that
  matches a directory ignores everything under it. The last pattern that matches decides.
* COPY/ADD sources (fsutil's copy with wildcards): the components before the first one with a
  wildcard name a directory, the rest is matched with Go's `filepath.Match` against the paths
  under it; a matched directory is copied whole.
"""

from __future__ import annotations

import posixpath
import re
import warnings

from ..records import fields_eq, fields_repr


def go_clean(path: str) -> str:
    """Go's `filepath.Clean` on a slash-separated path."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def _class_regex(pattern: str, i: int) -> tuple[str, int] | None:
    """Translate the `[...]` of a Go pattern starting at pattern[i] == '['; None when malformed."""
    i += 1
    negate = i < len(pattern) and pattern[i] == "^"
    if negate:
        i += 1
    items = []
    while True:
        if i >= len(pattern):
            return None
        if pattern[i] == "]" and items:
            break
        low, i = _class_char(pattern, i)
        if low is None:
            return None
        high = low
        if i < len(pattern) and pattern[i] == "-":
            high, i = _class_char(pattern, i + 1)
            if high is None:
                return None
        items.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
    body = "".join(items)
    # Go's Match never lets a class match the separator.
    return (f"[^/{body}]" if negate else f"(?!/)[{body}]"), i + 1


def _class_char(pattern: str, i: int) -> tuple[str | None, int]:
    if i >= len(pattern) or pattern[i] in "-]":
        return None, i
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            return None, i
    return pattern[i], i + 1


_go_globs: dict = {}


def _go_glob(pattern: str):
    if pattern not in _go_globs:
        from .globmatch import compile_go_glob

        _go_globs[pattern] = compile_go_glob(pattern, _class_regex)
    return _go_globs[pattern]


def go_match(pattern: str, name: str) -> bool:
    """Go's `filepath.Match(pattern, name)` on slash-separated paths, in linear time (see globmatch); a
    malformed pattern matches nothing."""
    glob = _go_glob(pattern)
    return glob is not None and glob.match(name)


def go_pattern_valid(pattern: str) -> bool:
    return _go_glob(pattern) is not None


def has_wildcards(component: str) -> bool:
    """fsutil's containsWildcards: `*`, `?` or `[` not escaped by a backslash."""
    i = 0
    while i < len(component):
        if component[i] == "\\":
            i += 2
            continue
        if component[i] in "*?[":
            return True
        i += 1
    return False


# -- .dockerignore -------------------------------------------------------------------------

def read_ignore_lines(text: str) -> list[str]:
    """The patterns of a `.dockerignore` file, as BuildKit reads them (cleaned, `!` kept in front)."""
    patterns = []
    if text.startswith("\ufeff"):
        text = text[1:]
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        invert = line[0] == "!"
        if invert:
            line = line[1:].strip()
        if line:
            line = go_clean(line)
            if len(line) > 1 and line[0] == "/":
                line = line[1:]
        patterns.append("!" + line if invert else line)
    return patterns


_EXACT, _PREFIX, _SUFFIX, _REGEX = range(4)
_ESCAPED = set(".+()|{}$")


class IgnorePattern:
    __slots__ = ("text", "exclusion", "kind", "regex")

    def __init__(self, text: str, exclusion: bool, kind: int, regex):
        self.text = text  # cleaned, without the '!'
        self.exclusion = exclusion  # a `!` line: re-include what matches
        self.kind = kind
        self.regex = regex  # a re.Pattern or a globmatch.IgnoreAutomaton: whatever matches in linear time

    __repr__ = fields_repr
    __eq__ = fields_eq

    def match(self, path: str) -> bool:
        if self.kind == _EXACT:
            return path == self.text
        if self.kind == _PREFIX:
            return path.startswith(self.text[:-2])
        if self.kind == _SUFFIX:
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
        return self.regex is not None and bool(self.regex.match(path))


def compile_ignore_pattern(line: str) -> IgnorePattern:
    """One pattern as moby/patternmatcher compiles it. Raises ValueError when BuildKit would refuse it."""
    text = go_clean(line.strip())
    exclusion = text[0] == "!"
    if exclusion:
        if len(text) == 1:
            raise ValueError('illegal exclusion pattern: "!"')
        text = text[1:]
    if not go_pattern_valid(text):
        raise ValueError(f"syntax error in pattern {text!r}")
    regex, kind, i = "^", _EXACT, 0
    n = len(text)
    pos = 0
    while pos < n:
        ch = text[pos]
        pos += 1
        if ch == "*":
            if pos < n and text[pos] == "*":
                pos += 1
                if pos < n and text[pos] == "/":
                    pos += 1
                if pos >= n:
                    if kind == _EXACT:
                        kind = _PREFIX
                    else:
                        regex += ".*"
                        kind = _REGEX
                else:
                    regex += "(.*/)?"
                    kind = _REGEX
                if i == 0:
                    kind = _SUFFIX
            else:
                regex += "[^/]*"
                kind = _REGEX
        elif ch == "?":
            regex += "[^/]"
            kind = _REGEX
        elif ch in _ESCAPED:
            regex += "\\" + ch
        elif ch == "\\":
            if pos < n:
                regex += "\\" + text[pos]
                pos += 1
                kind = _REGEX
            else:
                regex += "\\\\"
        elif ch in "[]":
            regex += ch
            kind = _REGEX
        else:
            regex += ch
        i += 1
    compiled = None
    if kind == _REGEX:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compiled = re.compile(regex + r"\Z", re.DOTALL)
            except re.error as error:
                raise ValueError(f"syntax error in pattern {text!r}") from error
        from .globmatch import ignore_matcher

        compiled = ignore_matcher(regex, compiled)  # re itself only where it cannot backtrack badly
    return IgnorePattern(text, exclusion, kind, compiled)


_PATTERN_CHARS = set("*[]?^\\")


class IgnoreRules:
    """The compiled patterns of a `.dockerignore`; `errors` lists the lines BuildKit would refuse."""

    def __init__(self, lines: list[str]):
        self.patterns: list[IgnorePattern] = []
        self.errors: list[str] = []
        for line in lines:
            if not line.strip():
                continue
            try:
                self.patterns.append(compile_ignore_pattern(line))
            except ValueError as error:
                self.errors.append(f"{line}: {error}")
        self.exclusions = [p for p in self.patterns if p.exclusion]
        # When every `!` pattern is a plain path (maybe ending in a glob), an ignored directory
        # can be skipped unless one of them lies under it (what BuildKit's walker does too).
        self._prefix_exceptions = all(not (set(_without_trailing_glob(p.text)) & _PATTERN_CHARS)
                                      for p in self.exclusions)

    @classmethod
    def from_text(cls, text: str) -> IgnoreRules:
        return cls(read_ignore_lines(text))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def ignored(self, path: str) -> bool:
        """Whether the context path (posix, relative, cleaned) is left out of the context."""
        if not self.patterns or path in (".", ""):
            return False
        parents = path.split("/")[:-1]
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            hit = pattern.match(path)
            if not hit and parents:
                prefix = ""
                for part in parents:
                    prefix = f"{prefix}/{part}" if prefix else part
                    if pattern.match(prefix):
                        hit = True
                        break
            if hit:
                matched = not pattern.exclusion
        return matched

    def may_include_under(self, directory: str) -> bool:
        """Whether something under an ignored `directory` could be re-included by a `!` pattern."""
        if not self.exclusions:
            return False
        if not self._prefix_exceptions:
            return True
        slash = directory + "/"
        return any((_without_trailing_glob(p.text) + "/").startswith(slash) for p in self.exclusions)


def _without_trailing_glob(text: str) -> str:
    while text.endswith("/**"):
        text = text[:-3]
    text = text.removesuffix("**")
    while text.endswith("/*"):
        text = text[:-2]
    return text.removesuffix("*")
