"""DF408: redundant target platform (rules/df408_redundant_target_platform.py)."""

from support import findings, raw_findings


def test_df408_redundant_target_platform_with_fix():
    [f] = raw_findings("DF408", "FROM --platform=${TARGETPLATFORM} scratch\n")
    assert (f.span.line, f.span.column, f.message) == (
        1, 6, "setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior")
    [edit] = f.fix.edits
    assert (edit.span.column, edit.span.end_column, edit.text) == (6, 35, "")
    assert findings("DF408", "FROM --platform=$BUILDPLATFORM a\nFROM --platform=linux/$TARGETARCH b\n") == []

