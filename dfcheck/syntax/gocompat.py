"""Go's library functions where Python's differ, as BuildKit's parser (written in Go) relies on them: Go's
whitespace, simple case mapping, strconv quoting and integers, time.ParseDuration, encoding/json, and BuildKit's
"did you mean" suggestion."""

from __future__ import annotations

import re

# Go's unicode.IsSpace, which BuildKit uses to trim lines and split words.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


# -- encoding/json


def _reject_constant(name):
    raise ValueError(name)  # Go's JSON has no NaN or Infinity


def _go_number(text):
    # Go decodes a JSON number into a float64; one out of its range is an error (and the line shell form)
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


_decoder = None


def go_json():
    """Go's encoding/json as a json.JSONDecoder, made on first use: importing json is ~3 % of a one-file run, and
    a file without an exec form (a JSON array) needs none of it."""
    global _decoder
    if _decoder is None:
        import json

        _decoder = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_go_number, parse_int=_go_number)
    return _decoder


# Compiled on first use (2.5 M instructions, a percent of a one-file run): only arrays nested too deep for
# Python's json need it.
_JSON_TOKEN = (
    r'[ \t\n\r]*(?:(?P<open>[\[{])|(?P<close>[\]}])|(?P<comma>,)|(?P<colon>:)'
    r'|(?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")'
    r'|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)|(?P<literal>true|false|null))'
)
_GO_JSON_MAX_DEPTH = 10000


def go_json_valid_prefix(text: str) -> bool:
    """Whether `text` starts with one valid JSON value nested at most as deep as Go allows."""
    stack = []  # open containers: "[" or "{"
    expect = "value"  # value, value_or_close, key, key_or_close, colon, comma_or_close
    pos = 0
    token = re.compile(_JSON_TOKEN)
    while True:
        m = token.match(text, pos)
        if not m:
            return False
        pos = m.end()
        kind = m.lastgroup
        if expect in ("value", "value_or_close"):
            if kind == "close" and expect == "value_or_close" and m.group("close") == "]":
                stack.pop()
            elif kind == "open":
                stack.append(m.group("open"))
                if len(stack) > _GO_JSON_MAX_DEPTH:
                    return False
                expect = "value_or_close" if m.group("open") == "[" else "key_or_close"
                continue
            elif kind in ("string", "literal") or (kind == "number" and _finite(m.group("number"))):
                pass
            else:
                return False
        elif expect in ("key", "key_or_close"):
            if kind == "string":
                expect = "colon"
                continue
            if not (kind == "close" and expect == "key_or_close" and m.group("close") == "}"):
                return False
            stack.pop()
        elif expect == "colon":
            if kind != "colon":
                return False
            expect = "value"
            continue
        else:  # comma_or_close
            if kind == "comma":
                expect = "value" if stack[-1] == "[" else "key"
                continue
            if kind != "close" or m.group("close") != ("]" if stack[-1] == "[" else "}"):
                return False
            stack.pop()
        if not stack:
            return True
        expect = "comma_or_close"


def _finite(number: str) -> bool:
    try:
        _go_number(number)
    except ValueError:
        return False
    return True


# -- strings, strconv, time


def go_lower(s: str) -> str:
    """Go's strings.ToLower: simple (one-to-one) case mapping."""
    if s.isascii():
        return s.lower()
    return "".join(_go_case(c, c.lower()) for c in s)


def go_upper(s: str) -> str:
    """Go's strings.ToUpper: simple (one-to-one) case mapping."""
    if s.isascii():
        return s.upper()
    return "".join(_go_case(c, c.upper()) for c in s)


def _go_case(c: str, mapped: str) -> str:
    if len(mapped) == 1:
        return mapped
    if c == "\u0130":  # Go maps İ to i; Python's full mapping adds a combining dot
        return "i"
    return c  # Python's full case mapping gives several characters where Go's simple one keeps c


_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v",
               "\\": "\\\\", '"': '\\"'}


def go_quote(s: str) -> str:
    """Go's strconv.Quote."""
    out = ['"']
    for ch in s:
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


_UNITS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
          "m": 60_000_000_000, "h": 3_600_000_000_000}


def _time_quote(s: str) -> str:
    """The quoting of Go's time package: non-ASCII and control bytes as \\x escapes."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


def go_parse_duration(text: str) -> tuple[int, str | None]:
    """Go's time.ParseDuration: (nanoseconds, None) or (0, Go's error message)."""
    invalid = f"time: invalid duration {_time_quote(text)}"
    s = text
    negative = False
    if s and s[0] in "+-":
        negative = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0, None
    if not s:
        return 0, invalid
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            return 0, invalid
        i = 0
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
        whole, s = s[:i], s[i:]
        value = int(whole) if whole else 0
        if value >= 1 << 63:
            return 0, invalid
        fraction, scale = 0, 1
        post = False
        if s and s[0] == ".":
            i = 1
            overflow = False
            while i < len(s) and "0" <= s[i] <= "9":
                if not overflow:
                    if fraction > ((1 << 63) - 1) // 10:
                        overflow = True
                    else:
                        fraction = fraction * 10 + int(s[i])
                        scale *= 10
                i += 1
            post = i > 1
            s = s[i:]
        if not whole and not post:
            return 0, invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            return 0, f"time: missing unit in duration {_time_quote(text)}"
        unit_text, s = s[:i], s[i:]
        unit = _UNITS.get(unit_text)
        if unit is None:
            return 0, f"time: unknown unit {_time_quote(unit_text)} in duration {_time_quote(text)}"
        if value > (1 << 63) // unit:
            return 0, invalid
        value *= unit
        if fraction:
            value += int(float(fraction) * (float(unit) / scale))
            if value > 1 << 63:
                return 0, invalid
        total += value
        if total > 1 << 63:
            return 0, invalid
    if negative:
        return -total, None
    if total > (1 << 63) - 1:
        return 0, invalid
    return total, None


_INT = r"[+-]?[0-9]+\Z"  # compiled by `re` on first use: only HEALTHCHECK --retries reads an integer


def go_parse_int32(text: str) -> tuple[int, str | None]:
    """Go's strconv.ParseInt(text, 10, 32): (value, None) or (0, Go's error message)."""
    if not re.match(_INT, text):
        return 0, f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax"
    value = int(text)
    if not -(1 << 31) <= value < (1 << 31):
        return 0, f"strconv.ParseInt: parsing {go_quote(text)}: value out of range"
    return value, None


def suggest(value: str, options, case_sensitive: bool) -> str | None:
    """BuildKit's suggest.WrapError: the closest option under edit distance 3, or None.

    Go ranges over a map there, so between options equally close the choice is Go's random order;
    here it is the first of `options`.
    """
    original = value
    if not case_sensitive:
        value = go_lower(value)
    match, best = None, 3
    for option in options:
        if not case_sensitive:
            option = go_lower(option)
        if value == option:
            return None
        distance = edit_distance(value, option)
        if distance < best:
            match, best = option, distance
            if not case_sensitive:
                if original == go_lower(original):
                    match = go_lower(option)
                elif original == go_upper(original):
                    match = go_upper(option)
    return match


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
