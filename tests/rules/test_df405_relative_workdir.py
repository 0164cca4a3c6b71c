"""DF405: relative workdir (rules/df405_relative_workdir.py)."""

from support import raw_findings


def test_df405_relative_workdir():
    src = "FROM scratch\nWORKDIR app\nWORKDIR /abs\nWORKDIR $UNKNOWN\n"
    [finding] = raw_findings("DF405", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        2, 9, 'WORKDIR "app" is relative; use an absolute path',
    )
    assert (finding.fix.applicability, finding.fix.edits[0].text) == ("safe", "/app")
    # after an absolute WORKDIR (here or in a parent stage) a relative one is anchored, as BuildKit decides
    assert raw_findings("DF405", "FROM scratch\nWORKDIR /srv\nWORKDIR app\n") == []
    assert raw_findings("DF405", "FROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\n") == []
    [finding] = raw_findings("DF405", "FROM node\nWORKDIR app\n")
    assert (finding.fix.applicability, finding.fix.edits[0].text) == ("unsafe", "/app")
    assert raw_findings("DF405", "FROM mcr.microsoft.com/windows\nWORKDIR C:\\\\app\n") == []

