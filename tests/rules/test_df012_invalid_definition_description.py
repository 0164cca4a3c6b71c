"""DF012: invalid definition description (rules/df012_invalid_definition_description.py)."""

from dfcheck.engine import load_rules

from support import findings


def test_df012_definition_description_is_off_by_default():
    rule = load_rules()
    assert not next(r for r in rule if r.code == "DF012").enabled
    src = "# bar this is the bar\nARG foo=bar\n# base the base\nFROM scratch AS base\n#\nARG x=1\n# a b\n\nARG y=2\n"
    assert findings("DF012", src) == [
        ("DF012", 2, 1, "comment for ARG should follow the format: `# foo <description>`")]
    assert findings("DF012", "FROM scratch\n# some words\nARG a=1 b=2\n") == [
        ("DF012", 3, 1, "comment for ARG should follow the format: `# <arg_key> <description>`")]

