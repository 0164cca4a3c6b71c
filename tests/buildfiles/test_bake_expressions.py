"""Bake's HCL expressions, evaluated as far as a static reading can."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dfcheck.buildfiles.hcl import Evaluator, Unresolved, parse

VARIABLES = {"TAG": "1.2", "ON": True, "N": 3, "EMPTY": "", "LIST": ["a", "b"], "MAP": {"k": "v"}}


def lookup(name):
    if name in VARIABLES:
        return VARIABLES[name]
    raise Unresolved(f"{name} is not a variable of the Bake files")


def evaluate(text, functions=None):
    return Evaluator(lookup, functions or {}).evaluate(parse(text))


@pytest.mark.parametrize("text, value", [
    ('"plain"', "plain"),
    ("TAG", "1.2"),
    ("${TAG}", "1.2"),  # python-hcl2 wraps some expressions in ${...}
    ('"v${TAG}-${N}-${ON}"', "v1.2-3-true"),
    ('"$${TAG} %%{x} \\"q\\" \\u00e9\\n"', '${TAG} %{x} "q" é\n'),
    ("N * 2 + 1 - 4 / 2", 5),
    ("N % 2 == 1 && !false", True),
    ('ON ? "yes" : "no"', "yes"),
    ('EMPTY == "" || timestamp() == "x"', True),  # the right side is not needed
    ('false ? timestamp() : "static"', "static"),  # nor the branch not taken
    ('notequal(TAG, "") ? upper("fast") : "slow"', "FAST"),
    ('equal(N, 3)', True),
    ('and(ON, or(false, true), not(false))', True),
    ('trimprefix("v1.2", "v")', "1.2"),
    ('trimsuffix("app-dev", "-dev")', "app"),
    ('join(",", LIST, ["c"])', "a,b,c"),
    ('split(".", TAG)', ["1", "2"]),
    ('format("%s:%d%%", TAG, N)', "1.2:3%"),
    ('coalesce(EMPTY, null, "x")', "x"),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('lookup(MAP, "k", "d")', "v"),
    ('lookup(MAP, "z", "d")', "d"),
    ("LIST[1]", "b"),
    ("MAP.k", "v"),
    ('{a = 1, "b": "two"}', {"a": 1, "b": "two"}),
    ("[1, 2.5, null, true]", [1, 2.5, None, True]),
    ("length(LIST) + strlen(TAG)", 5),
    ('substr("abcdef", 1, 3)', "bcd"),
    ('sanitize("a/b:c")', "a_b_c"),
    ("-N", -3),
    ("range(3)", [0, 1, 2]),
    ("range(1, 7, 2)", [1, 3, 5]),
    ("(N)", 3),
])
def test_values(text, value):
    assert evaluate(text) == value


@pytest.mark.parametrize("text, reason", [
    ("timestamp()", "timestamp() cannot be read statically"),
    ("uuidv4()", "uuidv4() cannot be read statically"),
    ("MISSING", "MISSING is not a variable of the Bake files"),
    ("target.api.args.X", "a reference to another target"),
    ("[for x in LIST: x]", "a for expression"),
    ('"%{ if ON }x%{ endif }"', "a %{ } template directive"),
    ("LIST[*]", "a splat expression"),
    ('replace(TAG, "/[0-9]/", "x")', "replace() with a regular expression"),
    ('format("%q", TAG)', "format() with %q"),
    ("N / 0", "a division by zero"),
    ("range(100000)", "range() of more than 1024 numbers"),
    ('"${LIST}"', "a list, object or null inside a string"),
    ('TAG ? 1 : 2', "a condition that is not true or false"),
    ("LIST[5]", "an index out of range"),
    ('upper(N)', "upper() with arguments it does not take"),
    ("N +", "an incomplete expression"),
    ("N N", "unexpected 'N' in an expression"),
    ('"unterminated', "an unterminated string in '\"unterminated'"),
])
def test_what_a_static_reading_cannot_know(text, reason):
    with pytest.raises(Unresolved) as info:
        evaluate(text)
    assert str(info.value) == reason


def test_the_files_own_functions():
    functions = {"tag": (["name", "v"], parse('"${name}:${v}"')), "twice": (["x"], parse("x * 2"))}
    assert evaluate('tag("app", twice(N))', functions) == "app:6"
    with pytest.raises(Unresolved) as info:
        evaluate('tag("app")', functions)
    assert str(info.value) == "tag() called with 1 arguments for 2"


@pytest.mark.parametrize("text", ["(" * 500 + "1" + ")" * 500, "!" * 5000 + "true", '"${' * 3000])
def test_deep_nesting_is_refused_not_a_crash(text):
    with pytest.raises(Unresolved) as info:
        evaluate(text)
    assert str(info.value) == "an expression nested too deeply"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab1 ()[]{}"$%!?:=<>&|+-*/.,_\\\n#', max_size=60))
def test_any_expression_text_is_a_value_or_unresolved(text):
    try:
        evaluate(text)
    except Unresolved:
        pass
