"""Concise output: one line per finding, for grep and editors' error formats (`%f:%l:%c: %m`), then the
summary line of the text output; `[*]` marks what `--fix` can fix, as in the text output.

    Dockerfile:2:1: DF001 [error] unknown instruction: FOO
    Found 1 finding (1 error) in 1 of 1 file.
"""

from __future__ import annotations

from . import display, shown_message
from .escaping import visible
from .text import fixable, summary


def render(report) -> str:
    shown = display(report)
    unsafe = shown.unsafe_fixes
    # One line each, whatever the message holds: line ends become blanks, other control characters \xNN.
    out = [f"{visible(f.path)}:{f.span.line}:{f.span.column}: {f.code}{' [*]' if fixable(f, unsafe) else ''} "
           f"[{f.severity}] {visible(' '.join(shown_message(f).splitlines()))}\n"
           for result in report.files for f in result.findings if f.suppressed is None]
    if not shown.quiet:
        out.append(summary(report, unsafe=unsafe))
    return "".join(out)
