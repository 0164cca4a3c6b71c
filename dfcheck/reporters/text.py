"""Text output: each finding with its source lines underlined, then a summary line.

    Dockerfile:2:1: DF001 [error] unknown instruction: FOO
      |
    2 | FOO bar
      | ^^^

    Found 1 finding (1 error) in 1 of 1 file.

A finding that `--fix` can fix is marked `[*]` after its code (with `unsafe`, as `--unsafe-fixes` gives, unsafe
fixes too), and the summary says how many `--fix` would fix, and how many more `--unsafe-fixes` would. A
finding of a Dockerfile built several ways (by Compose services or Bake targets) that not every build has ends
with the builds it belongs to: `... [service api]`.
"""

from __future__ import annotations

from ..rule import SEVERITIES
from . import display, shown_message
from .escaping import visible

TAB_WIDTH = 4
MAX_SNIPPET_LINES = 5  # longer spans show their first and last lines around a `...` gutter

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_GUTTER = "\x1b[34m"
_SEVERITY_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;34m", "style": "\x1b[1;36m"}


def render(report) -> str:
    """Each finding, then the summary line (not when quiet)."""
    shown = display(report)
    color, unsafe = shown.color, shown.unsafe_fixes
    out = []
    for result in report.files:
        for f in result.findings:
            if f.suppressed is None:
                out.append(render_finding(f, result.lines, color=color, unsafe=unsafe))
    if not shown.quiet:
        out.append(summary(report, color=color, unsafe=unsafe))
    return "".join(out)


def fixable(f, unsafe: bool) -> bool:
    return f.fix is not None and bool(f.fix.edits) and (unsafe or f.fix.applicability == "safe")


def render_finding(f, lines: list[str], *, color: bool = False, unsafe: bool = False) -> str:
    def paint(style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if color and text else text

    severity_style = _SEVERITY_COLORS.get(f.severity, _BOLD)
    span = f.span
    mark = " [*]" if fixable(f, unsafe) else ""
    head = (f"{paint(_BOLD, f'{visible(f.path)}:{span.line}:{span.column}:')} {paint(severity_style, f.code)}{mark} "
            f"[{f.severity}] {visible(shown_message(f))}\n")
    shown = [n for n in range(span.line, span.end_line + 1) if 1 <= n <= len(lines)]
    if not shown:
        return head + "\n"
    if len(shown) > MAX_SNIPPET_LINES:
        shown = shown[:2] + [None] + shown[-2:]
    width = len(str(span.end_line))
    pad = " " * width
    rows = [f"{paint(_GUTTER, pad + ' |')}\n"]
    for n in shown:
        if n is None:
            rows.append(f"{paint(_GUTTER, '.' * width + ' |')}\n")
            continue
        text = lines[n - 1]
        start = span.column if n == span.line else 1
        end = span.end_column if n == span.end_line else len(text) + 1
        display, start_col = _expand(text, start)
        _, end_col = _expand(text, end)
        rows.append(f"{paint(_GUTTER, str(n).rjust(width) + ' |')} {display}\n".rstrip(" \n") + "\n")
        carets = max(end_col - start_col, 1 if n == span.line else 0)
        if carets:
            underline = " " * (start_col - 1) + paint(severity_style, "^" * carets)
            rows.append(f"{paint(_GUTTER, pad + ' |')} {underline}\n")
    return head + "".join(rows) + "\n"


def _expand(text: str, column: int) -> tuple[str, int]:
    """The line with tabs expanded and control characters escaped, and where 1-based character `column`
    lands in it."""
    out = []
    width = 0
    display_column = None
    for i, ch in enumerate(text, 1):
        if i == column:
            display_column = width + 1
        piece = " " * (TAB_WIDTH - width % TAB_WIDTH) if ch == "\t" else visible(ch)
        out.append(piece)
        width += len(piece)
    if display_column is None:  # at or past the end of the line
        display_column = width + 1 + max(column - len(text) - 1, 0)
    return "".join(out), display_column


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word in ("info", "style") else f"{n} {word}s"


def summary(report, *, color: bool = False, unsafe: bool = False) -> str:
    findings = [f for f in report.findings if f.suppressed is None]
    files = len(report.files)
    errors = len(report.all_errors)
    if findings:
        counts = [_plural(sum(f.severity == s for f in findings), s) for s in SEVERITIES
                  if any(f.severity == s for f in findings)]
        with_findings = sum(any(f.suppressed is None for f in r.findings) for r in report.files)
        line = (f"Found {_plural(len(findings), 'finding')} ({', '.join(counts)}) "
                f"in {with_findings} of {_plural(files, 'file')}.")
    elif errors:
        line = f"No findings in {_plural(files, 'file')}."
    else:
        line = f"All checks passed: {_plural(files, 'file')}."
    if errors:
        line += f" {_plural(errors, 'error')} reported on stderr."
    hint = _fix_hint(findings, unsafe)
    return (f"{_BOLD}{line}{_RESET}" if color else line) + "\n" + hint


def _fix_hint(findings, unsafe: bool) -> str:
    """`[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`).`, or nothing."""
    safe = sum(fixable(f, unsafe) for f in findings)
    more = 0 if unsafe else sum(fixable(f, True) for f in findings) - safe
    if safe and more:
        return f"[*] {safe} fixable with `--fix` ({more} more with `--unsafe-fixes`).\n"
    if safe:
        return f"[*] {safe} fixable with `--fix{' --unsafe-fixes' if unsafe else ''}`.\n"
    if more:
        return f"{more} fixable with `--fix --unsafe-fixes`.\n"
    return ""
