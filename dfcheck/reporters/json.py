"""JSON output, in the shape DESIGN.md fixes for other tools:

    {"version": 1, "files": N, "findings": [{"code", "name", "severity", "message", "path", "line", "column",
     "end_line", "end_column", "fix"}], "errors": [{"path", "message"}]}

`fix` is null or {"applicability": "safe"|"unsafe", "edits": [{"line", "column", "end_line", "end_column",
"text"}]}. Suppressed findings are left out.
"""

from __future__ import annotations

import json

VERSION = 1


def finding_json(f) -> dict:
    span = f.span
    fix = None
    if f.fix is not None:
        fix = {
            "applicability": f.fix.applicability,
            "edits": [
                {"line": e.span.line, "column": e.span.column, "end_line": e.span.end_line,
                 "end_column": e.span.end_column, "text": e.text}
                for e in f.fix.edits
            ],
        }
    return {
        "code": f.code, "name": f.name, "severity": f.severity, "message": f.message, "path": f.path,
        "line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column,
        "fix": fix,
    }


def render(report) -> str:
    data = {
        "version": VERSION,
        "files": len(report.files),
        "findings": [finding_json(f) for f in report.findings if f.suppressed is None],
        "errors": [{"path": e.path, "message": e.message} for e in report.all_errors],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
