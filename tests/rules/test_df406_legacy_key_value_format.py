"""DF406: legacy key value format (rules/df406_legacy_key_value_format.py)."""

from support import findings, raw_findings


def test_df406_legacy_key_value_with_safe_fix():
    [env, label] = raw_findings("DF406", "FROM scratch\nENV testkey value\nLABEL key two words\n")
    assert (env.span.line, env.span.column, env.message) == (
        2, 5, '"ENV key=value" should be used instead of legacy "ENV key value" format')
    assert [(e.span.column, e.span.end_column, e.text) for e in env.fix.edits] == [(12, 13, "=")]
    assert label.message == '"LABEL key=value" should be used instead of legacy "LABEL key value" format'
    assert [(e.span.column, e.span.end_column, e.text) for e in label.fix.edits] == [(10, 11, '="'), (20, 20, '"')]
    # quotes inside a value with blanks: no fix, quoting would change them
    [quoted] = raw_findings("DF406", "FROM scratch\nENV A \"x y\" z\n")
    assert quoted.fix is None
    assert findings("DF406", "FROM scratch\nENV a=1 b=2\nLABEL k=v\nARG x\n") == []


def test_df406_fix_gives_the_same_values():
    from dfcheck.fixes import apply_fixes
    from support import model_of

    src = "FROM scratch\nENV A hello world\nENV B $A-x\nLABEL l some label\n"
    fixed, applied = apply_fixes(src, raw_findings("DF406", src))
    assert len(applied) == 3
    assert fixed == 'FROM scratch\nENV A="hello world"\nENV B=$A-x\nLABEL l="some label"\n'
    before, after = model_of(src), model_of(fixed)
    assert before.stages[0].env["A"].value == after.stages[0].env["A"].value == "hello world"
    assert before.stages[0].env["B"].value == after.stages[0].env["B"].value == "hello world-x"
    assert raw_findings("DF406", fixed) == []

