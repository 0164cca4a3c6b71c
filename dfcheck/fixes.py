"""Apply the fixes that rules attach to their findings.

Spans are 1-based (line, column) over the text's physical lines (split on "\\n", a trailing "\\r"
not counted, a byte-order mark removed), with the end one past the last character. Two fixes whose
edits overlap cannot both apply: the one that starts first wins, the other waits for the next round
(`fix_text` lints again and repeats until nothing more applies).
"""

from __future__ import annotations

BOM = "\ufeff"
MAX_ROUNDS = 10  # fixes that keep producing fixable findings stop here


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line > len(starts):
        return len(text)
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    if end > start and text[end - 1] == "\r":
        end -= 1
    return min(start + column - 1, end)  # a column past the end of the line stops before its line end


def applicable(finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (unsafe or fix.applicability == "safe")


def apply_fixes(text: str, findings, *, unsafe: bool = False):
    """(new text, the findings whose fixes were applied). Unsafe fixes only when asked."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    starts = _line_starts(body)
    chosen = []  # (start, end, replacement) of accepted edits
    applied = []
    candidates = [f for f in findings if applicable(f, unsafe)]
    candidates.sort(key=lambda f: min((e.span.line, e.span.column) for e in f.fix.edits))
    for finding in candidates:
        edits = []
        for edit in finding.fix.edits:
            s = edit.span
            edits.append((_offset(starts, body, s.line, s.column), _offset(starts, body, s.end_line, s.end_column),
                          edit.text))
        if any(_overlaps(e, c) for e in edits for c in chosen):
            continue
        chosen.extend(edits)
        applied.append(finding)
    for start, end, replacement in sorted(chosen, key=lambda e: (e[0], e[1]), reverse=True):
        body = body[:start] + replacement + body[end:]
    return (BOM + body if bom else body), applied


def _overlaps(a, b) -> bool:
    # Two insertions at the same point conflict too: their order would be arbitrary.
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    return a[0] < b[1] and b[0] < a[1]


def unified_diff(path: str, before: str, after: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    ))


def fix_text(text: str, path: str, settings, *, unsafe: bool = False, result=None):
    """Fix, lint again and repeat: (fixed text, number of fixes applied, the FileResult of the fixed text)."""
    from .engine import lint_text

    if result is None:
        result = lint_text(text, path, settings)
    count = 0
    for _ in range(MAX_ROUNDS):
        new_text, applied = apply_fixes(text, result.findings, unsafe=unsafe)
        if not applied or new_text == text:
            break
        count += len(applied)
        text = new_text
        result = lint_text(text, path, settings)
    return text, count, result
