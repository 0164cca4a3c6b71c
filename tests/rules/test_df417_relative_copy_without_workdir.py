"""DF417: relative copy without workdir (rules/df417_relative_copy_without_workdir.py)."""

from support import findings


def test_df417_relative_destination_without_workdir():
    src = "FROM python:3.12\nCOPY a .\nWORKDIR /app\nCOPY b .\nFROM scratch\nCOPY c d\n"
    assert findings("DF417", src) == [
        ("DF417", 2, 8, "COPY to the relative destination . without a WORKDIR: where it lands depends on the base "
                        "image's working directory")]
    assert findings("DF417", "FROM a AS p\nWORKDIR /w\nFROM p\nCOPY x y\n") == []

