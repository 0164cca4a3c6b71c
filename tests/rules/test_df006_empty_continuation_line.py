"""DF006: empty continuation line (rules/df006_empty_continuation_line.py)."""

from support import raw_findings


def test_df006_empty_continuation_line_with_fix():
    src = "FROM alpine\nRUN apk add \\\n\n    curl\n"
    [finding] = raw_findings("DF006", src)
    # reported where BuildKit reports NoEmptyContinuation: the instruction's last line
    assert (finding.span.line, finding.span.column, finding.message) == (
        4, 1, "empty continuation line 3 inside the RUN at line 2",
    )
    [edit] = finding.fix.edits
    assert finding.fix.applicability == "safe"
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column, edit.text) == (3, 1, 4, 1, "")


def test_df006_reports_an_instruction_once_with_every_empty_line_fixed():
    src = "FROM alpine\nRUN a \\\n\n  b \\\n\n  c\nRUN d\n"
    [finding] = raw_findings("DF006", src)
    assert (finding.span.line, finding.message) == (6, "empty continuation lines 3, 5 inside the RUN at line 2")
    assert [(e.span.line, e.span.end_line) for e in finding.fix.edits] == [(3, 4), (5, 6)]

