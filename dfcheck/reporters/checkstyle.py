"""Checkstyle XML, which Jenkins (warnings-ng), reviewdog, SonarQube and many CI plugins read.

    <?xml version="1.0" encoding="UTF-8"?>
    <checkstyle version="4.3">
      <file name="Dockerfile">
        <error line="3" column="1" severity="warning" message="..." source="DF401"/>
      </file>
    </checkstyle>

Every linted file has a `<file>` element, with no children when it is clean. Severity: error → `error`,
warning → `warning`, info and style → `info`. A file that could not be linted gets an `error` without a line,
its source `dfcheck`. Paths are relative to the current directory.
"""

from __future__ import annotations

from . import shown_message
from .paths import ci_root, relative_path
from .xmltext import DECLARATION, attribute, element

SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def render(report) -> str:
    root = ci_root()
    out = [DECLARATION, '<checkstyle version="4.3">\n']
    files: dict[str, list[str]] = {}
    for result in report.files:
        entries = files.setdefault(result.path, [])
        for f in result.findings:
            if f.suppressed is None:
                entries.append(element("error", [
                    ("line", f.span.line), ("column", f.span.column), ("severity", SEVERITIES.get(f.severity, "warning")),
                    ("message", shown_message(f)), ("source", f.code),
                ]))
    for error in report.all_errors:
        files.setdefault(error.path, []).append(
            element("error", [("severity", "error"), ("message", error.message), ("source", "dfcheck")]))
    for path, entries in files.items():
        name = relative_path(path, root)
        if entries:
            out.append(f'  <file name="{attribute(name)}">\n' + "".join(f"    {e}\n" for e in entries) + "  </file>\n")
        else:
            out.append(f'  <file name="{attribute(name)}"/>\n')
    out.append("</checkstyle>\n")
    return "".join(out)

