"""DF008: from as casing (rules/df008_from_as_casing.py)."""

from support import findings, raw_findings


def test_df008_from_as_casing_follows_the_from_keyword_and_fixes_it():
    [f] = raw_findings("DF008", "FROM scratch as base2\n")
    assert (f.span.line, f.span.column, f.message) == (1, 14, "'as' and 'FROM' keywords' casing do not match")
    assert [(e.span.column, e.text) for e in f.fix.edits] == [(14, "AS")]
    assert findings("DF008", "from scratch AS base\n") == [
        ("DF008", 1, 14, "'AS' and 'from' keywords' casing do not match")]
    assert findings("DF008", "From scratch as base\nFROM scratch AS b\nfrom scratch as c\n") == []

