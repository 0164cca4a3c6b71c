"""JSON output, in the shape DESIGN.md fixes for other tools:

    {"version": 1, "files": N, "findings": [{"code", "name", "severity", "message", "path", "line", "column",
     "end_line", "end_column", "fix", "url", "builds"}], "errors": [{"path", "message"}]}

`fix` is null or {"applicability": "safe"|"unsafe", "edits": [{"line", "column", "end_line", "end_column",
"text"}]}. `url` is the rule's documentation page, or null (a plugin's rule). `builds` names the builds the
finding belongs to (`["service api"]`) when the file is built several ways (by Compose services or Bake targets)
and not all of them have it, else it is empty. Suppressed findings are left out.
"""

from __future__ import annotations

import json

VERSION = 1


def finding_json(f, urls: dict | None = None) -> dict:
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
        "fix": fix, "url": (urls or {}).get(f.code), "builds": list(f.builds),
    }


def rule_urls(rules) -> dict:
    """Rule code -> the rule's documentation page (None for a rule without one)."""
    from ..docs import rule_url

    return {r.code: rule_url(r) for r in rules}


def render(report) -> str:
    urls = rule_urls(report.rules)
    data = {
        "version": VERSION,
        "files": len(report.files),
        "findings": [finding_json(f, urls) for f in report.findings if f.suppressed is None],
        "errors": [{"path": e.path, "message": e.message} for e in report.all_errors],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
