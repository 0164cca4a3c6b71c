"""Tests for dfcheck.syntax.expansion: BuildKit's word lexer and variable expansion."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dfcheck.syntax.expansion import ExpansionError, Lexer, expand_word, expand_words

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SHELL_VECTORS = SHARED / "conformance" / "buildkit" / "shell"

# The environment BuildKit's own envVarTest runs with.
ENV_VAR_TEST_ENV = {"PWD": "/home", "SHELL": "bash", "KOREAN": "한국어", "NULL": ""}


def _lines(path):
    """The file's lines as Go's bufio.Scanner yields them (a trailing CR dropped)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _skip_missing(path):
    pytest.skip(f"../shared/conformance not present: {path}")


# -- shell/envVarTest: "platform | input | expected", A=all, U=unix, W=windows ---


def _env_var_cases():
    path = SHELL_VECTORS / "envVarTest"
    if not path.is_file():
        return [pytest.param(None, None, None, id="missing")]
    cases = []
    for number, line in enumerate(_lines(path), 1):
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        fields = line.split("|")
        assert len(fields) == 3, f"envVarTest line {number}: expected 3 fields: {line!r}"
        platform, source, expected = (field.strip() for field in fields)
        assert platform in ("A", "U", "W"), f"envVarTest line {number}: bad platform {platform!r}"
        if platform in ("A", "U"):
            cases.append(pytest.param(number, source, expected, id=f"line{number}:{source}"))
    return cases


@pytest.mark.parametrize("number, source, expected", _env_var_cases())
def test_buildkit_env_var_vectors(number, source, expected):
    if number is None:
        _skip_missing(SHELL_VECTORS / "envVarTest")
    lexer = Lexer("\\")
    if expected == "error":
        with pytest.raises(ExpansionError):
            lexer.process_word(source, ENV_VAR_TEST_ENV)
    else:
        assert lexer.process_word(source, ENV_VAR_TEST_ENV).value == expected


# -- shell/wordsTest: "input | word1,word2", "ENV k=v" adds to the environment --


def _words_cases():
    path = SHELL_VECTORS / "wordsTest"
    if not path.is_file():
        return [pytest.param(None, None, None, None, id="missing")]
    cases = []
    env = {}
    for number, line in enumerate(_lines(path), 1):
        if line.startswith("#") or not line:
            continue
        if line.startswith("ENV "):
            # As BuildKit's test reads it: leading spaces go, trailing spaces
            # are part of the value; the first '=' separates name and value.
            name, _, value = line[3:].lstrip(" ").partition("=")
            env[name] = value
            continue
        fields = line.split("|")
        assert len(fields) == 2, f"wordsTest line {number}: expected exactly one '|': {line!r}"
        source = fields[0].strip()
        # Only leading spaces are trimmed from the expected side: trailing
        # spaces belong to the last word.
        expected = fields[1].lstrip(" ").split(",")
        cases.append(pytest.param(number, source, dict(env), expected, id=f"line{number}:{source}"))
    return cases


@pytest.mark.parametrize("number, source, env, expected", _words_cases())
def test_buildkit_words_vectors(number, source, env, expected):
    if number is None:
        _skip_missing(SHELL_VECTORS / "wordsTest")
    lexer = Lexer("\\")
    if expected == ["error"]:
        with pytest.raises(ExpansionError):
            lexer.process_words(source, env)
    else:
        assert lexer.process_words(source, env).words == expected


def test_words_vectors_keep_trailing_spaces():
    """The file's `ENV trailing=ab c   ` line must keep its three spaces."""
    path = SHELL_VECTORS / "wordsTest"
    if not path.is_file():
        _skip_missing(path)
    by_source = {case.values[1]: case.values for case in _words_cases()}
    _, _, env, expected = by_source['hel"lo${trailing}"']
    assert env["trailing"] == "ab c   "
    assert expected == ["helloab c   "]


# -- parameter forms ----------------------------------------------------------


def word(text, env=None, **options):
    return Lexer(**options).process_word(text, env or {}).value


@pytest.mark.parametrize(
    "text, env, expected",
    [
        ("${V-d}", {}, "d"),
        ("${V-d}", {"V": ""}, ""),
        ("${V:-d}", {"V": ""}, "d"),
        ("${V+s}", {"V": ""}, "s"),
        ("${V:+s}", {"V": ""}, ""),
        ("${V:+s}", {"V": "x"}, "s"),
        ("${V?m}", {"V": ""}, ""),
        ("${V:-a b}", {}, "a b"),
        ("${V:-'q'\"r\"}", {}, "qr"),
        ("${V:-}", {}, ""),
    ],
)
def test_default_and_alternative(text, env, expected):
    assert word(text, env) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("${V?}", "V: is not allowed to be unset"),
        ("${V:?}", "V: is not allowed to be unset"),
        ("${E:?}", "E: is not allowed to be empty"),
        ("${E:?say $W}", "E: say w"),
        ("${V:=x}", "unsupported modifier (:=) in substitution"),
        ("${V=x}", "unsupported modifier (=) in substitution"),
        ("${V:Y}", "unsupported modifier (:Y) in substitution"),
        ("${V.}", "unsupported modifier (.) in substitution"),
        ("${}", "syntax error: bad substitution"),
        ("${:-x}", "syntax error: bad substitution"),
        ("${{V}", "syntax error: bad substitution"),
        ("${", "syntax error: missing '}'"),
        ("${V", "unsupported modifier (\ufffd) in substitution"),
        ("${V:-x", "syntax error: missing '}'"),
        ("${V:", "syntax error: missing '}'"),
        ("${V:}", "syntax error: missing '}'"),
        ("'abc", "unexpected end of statement while looking for matching single-quote"),
        ('"abc', "unexpected end of statement while looking for matching double-quote"),
    ],
)
def test_error_messages(text, message):
    with pytest.raises(ExpansionError) as info:
        word(text, {"E": "", "W": "w"})
    assert info.value.message == message


def test_error_offsets():
    with pytest.raises(ExpansionError) as info:
        word("he${.}")
    assert (info.value.start, info.value.offset) == (2, 5)
    with pytest.raises(ExpansionError) as info:
        word('ab "cd')
    assert (info.value.start, info.value.offset) == (3, 6)
    with pytest.raises(ExpansionError) as info:
        word("x ${A:-${B")
    assert info.value.start == 2
    assert info.value.offset == len("x ${A:-${B")


@pytest.mark.parametrize(
    "text, value, expected",
    [
        # shortest / longest prefix
        ("${v#*/}", "a/b/c", "b/c"),
        ("${v##*/}", "a/b/c", "c"),
        ("${v#x}", "a/b/c", "a/b/c"),
        ("${v#}", "abc", "abc"),
        ("${v##}", "abc", "abc"),
        ("${v#*}", "abc", "abc"),
        ("${v##*}", "abc", ""),
        ("${v#?}", "abc", "bc"),
        ("${v#a?}", "abc", "c"),
        # shortest / longest suffix
        ("${v%/*}", "a/b/c", "a/b"),
        ("${v%%/*}", "a/b/c", "a"),
        ("${v%.tar.gz}", "x.tar.gz", "x"),
        ("${v%.tar.gz}", "x.tarzgz", "x.tarzgz"),
        ("${v%%\\**}", "ab**", "ab"),
        ("${v%%\\**\\*}", "a***b*", "a"),
        ("${v%\\}}", "a}", "a"),
        # escaped wildcards and regex metacharacters are literal
        ("${v#\\*}", "*ab", "ab"),
        ("${v#\\?}", "?ab", "ab"),
        ("${v#\\\\}", "\\ab", "ab"),
        ("${v#(a|b).+^$}", "(a|b).+^$z", "z"),
        # no bracket expressions in BuildKit: [ and ] match themselves
        ("${v#[ab]}", "[ab]x", "x"),
        ("${v#[ab]}", "ax", "ax"),
        # wildcards do not cross a newline (Go's '.' excludes it)
        ("${v#*x}", "a\nx", "a\nx"),
    ],
)
def test_trim_patterns(text, value, expected):
    assert word(text, {"v": value}) == expected


def test_doubled_trim_operator_is_recognised_after_expansion():
    # ${v#$P} with P='#*a' is ${v##*a}, not a trim of the literal '#*a'.
    assert word("${v#$P}", {"v": "xaya", "P": "#*a"}) == ""
    assert word("${v#*a}", {"v": "xaya"}) == "ya"


@pytest.mark.parametrize("text", ["${v:#a}", "${v:%a}", "${v:##a}"])
def test_colon_before_trim_is_rejected(text):
    with pytest.raises(ExpansionError, match="unsupported modifier"):
        word(text, {"v": "abc"})


@pytest.mark.parametrize(
    "text, message",
    [
        ("${v#\\x}", "invalid pattern (\\x) in substitution: invalid escape '\\x'"),
        # a suffix pattern is reported reversed, as BuildKit reverses it first
        ("${v%a\\b}", "invalid pattern (\\ba) in substitution: invalid escape '\\b'"),
        ("${v#$P}", "invalid pattern (a\\) in substitution: invalid escape '\\%!c(int32=-1)'"),
        ("${v/$P/x}", "invalid pattern (a\\) in substitution: invalid escape '\\%!c(int32=-1)'"),
    ],
)
def test_invalid_escape_in_pattern(text, message):
    with pytest.raises(ExpansionError) as info:
        word(text, {"v": "abc", "P": "a\\"})
    assert info.value.message == message


@pytest.mark.parametrize(
    "text, value, expected",
    [
        ("${v/o/0}", "foo", "f0o"),
        ("${v//o/0}", "foo", "f00"),
        ("${v//o/}", "foo", "f"),
        ("${v/x/y}", "foo", "foo"),
        ("${v/*/x}", "abc", "x"),
        ("${v/?/x}", "abc", "xbc"),
        ("${v//?/x}", "abc", "xxx"),
        ("${v/b*/x}", "abcb", "ax"),
        ("${v///}", "abc", "abc"),
        ("${v//\\//\\/}", "/a/b", "\\/a\\/b"),
        ("${v//[a]/x}", "[a]a", "xa"),
        # no anchoring: # and % are literal characters at the pattern's start
        ("${v/#a/x}", "abc", "abc"),
        ("${v/#a/x}", "#abc", "xbc"),
        ("${v/%c/x}", "abc", "abc"),
    ],
)
def test_replace_patterns(text, value, expected):
    assert word(text, {"v": value}) == expected


def test_replace_all_follows_go_not_python_re_sub():
    # Go's ReplaceAllString does not replace the empty match right after a
    # non-empty one (Python's re.sub does): 'ab' with .* gives 'x', not 'xx'.
    assert word("${v//*/x}", {"v": "ab"}) == "x"
    # An empty pattern matches between every pair of characters.
    assert word("${v//$E/-}", {"v": "ab", "E": ""}) == "-a-b-"
    assert word("${v/$E/-}", {"v": "ab", "E": ""}) == "-ab"


def test_replace_all_uses_go_template_expansion():
    # Replace-all passes the replacement to Go's regexp template expansion:
    # $0 is the match, other $names are empty, $$ is $.  A single replacement
    # is literal.
    env = {"v": "aba", "R": "<$0>", "S": "$$|$x|${0}|$"}
    assert word("${v//a/$R}", env) == "<a>b<a>"
    assert word("${v/a/$R}", env) == "<$0>ba"
    assert word("${v//b/$S}", env) == "a$||b|$a"
    # Escapes are kept raw in the replacement, so \$0 reaches the template.
    assert word("${v//a/\\$0}", env) == "\\ab\\a"
    assert word("${v/a/\\$0}", env) == "\\$0ba"


@pytest.mark.parametrize("text", ["${v/a}", "${v//a}", "${v//}", "${v/a/b"])
def test_replace_needs_both_parts(text):
    with pytest.raises(ExpansionError):
        word(text, {"v": "abc"})


# -- used / unset ---------------------------------------------------------------


def test_used_and_unset():
    result = Lexer().process_word("$A ${B:-x} ${C} ${D+y} $A", {"A": "1", "D": ""})
    assert result.value == "1 x  y 1"
    assert result.used == {"A", "D"}
    assert result.unset == {"B", "C"}


def test_used_and_unset_include_nested_and_pattern_names():
    result = Lexer().process_word("${X:-${Y}}${v#$P}${v/$Q/$R}", {"v": "ab", "P": "a", "Y": ""})
    assert result.used == {"Y", "v", "P"}
    assert result.unset == {"X", "Q", "R"}


def test_positional_and_special_parameters_are_unset_names():
    result = Lexer().process_word("$1$@${#}$001${$}", {})
    assert result.value == ""
    assert result.unset == {"1", "@", "#", "001", "$"}
    assert result.used == set()


def test_positional_parameters_come_from_the_environment_if_there():
    assert word("$1", {"1": "one"}) == "one"


def test_lone_dollar_is_literal():
    assert word("$ $. a$") == "$ $. a$"


def test_names_are_unicode_letters_and_digits():
    assert word("$é1x.", {"é1x": "v"}) == "v."
    assert word("$٣x", {}) == "x"  # an Arabic-Indic digit is a positional parameter


# -- escapes and quotes ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a`$b", "a$b"),
        ("a\\b", "a\\b"),
        ('"a`"b"', 'a"b'),
        ('"a`tb"', "a`tb"),
        ('"a``b"', "a`b"),
        ("ab`", "ab"),
        ("C:\\dir\\$X", "C:\\dir\\y"),
        ("a` b", "a b"),
    ],
)
def test_backtick_escape(text, expected):
    assert word(text, {"X": "y"}, escape="`") == expected


def test_backtick_escape_words():
    assert Lexer("`").process_words("a` b c", {}).words == ["a b", "c"]
    assert expand_words("a\\ b c", {}, escape="`") == ["a\\", "b", "c"]


def test_backslash_in_pattern_is_still_the_pattern_escape_with_backtick():
    # The pattern converter hard-codes backslash, whatever the escape token.
    assert word("${v#\\*}", {"v": "*a"}, escape="`") == "a"
    with pytest.raises(ExpansionError, match="invalid pattern"):
        word("${v#a\\b}", {"v": "ab"}, escape="`")


def test_leading_byte_order_mark_is_ignored():
    assert word("\ufeffabc") == "abc"
    assert word("\ufeff$A", {"A": "x"}) == "x"
    assert word("a\ufeff") == "a\ufeff"


def test_empty_quotes_make_no_word():
    assert expand_words('a "" b', {}) == ["a", "b"]
    assert expand_words("''", {}) == []
    assert expand_word('""', {}) == ""


def test_expansion_spaces_split_only_outside_quotes():
    env = {"S": " x  y "}
    assert expand_words("a${S}b", env) == ["a", "x", "y", "b"]
    assert expand_words('a"${S}"b', env) == ["a x  y b"]
    assert expand_words("a\\ b", env) == ["a b"]
    # The text before a nested expansion stays in its word.
    assert expand_words("a${U:-b c}d", {}) == ["ab", "cd"]
    # Any Unicode space splits, as Go's unicode.IsSpace says; U+001F does not.
    assert expand_words("a\u3000b\x1fc", {}) == ["a", "b\x1fc"]


def test_expand_helpers():
    assert expand_word("${A:-x}/$B", {"B": "b"}) == "x/b"
    assert expand_words("$A $B", {"A": "1 2", "B": "3"}) == ["1", "2", "3"]


# -- raw_quotes, raw_escapes, skip_unset_env (BuildKit's heredoc detection) -----


def heredoc_lexer():
    return Lexer("\\", raw_quotes=True, raw_escapes=True, skip_unset_env=True)


def test_heredoc_marker_line():
    assert heredoc_lexer().process_words("RUN cat <<EOF > /file", {}).words == ["RUN", "cat", "<<EOF", ">", "/file"]


def test_raw_options_keep_quotes_escapes_and_unset_variables():
    words = heredoc_lexer().process_words("<<\"EOF\" '<<x y' $X ${Y:-z} \\$a a\\ b", {}).words
    assert words == ['<<"EOF"', "'<<x y'", "$X", "${Y:-z}", "\\$a", "a\\ b"]


def test_skip_unset_env_expands_set_variables():
    lexer = Lexer(skip_unset_env=True)
    result = lexer.process_word("$X-$U-${U}-${U:-d}-${X:-d}", {"X": "1"})
    assert result.value == "1-$U-${U}-${U:-d}-1"
    assert result.used == {"X"}
    assert result.unset == {"U"}


def test_skip_unset_env_quirks():
    lexer = Lexer(skip_unset_env=True)
    # A bad modifier on an unset variable is passed through, not rejected...
    assert lexer.process_word("${U:Y}", {}).value == "${U:Y}"
    with pytest.raises(ExpansionError):
        lexer.process_word("${S:Y}", {"S": "1"})
    # ...but ${v:#p} is rejected before the variable is even looked at.
    with pytest.raises(ExpansionError):
        lexer.process_word("${U:#a}", {})
    # The rebuilt replace-all form has a single slash.
    assert lexer.process_word("${U//a/b}", {}).value == "${U/a/b}"
    # Unset variables keep their text, expanded words inside them included.
    assert lexer.process_word("${U:-$X}", {"X": "x"}).value == "${U:-x}"


def test_raw_quotes_alone():
    lexer = Lexer(raw_quotes=True)
    assert lexer.process_words("'a b' \"c $X\"", {"X": "d"}).words == ["'a b'", '"c d"']
    with pytest.raises(ExpansionError):
        lexer.process_word("'a", {})


def test_raw_escapes_alone():
    lexer = Lexer(raw_escapes=True)
    assert lexer.process_word("a\\$b\\", {}).value == "a\\$b\\"
    assert lexer.process_word('"\\"\\$"', {}).value == '\\"\\$'
    # Inside double quotes an escape before an ordinary character is written
    # twice in raw mode: BuildKit writes the raw token, then the literal one.
    assert lexer.process_word('"a\\tb"', {}).value == "a\\\\tb"
    # ${v:-word} processes its word with escapes on, even in raw mode.
    assert lexer.process_word("${U:-a\\b}x\\y", {}).value == "abx\\y"


def test_skip_process_quotes():
    lexer = Lexer(skip_process_quotes=True)
    assert lexer.process_words("'a b' \"$X\"", {"X": "1 2"}).words == ["'a", "b'", '"1', '2"']


def test_lexer_rejects_bad_escape():
    with pytest.raises(ValueError):
        Lexer("")
    with pytest.raises(ValueError):
        Lexer("ab")


def test_deep_nesting_is_an_expansion_error_not_a_crash():
    text = "${A:-" * 2000 + "x" + "}" * 2000
    with pytest.raises(ExpansionError):
        Lexer().process_word(text, {})
    assert Lexer().process_word("${A:-" * 50 + "x" + "}" * 50, {}).value == "x"


# -- robustness -------------------------------------------------------------------

_SHELLY = st.text(
    alphabet=st.sampled_from(list("$${}{}::-+?#%//\\`'\" \tab1_@*!.[]\n") + ["\ufeff", "é", "٣", "\u3000"]),
    max_size=40,
)
_ENVS = st.dictionaries(st.sampled_from(["a", "b", "ab", "1", "@", ""]), st.text(max_size=8), max_size=4)
_LEXERS = st.builds(
    Lexer,
    escape=st.sampled_from(["\\", "`"]),
    raw_quotes=st.booleans(),
    raw_escapes=st.booleans(),
    skip_unset_env=st.booleans(),
    skip_process_quotes=st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(_SHELLY, st.text(max_size=40)), env=_ENVS, lexer=_LEXERS)
def test_arbitrary_text_returns_or_raises_expansion_error(text, env, lexer):
    for method in (lexer.process_word, lexer.process_words):
        try:
            result = method(text, env)
        except ExpansionError as exc:
            assert isinstance(exc.message, str)
            assert 0 <= exc.offset <= len(text)
            continue
        assert isinstance(result.value, str)
        assert result.used <= set(env)
        assert not (result.unset & set(env))


@settings(max_examples=200, deadline=None)
@given(text=_SHELLY, env=_ENVS)
def test_words_and_word_agree(text, env):
    """process_word and process_words agree on the value and on failing."""
    lexer = Lexer()
    try:
        result = lexer.process_words(text, env)
    except ExpansionError:
        with pytest.raises(ExpansionError):
            lexer.process_word(text, env)
        return
    assert lexer.process_word(text, env).value == result.value


# -- shell patterns: linear-time matching with the regular expression's results --------------------------

_PATTERN_TOKENS = st.lists(st.sampled_from(["a", "b", "*", "?", "\\*", "\n"]), max_size=8)


def _oracle(tokens, greedy):
    """BuildKit's regular expression for the pattern, in Python's re (the same leftmost-first rules as Go's;
    short inputs only, since it backtracks)."""
    import re

    star = ".*" if greedy else ".*?"
    return "".join(star if t == "*" else "." if t == "?" else re.escape(t[-1]) for t in tokens)


def _compiled(tokens):
    from dfcheck.syntax.expansion import _compile_pattern

    return _compile_pattern("".join(tokens))


@settings(max_examples=400, deadline=None)
@given(_PATTERN_TOKENS, st.text(alphabet="ab*\n", max_size=12), st.booleans(), st.integers(0, 12))
def test_shell_patterns_match_as_the_regular_expression_does(tokens, value, greedy, pos):
    import re

    compiled = _compiled(tokens)
    expected = re.compile(_oracle(tokens, greedy)).match(value)
    assert compiled.prefix(value, greedy) == (expected.end() if expected else None)
    pos = min(pos, len(value))
    expected = re.compile(_oracle(tokens, True)).search(value, pos)
    assert compiled.search(value, pos) == (expected.span() if expected else None)


@settings(max_examples=300, deadline=None)
@given(_PATTERN_TOKENS, st.text(alphabet="ab*\n", max_size=12), st.booleans(), st.booleans())
def test_the_automaton_for_patterns_with_newlines_agrees_too(tokens, value, greedy, anchored):
    import re

    from dfcheck.syntax.shellpattern import _simulate

    regex = re.compile(_oracle(tokens, greedy))
    expected = regex.match(value) if anchored else regex.search(value)
    assert _simulate(_compiled(tokens).tokens, value, greedy, anchored) == (expected.span() if expected else None)


def test_pathological_patterns_take_linear_time():
    # Python's backtracking re took 12.5 s on the first of these, a minute with one more `*a`; they run in a
    # subprocess so that a regression fails the test instead of hanging the run.
    import subprocess
    import sys

    stars = "*a" * 40
    code = (
        "from dfcheck.syntax.expansion import expand_word\n"
        f"env = {{'V': 'a' * 5000, 'N': ('a' * 3000 + '\\n') * 3}}\n"
        f"print(repr(expand_word('${{V#{stars}b}}|${{V%%{stars}b}}|${{V//{stars}b/z}}|${{N//?{stars}?b/z}}', env)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert eval(run.stdout) == "a" * 5000 + "|" + "a" * 5000 + "|" + "a" * 5000 + "|" + ("a" * 3000 + "\n") * 3
