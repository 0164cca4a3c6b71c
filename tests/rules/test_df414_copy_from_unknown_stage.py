"""DF414: copy from unknown stage (rules/df414_copy_from_unknown_stage.py)."""

from support import findings, raw_findings


def test_df414_unknown_or_later_stage():
    src = ("FROM alpine AS build\nCOPY --from=buld /x /x\nCOPY --from=later /x /x\nCOPY --from=7 /x /x\n"
           "COPY --from=Bad_Name /x /x\nCOPY --from=busybox:1.36 /x /x\nRUN --mount=from=nostage,target=/m true\n"
           "FROM alpine AS later\n")
    got = [(line, f.severity, f.message) for line, f in ((f.span.line, f) for f in raw_findings("DF414", src))]
    assert got == [
        (2, "", "no stage is named buld (did you mean build?): BuildKit pulls the image docker.io/library/buld:latest"),
        (3, "", '--from=later names stage "later", defined later (line 8): BuildKit builds it first, but the '
                "classic builder reads the name as an image"),
        (4, "error", "--from=7: there is no stage 7 (the file has 2): the build fails"),
        (5, "error", "--from=Bad_Name names no stage and is not a valid image reference (repository name must be "
                     "lowercase): the build fails"),
        (7, "", "no stage is named nostage: BuildKit pulls the image docker.io/library/nostage:latest")]
    assert findings("DF414", "FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\nCOPY --from=A /x /x\n"
                             "ARG IMG\nCOPY --from=$IMG /x /x\n") == []

