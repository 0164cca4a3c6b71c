"""DF007: stage name casing (rules/df007_stage_name_casing.py)."""

from support import findings


def test_df007_stage_name_casing():
    assert findings("DF007", "FROM scratch AS BadStageName\nFROM scratch AS good\n") == [
        ("DF007", 1, 17, "stage name 'BadStageName' should be lowercase")]
    assert findings("DF007", "FROM scratch AS base\nFROM base\n") == []

