"""DF404: maintainer deprecated (rules/df404_maintainer_deprecated.py)."""

from support import raw_findings


def test_df404_maintainer_with_label_fix():
    [finding] = raw_findings("DF404", 'FROM alpine\nMAINTAINER Jane "JD" Doe\n')
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 1, 11)
    assert finding.fix.applicability == "unsafe"
    assert finding.fix.edits[0].text == 'LABEL org.opencontainers.image.authors="Jane \\"JD\\" Doe"'

