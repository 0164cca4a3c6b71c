"""DF005: duplicate stage name (rules/df005_duplicate_stage_name.py)."""

from support import findings


def test_df005_duplicate_stage_name_case_insensitive():
    src = "FROM golang AS build\nFROM node AS Build\nFROM scratch AS other\n"
    assert findings("DF005", src) == [
        ("DF005", 2, 14, 'stage name "build" is already used by the stage at line 1'),
    ]
    assert findings("DF005", "FROM a AS x\nFROM b AS y\n") == []

