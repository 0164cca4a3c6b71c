"""Quoting and expansion of shell words' literal text: backslashes, `$'...'` escapes, quotes removed, heredoc
bodies, and brace expansion (`{a,b}`, `{1..3}`), as bash does them."""

from __future__ import annotations

import re


def _unescape_double(text: str) -> str:
    """Inside double quotes a backslash only escapes $ ` " \\ and newline."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in '$`"\\\n':
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


_ANSI_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
                 "v": "\v", "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"',
                 "?": "?"}
_ANSI_NUMERIC = r"x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|([0-7]{1,3})"


def _ansi_c(body: str) -> str:
    """Decode the inside of ``$'...'``."""
    out = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 >= len(body):
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ANSI_ESCAPES:
            out.append(_ANSI_ESCAPES[nxt])
            i += 2
            continue
        match = re.compile(_ANSI_NUMERIC).match(body, i + 1)
        if match:
            digits = next(g for g in match.groups() if g is not None)
            code = int(digits, 8 if match.group(4) else 16)
            out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
            i = match.end()
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _dequote(text: str) -> tuple[str, bool]:
    """Quote removal for a heredoc delimiter; also says whether it was quoted."""
    out = []
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            quoted = True
            i += 2
        elif char in "'\"":
            close = text.find(char, i + 1)
            close = len(text) if close < 0 else close
            out.append(text[i + 1:close])
            quoted = True
            i = close + 1
        else:
            out.append(char)
            i += 1
    return "".join(out), quoted


def _heredoc_text(raw: str, strip_tabs: bool) -> str:
    """The lines a heredoc feeds: up to the delimiter line, tabs stripped for <<-."""
    if raw and not raw.endswith("\n"):
        raw = raw[:raw.rfind("\n") + 1]  # drop the delimiter line's indentation
    if strip_tabs:
        raw = "".join(line.lstrip("\t") for line in raw.splitlines(keepends=True))
    return raw


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() else None


_SEQUENCE = r"(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$|([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$"


def _expand_braces(text: str, mask: str, limit: int = 1024) -> list[str]:
    """Bash brace expansion of a static word; quoted braces (mask "1") stay.

    Stops growing at ``limit`` results.
    """
    results: list[str] = []
    pending = [(text, mask)]
    while pending and len(results) < limit:
        current, current_mask = pending.pop()
        split = _first_brace(current, current_mask)
        if split is None:
            results.append(current)
            continue
        start, end, alternatives = split
        head, tail = current[:start], current[end + 1:]
        head_mask, tail_mask = current_mask[:start], current_mask[end + 1:]
        for alt, alt_mask in reversed(alternatives[:limit]):
            pending.append((head + alt + tail, head_mask + alt_mask + tail_mask))
    return results


def _first_brace(text: str, mask: str):
    """The first expandable ``{...}``: (start, end, [(alternative, mask), ...])."""
    for start, char in enumerate(text):
        if char != "{" or mask[start] != "0":
            continue
        depth = 0
        commas = []
        for end in range(start, len(text)):
            if mask[end] != "0":
                continue
            c = text[end]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            elif c == "," and depth == 1:
                commas.append(end)
        else:
            continue
        if depth != 0:
            continue
        if commas:
            bounds = [start] + commas + [end]
            return start, end, [(text[a + 1:b], mask[a + 1:b]) for a, b in zip(bounds, bounds[1:])]
        inner = text[start + 1:end]
        if "1" not in mask[start + 1:end]:
            sequence = _sequence(inner)
            if sequence is not None:
                return start, end, [(s, "0" * len(s)) for s in sequence]
    return None


def _sequence(inner: str) -> list[str] | None:
    if ".." not in inner:  # (nor is the pattern compiled: 1 M instructions, for most braces)
        return None
    match = re.match(_SEQUENCE, inner)
    if match is None:
        return None
    if match.group(1) is not None:
        first, last = int(match.group(1)), int(match.group(2))
        to_text = str
        step_text = match.group(3)
    else:
        first, last = ord(match.group(4)), ord(match.group(5))
        to_text = chr
        step_text = match.group(6)
    step = abs(int(step_text)) if step_text else 1
    step = step or 1
    if abs(last - first) // step > 1024:
        return None
    direction = 1 if last >= first else -1
    return [to_text(v) for v in range(first, last + direction, step * direction)]

