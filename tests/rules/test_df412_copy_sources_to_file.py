"""DF412: copy sources to file (rules/df412_copy_sources_to_file.py)."""

from support import findings, raw_findings, tree


def test_df412_several_sources_to_a_file():
    [f] = raw_findings("DF412", "FROM alpine\nCOPY a.txt b.txt /dest\n")
    assert (f.span.line, f.span.column, f.severity or "error") == (2, 18, "error")
    assert f.message.startswith("COPY copies 2 sources to /dest, which does not end with /: the classic builder "
                                "fails (\"When using COPY with more than one source file, the destination must be")
    assert (f.fix.applicability, f.fix.edits[0].text) == ("unsafe", "/")
    assert findings("DF412", "FROM a\nCOPY a b /d/\nCOPY a b .\nCOPY *.jar app.jar\nCOPY a b C:\\\\x\\\\\n") == []


def test_df412_wildcard_with_several_matches_in_the_context(tmp_path):
    root = tree(tmp_path, {"target/a.jar": "a", "target/b.jar": "b", "one/x.jar": "x"})
    src = "FROM alpine\nCOPY target/*.jar app.jar\nCOPY one/*.jar app.jar\n"
    assert [(line, message.split(",")[0]) for _, line, _, message in findings("DF412", src, context_dir=root)] == [
        (2, "COPY copies the wildcard target/*.jar")]

