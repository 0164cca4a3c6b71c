"""The output formats, one module each, all called the same way: `render(report) -> str`.

What a format needs beyond the findings travels with the report: every rule the run knew (`Report.rules`),
each file's text as linted (`FileResult.text`), and how the user asked to see it (`Report.display`, a
`Display`). No format reads a file or loads the rules.
"""

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "checkstyle", "junit")


class Display:
    """How the command line asked to show a report; a format without such a choice ignores it."""

    __slots__ = ("color", "unsafe_fixes", "quiet", "include_suppressed")

    def __init__(self, *, color: bool = False, unsafe_fixes: bool = False, quiet: bool = False,
                 include_suppressed: bool = False):
        self.color = color  # ANSI colours (text)
        self.unsafe_fixes = unsafe_fixes  # mark unsafe fixes as fixable too (text, concise)
        self.quiet = quiet  # the findings without the summary line (text, concise)
        self.include_suppressed = include_suppressed  # suppressed findings too, marked so (sarif)


def display(report) -> Display:
    return report.display or Display()


def render(report, fmt: str) -> str:
    """The report in one of FORMATS."""
    import importlib

    if fmt not in FORMATS:
        raise ValueError(f"unknown output format: {fmt}")
    return importlib.import_module(f"{__name__}.{fmt}").render(report)


def shown_message(finding) -> str:
    """A finding's message as the formats without a field of their own for it show it: followed by the builds it
    belongs to when the file is built several ways and not all of them have it (`... [service api]`)."""
    if not finding.builds:
        return finding.message
    return f"{finding.message} [{', '.join(finding.builds)}]"
