"""Typed rule options: declared as Option(name, type, default, help), checked when the configuration loads,
read by the rule as attributes; rules declared with the old dict of defaults keep working."""

import pytest
from support import builtin_rules, model_of

from dfcheck.config import ConfigError, Resolver
from dfcheck.rule import Option, Options, rule


def settings_for(directory):
    return Resolver(list(builtin_rules().values())).settings_for(str(directory / "Dockerfile"))


@pytest.mark.parametrize(
    "option, good, bad",
    [
        (Option("n", int, 0), [0, 7], [1.5, True, "3", None]),
        (Option("n", float, 0), [0, 1.5], [True, "3"]),
        (Option("b", bool, False), [True, False], [0, 1, "true"]),
        (Option("s", str, ""), ["x"], [1, ["x"]]),
        (Option("l", list[str], []), [[], ["a", "b"]], ["a", ["a", 1], [True]]),
        (Option("l", list, []), [[], [1, "a"]], ["a", {}]),
        (Option("any", object, None), [1, "x", [], None], []),
    ],
)
def test_an_option_accepts_values_of_its_type(option, good, bad):
    assert [option.accepts(v) for v in good] == [True] * len(good)
    assert [option.accepts(v) for v in bad] == [False] * len(bad)


def test_what_an_option_expects_is_said_in_words():
    assert [Option("x", t, None).expected for t in (bool, int, float, str, list[str], list, dict, object)] == [
        "true or false", "an integer", "a number", "a string", "a list of strings", "a list", "a table", "any value"]


def test_options_are_read_as_attributes_and_as_a_dict():
    options = Options({"min-bytes": 5, "exclude": ["SC2086"]})
    assert (options.min_bytes, options.exclude) == (5, ["SC2086"])
    assert options.get("min-bytes", 0) == 5 and options["exclude"] == ["SC2086"] and options == {
        "min-bytes": 5, "exclude": ["SC2086"]}
    with pytest.raises(AttributeError, match="no option 'nope'; the options: min-bytes, exclude"):
        options.nope


def test_a_rule_declared_with_a_dict_of_defaults_gets_options_of_their_kinds():
    @rule("DF990", "old-style", "info", options={"word": "echo", "limit": 3, "loud": False, "any": None})
    def old_style(model, options):
        yield from ()

    assert old_style.options == {"word": "echo", "limit": 3, "loud": False, "any": None}
    assert [(o.name, o.type, o.default) for o in old_style.option_specs] == [
        ("word", str, "echo"), ("limit", float, 3), ("loud", bool, False), ("any", object, None)]


def test_a_rule_declared_with_options_has_their_defaults():
    @rule("DF991", "new-style", "info", options=[Option("min-bytes", int, 10, "from this size")])
    def new_style(model, options):
        yield from ()

    assert new_style.options == {"min-bytes": 10} and new_style.options.min_bytes == 10
    assert new_style.option("min-bytes").help == "from this size" and new_style.option("nope") is None


def test_every_builtin_option_is_typed_and_documented():
    for r in builtin_rules().values():
        for o in r.option_specs:
            assert o.type is not object and o.help and o.accepts(o.default), (r.code, o.name)


def test_a_wrong_type_is_an_error_naming_the_file_the_table_and_what_was_expected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.dfcheck.options.DF202]\nmin-bytes = "1 MB"\n', encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM alpine\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path)
    assert str(e.value) == ('pyproject.toml: [tool.dfcheck] "options.DF202": "min-bytes" must be an integer, '
                            'not "1 MB"')


def test_a_hadolint_setting_that_becomes_an_option_is_checked_under_its_own_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".hadolint.yaml").write_text("trustedRegistries: docker.io\n", encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM alpine\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path)
    assert str(e.value) == '.hadolint.yaml: "trustedRegistries" must be a list of registries'


def test_a_configured_value_reaches_the_rule_as_an_attribute(tmp_path):
    (tmp_path / "dfcheck.toml").write_text("[options.DF204]\nmin-bytes = 100_000_000_000\n", encoding="utf-8")
    model = model_of("FROM debian\nRUN useradd -u 123456789 app\n")
    rule = builtin_rules()["DF204"]
    assert [f.span.line for f in rule.check(model, rule.options)] == [2]
    assert list(rule.check(model, settings_for(tmp_path).options["DF204"])) == []
