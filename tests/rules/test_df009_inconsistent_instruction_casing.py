"""DF009: inconsistent instruction casing (rules/df009_inconsistent_instruction_casing.py)."""

from support import findings, raw_findings


def test_df009_instruction_casing_majority_upper_on_a_tie():
    assert findings("DF009", "FROM scratch\ncopy a /a\nCOPY b /b\n") == [
        ("DF009", 2, 1, "command 'copy' should match the case of the command majority (uppercase)")]
    assert findings("DF009", "from scratch\nCOPY a /a\ncopy b /b\n") == [
        ("DF009", 2, 1, "command 'COPY' should match the case of the command majority (lowercase)")]
    # a mixed-case keyword counts for neither side and is always reported
    [f] = raw_findings("DF009", "frOM scratch\nfrom scratch\n")
    assert (f.span.line, f.fix.edits[0].text) == (1, "from")
    assert findings("DF009", "FROM alpine\nRUN <<'EOT'\nenv\nEOT\n") == []

