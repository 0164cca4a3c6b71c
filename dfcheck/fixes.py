"""The fix loop: the one way fixes reach a text. `dfcheck --fix` and `--diff`, the fixes in SARIF and JSON output
and the language server's quick fixes and fix-all all go through it.

Spans are 1-based (line, column) over the text's physical lines (split on "\\n", the "\\r"s before it not
counted, a byte-order mark removed), the end one past the last character. A fix writes line breaks as "\\n";
each becomes the line end of the line the edit starts on, so a CRLF file stays CRLF, line by line.

`fix_text` applies fixes in passes. In one pass an instruction takes at most one fix, and no edit may overlap
or touch an edit of another fix: the later fix waits for the next pass, which lints the new text first.
After each pass the new text must parse with no new syntax error and lint with no new rule failure, and the
rules whose fixes ran must report nothing that the text before the pass did not have (findings compared by
rule and position, positions mapped back through the edits), and the instructions no fix edited must see the
same WORKDIR, USER, SHELL, ARG and ENV values as before (dfcheck.fix_state). A fix that fails this is dropped,
its finding stays, and a note says why ("fix not applied: ..."). The passes stop when no fix applies. Fixes that still
apply after MAX_PASSES, or that bring back a text an earlier pass had, do not converge: that is a bug in
their rule, reported as an error naming it, and the fixing starts over without that rule's fixes.
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right, insort
from collections import Counter

from .records import replace
from .rule import Edit, Fix

BOM = "\ufeff"
MAX_PASSES = 10  # each pass lints the file once; every corpus file converges in fewer (tests/test_fix_corpus.py)


class Outcome:
    """What `fix_text` did to one text."""

    __slots__ = ("text", "result", "fixed", "notes", "errors")

    def __init__(self, text, result, fixed, notes, errors):
        self.text = text  # the fixed text
        self.result = result  # the FileResult of the fixed text; a finding whose fix was dropped has none left
        self.fixed = fixed  # the findings whose fixes were applied, pass by pass
        self.notes = notes  # "LINE:COLUMN: CODE fix not applied: why", for verbose output
        self.errors = errors  # engine Errors: fixes that do not converge (a bug in the rule)


class _Lines:
    """Offsets of a text's physical lines."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str):
        self.text = text
        starts = [1 if text.startswith(BOM) else 0]
        i = text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self.starts = starts

    def _bounds(self, line: int) -> tuple[int, int]:
        """(start, end) of a line's characters, its line end left out."""
        starts, text = self.starts, self.text
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(text)
        while end > start and text[end - 1] == "\r":
            end -= 1
        return start, end

    def offset(self, line: int, column: int) -> int:
        """The offset of (line, column); a column past the end of its line stops before the line end."""
        if line < 1:
            return self.starts[0]
        if line > len(self.starts):
            return len(self.text)
        start, end = self._bounds(line)
        return max(start, min(start + column - 1, end))

    def line_of(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset), 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        start, end = self._bounds(line)
        return self.text[start:end]

    def ending(self, line: int) -> str:
        """The line end of `line`; for a last line without one, the file's first line end ("\\n" if none)."""
        starts, text = self.starts, self.text
        if line < len(starts):
            i = starts[line] - 1
        else:
            i = text.find("\n")
            if i < 0:
                return "\n"
        return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


class _Candidate:
    """A finding's fix, located in one text: its edits as (start, end, replacement) offsets, the instructions
    (or bare lines) it touches, and a key that finds the same fix again in a later pass's text."""

    __slots__ = ("finding", "edits", "units", "key")

    def __init__(self, finding, edits, units, key):
        self.finding = finding
        self.edits = edits
        self.units = units
        self.key = key


def applicable(finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (unsafe or fix.applicability == "safe")


def _adapted(edit, lines: _Lines, start: int) -> str:
    """The edit's text with each "\\n" written as the line end of the line it starts on."""
    text = edit.text.replace("\r\n", "\n")
    return text.replace("\n", lines.ending(lines.line_of(start))) if "\n" in text else text


def _locate(finding, lines: _Lines, ranges) -> _Candidate | None:
    """The fix of `finding` in this text, or None when its own edits overlap (a bug in the rule)."""
    edits = []
    for edit in finding.fix.edits:
        s = edit.span
        start, end = lines.offset(s.line, s.column), lines.offset(s.end_line, s.end_column)
        if end < start:
            return None
        edits.append((start, end, _adapted(edit, lines, start)))
    edits.sort()
    for (s1, e1, _), (s2, e2, _) in zip(edits, edits[1:]):
        if s2 < e1 or s1 == e1 == s2 == e2:  # overlapping, or two insertions at one point
            return None
    units = set()
    for start, end, _ in edits:
        units.update(_units(lines, ranges, start, end))
    replaced = tuple((lines.text[s:e], t) for s, e, t in edits)
    key = (finding.code, replaced, lines.line_text(lines.line_of(edits[0][0])))
    return _Candidate(finding, edits, units, key)


def _units(lines: _Lines, ranges, start: int, end: int):
    """The instructions an edit touches (by index), and its first line when that is in no instruction."""
    firsts, lasts = ranges
    first = lines.line_of(start)
    last = lines.line_of(end)
    if last > first and end == lines.starts[last - 1]:
        last -= 1  # an edit that ends at the start of a line (a deleted line's end) does not touch that line
    out = list(range(bisect_left(lasts, first), bisect_right(firsts, last)))
    if not out or firsts[out[0]] > first:
        out.append(("line", first))
    return out


def _ranges(dockerfile):
    nodes = dockerfile.instructions
    return [n.span.line for n in nodes], [n.span.end_line for n in nodes]


class _Taken:
    """The edits accepted in one pass, sorted, to test a new one against its neighbours."""

    __slots__ = ("spans",)

    def __init__(self):
        self.spans: list[tuple[int, int]] = []

    def conflicts(self, start: int, end: int) -> bool:
        """Whether [start, end] overlaps or touches an accepted edit."""
        # Accepted edits neither overlap nor touch: of those starting at or before `end`, the last ends last.
        i = bisect_right(self.spans, (end, sys.maxsize))
        return i > 0 and self.spans[i - 1][1] >= start

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))


def _choose(candidates: list[_Candidate]) -> list[_Candidate]:
    """The fixes of one pass: in order, each whose instructions are free and whose edits touch no other's."""
    taken = _Taken()
    units: set = set()
    chosen = []
    for c in candidates:
        if any(u in units for u in c.units) or any(taken.conflicts(s, e) for s, e, _ in c.edits):
            continue
        chosen.append(c)
        units.update(c.units)
        for s, e, _ in c.edits:
            taken.add(s, e)
    return chosen


def _apply(text: str, chosen: list[_Candidate]) -> tuple[str, list[tuple[int, int, str]]]:
    edits = sorted(e for c in chosen for e in c.edits)
    out, at = [], 0
    for start, end, replacement in edits:
        out.append(text[at:start])
        out.append(replacement)
        at = end
    out.append(text[at:])
    return "".join(out), edits


def apply_fixes(text: str, findings, *, unsafe: bool = False):
    """(new text, the findings whose fixes were applied): one pass without verification, for showing what a
    rule's fixes do. Fixes whose edits overlap or touch an earlier one's wait; unsafe fixes only when asked."""
    lines = _Lines(text)
    no_instructions = ([], [])  # one pass, no verification: which instructions the fixes touch does not matter
    candidates = [c for c in (_locate(f, lines, no_instructions) for f in findings if applicable(f, unsafe))
                  if c is not None]
    candidates.sort(key=lambda c: c.edits[0][:2])
    taken, chosen = _Taken(), []
    for c in candidates:
        if not any(taken.conflicts(s, e) for s, e, _ in c.edits):
            chosen.append(c)
            for s, e, _ in c.edits:
                taken.add(s, e)
    new, _ = _apply(text, chosen)
    return new, [c.finding for c in chosen]


# ---------------------------------------------------------------- verification


class _State:
    """One text, linted: what a pass starts from."""

    __slots__ = ("text", "lines", "result", "dockerfile", "ranges", "_seen")

    def __init__(self, text, result, dockerfile=None):
        from .syntax import parse

        self.text = text
        self.lines = _Lines(text)
        self.result = result
        self.dockerfile = dockerfile if dockerfile is not None else parse(text)
        self.ranges = _ranges(self.dockerfile)
        self._seen = None

    def seen(self, settings):
        """(what each instruction sees, what each stage leaves), computed once (`fix_state.seen`)."""
        if self._seen is None:
            from .fix_state import seen

            self._seen = seen(self.dockerfile, settings)
        return self._seen

    def candidates(self, unsafe: bool, codes=(), keys=()) -> list[_Candidate]:
        """The fixes to try, in the order of their first edit, without those of `codes` and `keys` (nor those of
        suppressed findings)."""
        out = []
        for f in self.result.findings:
            if applicable(f, unsafe) and f.suppressed is None and f.code not in codes:
                c = _locate(f, self.lines, self.ranges)
                if c is not None and c.key not in keys:
                    out.append(c)
        out.sort(key=lambda c: c.edits[0][:2])
        return out


def _mapper(edits):
    """A function from offsets of the new text to offsets of the text `edits` (sorted) were applied to."""
    table, delta = [], 0
    for start, end, replacement in edits:
        table.append((start + delta, start + delta + len(replacement), start, end))
        delta += len(replacement) - (end - start)
    firsts = [row[0] for row in table]

    def back(offset: int) -> int:
        i = bisect_right(firsts, offset) - 1
        if i < 0:
            return offset
        new_start, new_end, start, end = table[i]
        if offset < new_end:
            return start  # inside the inserted text
        return end + offset - new_end

    return back


def _check(before: _State, chosen: list[_Candidate], path: str, settings):
    """Apply `chosen` and lint the result: (its state, None), or (None, why it is worse than before)."""
    from .engine import lint_text
    from .syntax import parse

    text, edits = _apply(before.text, chosen)
    back = _mapper(edits)
    lines = _Lines(text)

    dockerfile = parse(text)
    old = Counter(before.lines.offset(e.span.line, e.span.column) for e in before.dockerfile.errors)
    for e in dockerfile.errors:
        at = back(lines.offset(e.span.line, e.span.column))
        if old[at] <= 0:
            return None, f"the fixed text would not parse: {e.message} (its line {e.span.line})"
        old[at] -= 1

    result = lint_text(text, path, settings)
    known = {e.message for e in before.result.errors}
    for e in result.errors:
        if e.message not in known:
            return None, f"a rule fails on the fixed text: {e.message}"

    from .fix_state import state_change

    after = _State(text, result, dockerfile)
    why = state_change(before, chosen, edits, after, settings)
    if why is not None:
        return None, why

    codes = {c.finding.code for c in chosen}
    old = Counter((f.code, before.lines.offset(f.span.line, f.span.column))
                  for f in before.result.findings if f.code in codes)
    for f in result.findings:
        if f.code in codes:
            key = (f.code, back(lines.offset(f.span.line, f.span.column)))
            if old[key] <= 0:
                return None, f"it would add a {f.code} finding: {f.message} (line {f.span.line} of the fixed text)"
            old[key] -= 1
    return after, None


def _pass(state: _State, chosen: list[_Candidate], path: str, settings, rejected: dict):
    """Apply the fixes chosen for a pass, verified: (the new state, the fixes applied), or (None, []) when
    none passes. A fix that fails the check on its own goes into `rejected` (key -> why)."""
    new_state, why = _check(state, chosen, path, settings)
    if new_state is not None:
        return new_state, chosen
    if len(chosen) == 1:
        rejected[chosen[0].key] = why
        return None, []
    good = []
    for c in chosen:  # find the fixes at fault: each on its own
        alone, why = _check(state, [c], path, settings)
        if alone is None:
            rejected[c.key] = why
        else:
            good.append((c, alone))
    if len(good) > 1:
        together = [c for c, _ in good]
        new_state, _ = _check(state, together, path, settings)
        if new_state is not None:
            return new_state, together
    return (good[0][1], [good[0][0]]) if good else (None, [])


def linted_from(result, text: str) -> bool:
    """Whether `result` is the lint of `text`: it was made from the same physical lines (what a lint reads;
    line ends and a byte-order mark change no finding). Saves linting a file again when it has not changed."""
    body = text[1:] if text.startswith(BOM) else text
    lines = [line.rstrip("\r") for line in body.split("\n")]
    if body.endswith("\n"):
        lines.pop()
    return bool(result.lines) and lines == result.lines and not result.errors


def fix_text(text: str, path: str, settings, *, unsafe: bool = False, result=None) -> Outcome:
    """Fix `text` in verified passes until no fix applies (see the module's documentation). `result`: the
    lint of `text` when the caller has it."""
    from .engine import Error, FileResult, lint_text

    if result is None:
        result = lint_text(text, path, settings)
    start = _State(text, result)
    stuck: set = set()  # the codes of rules whose fixes do not converge
    errors = []
    while True:
        rejected: dict = {}
        state, fixed, more = _passes(start, path, settings, unsafe, stuck, rejected)
        if not more:
            break
        for code in sorted(more):
            name = next((r.name for r in settings.rules if r.code == code), "")
            errors.append(Error(path, f"{path}: internal error: the fixes of {code} ({name}) do not converge "
                                      "(they keep changing the file), so none was applied; please report this bug"))
        stuck |= more
    notes, left = [], []
    for f in state.result.findings:
        if applicable(f, unsafe):  # what is left of these, the loop cannot fix: their fixes go
            if f.code not in stuck:
                c = _locate(f, state.lines, state.ranges)
                why = "its edits overlap each other" if c is None else rejected.get(c.key, "it was dropped")
                notes.append(f"{f.span.line}:{f.span.column}: {f.code} fix not applied: {why}")
            f = replace(f, fix=None)
        left.append(f)
    r = state.result
    result = FileResult(r.path, left, r.errors, r.lines, r.fail_on)
    return Outcome(state.text, result, fixed, notes, errors)


def _passes(state: _State, path, settings, unsafe, stuck, rejected):
    """(the final state, the findings fixed, the codes whose fixes do not converge)."""
    fixed = []
    seen = {state.text: 0}
    codes_by_pass: list[set] = []
    while True:
        chosen = _choose(state.candidates(unsafe, stuck, rejected))
        if not chosen:
            return state, fixed, set()
        if len(codes_by_pass) == MAX_PASSES:
            return state, fixed, {c.finding.code for c in chosen}
        new_state, applied = _pass(state, chosen, path, settings, rejected)
        if new_state is None:
            continue  # every fix chosen was rejected: choose among the others
        codes_by_pass.append({c.finding.code for c in applied})
        if new_state.text in seen:  # back to an earlier text: the fixes since then go round in circles
            return new_state, fixed, set().union(*codes_by_pass[seen[new_state.text]:])
        seen[new_state.text] = len(codes_by_pass)
        fixed.extend(c.finding for c in applied)
        state = new_state


def verified_fixes(text: str, path: str, settings, result) -> dict:
    """id(finding) -> the finding's fix as the loop applies it on its own (line ends adapted), or None when the
    loop would drop it; for every finding of `result` (the lint of `text`) with a fix, safe or unsafe. What
    SARIF's fixes and the language server's quick fixes offer: a fix is checked with the others of its pass,
    and on its own when that fails, as in `fix_text`."""
    state = _State(text, result)
    out = {id(f): None for f in result.findings if f.fix is not None}
    remaining = state.candidates(True)
    while remaining:
        chosen = _choose(remaining)
        accepted = chosen
        if _check(state, chosen, path, settings)[0] is None:
            accepted = [c for c in chosen if len(chosen) > 1 and _check(state, [c], path, settings)[0] is not None]
        for c in accepted:
            fix, lines = c.finding.fix, state.lines
            edits = [Edit(e.span, _adapted(e, lines, lines.offset(e.span.line, e.span.column))) for e in fix.edits]
            out[id(c.finding)] = Fix(fix.applicability, edits, fix.description, fix.changes)
        done = {id(c) for c in chosen}
        remaining = [c for c in remaining if id(c) not in done]
    return out


def keep_verified(result, settings) -> None:
    """Leave each finding of `result` only the fix the loop would apply on its own (`verified_fixes`), None for
    one it would drop: what shows fixes (`[*]`, --statistics, JSON, SARIF, the Python API) then shows what
    `--fix` does."""
    if result.text is None or not any(f.fix is not None for f in result.findings):
        return
    fixes = verified_fixes(result.text, result.path, settings, result)
    for f in result.findings:
        if f.fix is not None:
            f.fix = fixes.get(id(f))


# ---------------------------------------------------------------- diff


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff that `patch -p1` applies from the current directory: lines split at "\\n" only, a last
    line without one marked `\\ No newline at end of file`, the path relative (`a/dir/Dockerfile`) or, outside
    the current directory, absolute without its leading slash (`patch -p1 -d /` applies that)."""
    import difflib

    name = diff_path(path)
    out = []
    for line in difflib.unified_diff(_split(before), _split(after), _quoted("a/" + name), _quoted("b/" + name)):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _split(text: str) -> list[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def diff_path(path: str) -> str:
    """`path` as a diff names it: relative to the current directory when inside it, else absolute without the
    leading slash, with `/` separators."""
    import os

    full = os.path.abspath(path)
    try:
        relative = os.path.relpath(full)
    except ValueError:  # on another drive
        relative = full
    name = full if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative
    return name.replace(os.sep, "/").lstrip("/")


_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _quoted(name: str) -> str:
    """A header name in double quotes with C escapes, as git writes one, when it has a quote, a backslash or a
    control character (which would break the header line), or a blank (where patch would end the name); else
    as it is."""
    if not any(ch in _C_ESCAPES or ch == " " or ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return name
    return '"' + "".join(_C_ESCAPES.get(ch) or (f"\\{ord(ch):03o}" if ord(ch) < 32 or ord(ch) == 127 else ch)
                         for ch in name) + '"'
