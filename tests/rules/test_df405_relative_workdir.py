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



def _fix_all(src):
    from dfcheck import engine
    from dfcheck.config import default_settings
    from dfcheck.fixes import fix_text

    settings = default_settings([r for r in engine.load_rules() if r.code in ("DF001", "DF405")])
    return fix_text(src, "Dockerfile", settings, unsafe=True)


def test_df405_fix_resolves_against_the_workdir_in_effect():
    # the golang images' WORKDIR is /go: `WORKDIR src` is /go/src, and RUN at line 3 runs there
    src = "FROM golang:1.26\nWORKDIR src\nRUN go build -o app .\n"
    [finding] = raw_findings("DF405", src)
    assert (finding.fix.applicability, finding.fix.edits[0].text) == ("unsafe", "/go/src")
    # earlier relative WORKDIRs, in the stage and in the stage it is built FROM
    src = "FROM golang AS base\nWORKDIR src\nFROM base\nWORKDIR ../x\nWORKDIR y\nRUN make\n"
    assert [(f.span.line, f.fix.edits[0].text) for f in raw_findings("DF405", src)] == [
        (2, "/go/src"), (4, "/go/x"), (5, "/go/x/y")]
    # the fix loop re-checks the fixed text: every instruction still sees the WORKDIR it saw, nothing is left
    outcome = _fix_all(src)
    assert outcome.text == "FROM golang AS base\nWORKDIR /go/src\nFROM base\nWORKDIR /go/x\nWORKDIR /go/x/y\nRUN make\n"
    assert (outcome.notes, outcome.errors, outcome.result.findings) == ([], [], [])


def test_df405_a_fix_that_would_move_a_later_instruction_is_not_applied():
    # what the loop does with a WORKDIR fix that resolves against the wrong directory: the RUN after it would
    # run elsewhere, so the fix is dropped and its finding stays
    from dfcheck import engine
    from dfcheck.config import default_settings
    from dfcheck.fixes import fix_text
    from dfcheck.rule import Edit, Finding, Fix, rule

    @rule("DF915", "workdir-against-root", "warning", fixable="unsafe")
    def against_root(model, options):
        """Reports a relative WORKDIR, with a fix that resolves it against `/`."""
        for node in model.dockerfile.instructions:
            if node.keyword == "WORKDIR" and not node.args[0].value.startswith("/"):
                fix = Fix("unsafe", [Edit(node.args[0].span, "/" + node.args[0].value)])
                yield Finding(node.args[0].span, "relative", fix)

    settings = default_settings([r for r in engine.load_rules() if r.code == "DF001"] + [against_root])
    outcome = fix_text("FROM golang:1.26\nWORKDIR src\nRUN go build -o app .\n", "Dockerfile", settings, unsafe=True)
    assert outcome.text == "FROM golang:1.26\nWORKDIR src\nRUN go build -o app .\n"
    assert outcome.notes == ["2:9: DF915 fix not applied: it changes the WORKDIR of line 3 (/src instead of /go/src)"]
