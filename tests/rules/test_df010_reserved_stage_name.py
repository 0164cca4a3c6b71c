"""DF010: reserved stage name (rules/df010_reserved_stage_name.py)."""

from support import findings


def test_df010_reserved_stage_names():
    assert findings("DF010", "FROM scratch AS scratch\nFROM scratch AS Context\nFROM scratch AS a\n") == [
        ("DF010", 1, 17, 'stage name should not use the same name as reserved stage "scratch"'),
        ("DF010", 2, 17, 'stage name should not use the same name as reserved stage "context"')]
    assert findings("DF010", "FROM scratch\n") == []

