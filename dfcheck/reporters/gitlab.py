"""GitLab Code Quality JSON (`artifacts: reports: codequality:`), shown in the merge request widget.

    [{"description": "DF401 add-instead-of-copy: use COPY ...", "check_name": "DF401",
      "fingerprint": "<32 hex>", "severity": "major",
      "location": {"path": "Dockerfile", "lines": {"begin": 3}}}]

`lines.end` is added when the finding spans several lines.

Severity: error → `critical`, warning → `major`, info → `minor`, style → `info` (`blocker` is left for
nothing dfcheck reports: no finding stops a build by itself). Paths are relative to `CI_PROJECT_DIR` when
set, else to the current directory.

The description ends with the builds the finding belongs to when not every build of the file has it
(`[service api]`). The fingerprint is how GitLab tells a new issue from one it has seen: it hashes the path,
the rule, the message (with those builds) and the text of the finding's first line with its whitespace
squeezed, not the line number, so it survives lines added above; two findings alike in all of that in one
file get the occurrence number hashed in as well, so each fingerprint is unique. Files that could not be
linted are not issues in the code and are left out (they are on stderr, and the exit status is 2).
"""

from __future__ import annotations

import hashlib
import json

from . import shown_message
from .paths import ci_root, relative_path

SEVERITIES = {"error": "critical", "warning": "major", "info": "minor", "style": "info"}


def fingerprint(path: str, code: str, message: str, line_text: str, occurrence: int) -> str:
    key = "\0".join((path, code, message, " ".join(line_text.split()), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def render(report) -> str:
    root = ci_root("CI_PROJECT_DIR")
    issues = []
    for result in report.files:
        seen: dict[tuple, int] = {}
        for f in result.findings:
            if f.suppressed is not None:
                continue
            path = relative_path(f.path, root)
            line = f.span.line
            text = result.lines[line - 1] if 1 <= line <= len(result.lines) else ""
            message = shown_message(f)
            key = (f.code, message, " ".join(text.split()))
            seen[key] = seen.get(key, 0) + 1
            lines = {"begin": max(line, 1)}
            if f.span.end_line > line:
                lines["end"] = f.span.end_line
            issues.append({
                "description": f"{f.code} {f.name}: {message}",
                "check_name": f.code,
                "fingerprint": fingerprint(path, f.code, message, text, seen[key]),
                "severity": SEVERITIES.get(f.severity, "major"),
                "location": {"path": path, "lines": lines},
            })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
