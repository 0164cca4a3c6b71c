"""DF413: copy from cycle (rules/df413_copy_from_cycle.py)."""

from support import findings


def test_df413_copy_from_itself_or_a_stage_that_needs_it():
    src = ("FROM alpine AS base\nCOPY --from=base /x /x\n"
           "FROM alpine AS a\nCOPY --from=b /y /y\nFROM a AS b\n")
    assert findings("DF413", src) == [
        ("DF413", 2, 6, '--from=base names the stage "base" it is in: BuildKit fails with '
                        '"circular dependency detected on stage: base"'),
        ("DF413", 4, 6, '--from=b names stage "b", which needs this stage (stage "b" -> stage "a"): BuildKit fails '
                        'with "circular dependency detected on stage"')]
    assert findings("DF413", "FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\nCOPY --from=0 /y /y\n") == []

