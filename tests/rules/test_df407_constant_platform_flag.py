"""DF407: constant platform flag (rules/df407_constant_platform_flag.py)."""

from support import findings


def test_df407_constant_platform():
    assert findings("DF407", "FROM --platform=linux/amd64 scratch\n") == [
        ("DF407", 1, 6, 'FROM --platform flag should not use constant value "linux/amd64"')]
    assert findings("DF407", "FROM --platform=linux/amd64 scratch AS my_amd64_stage\n"
                             "FROM --platform=linux/arm64 scratch AS linux\nFROM --platform=$BUILDPLATFORM x\n") == []

