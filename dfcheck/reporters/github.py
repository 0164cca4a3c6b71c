"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

    ::warning file=Dockerfile,line=3,col=1,endLine=3,endColumn=4,title=DF401 add-instead-of-copy::message

Severity: error → `error`, warning → `warning`, info and style → `notice`. A file that could not be linted
is an `error` annotation on that file (titled `dfcheck error`). The message ends with the builds the finding
belongs to when not every build of the file has it (`[service api]`). Paths are relative to
`GITHUB_WORKSPACE` (the checkout) when set, else to the current directory.

Escaping, as the runner undoes it: in the message, `%` → `%25`, CR → `%0D`, LF → `%0A`; in a property value
also `:` → `%3A` and `,` → `%2C` (they separate properties). `%` goes first, so nothing is escaped twice. Other
control characters (ESC sequences would act on the log's display) are shown as `\\xNN` first.
"""

from __future__ import annotations

from . import shown_message
from .escaping import visible_but_line_ends
from .paths import ci_root, relative_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}


def escape_data(text: str) -> str:
    return visible_but_line_ends(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: list[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}\n"


def render(report) -> str:
    root = ci_root("GITHUB_WORKSPACE")
    out = []
    for result in report.files:
        for f in result.findings:
            if f.suppressed is not None:
                continue
            span = f.span
            out.append(command(COMMANDS.get(f.severity, "warning"), [
                ("file", relative_path(f.path, root)),
                ("line", span.line),
                ("col", span.column),
                ("endLine", span.end_line),
                ("endColumn", span.end_column),
                ("title", f"{f.code} {f.name}"),
            ], shown_message(f)))
    for error in report.all_errors:
        props = [("file", relative_path(error.path, root))] if error.path and error.path != "-" else []
        out.append(command("error", props + [("title", "dfcheck error")], error.message))
    return "".join(out)
