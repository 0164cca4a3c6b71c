"""Configuration: discovery and precedence, validation with suggestions, selection, per-file settings."""

import os
import subprocess
import sys

import pytest

from dfcheck.config import Config, ConfigError, Resolver, parse_table
from dfcheck.engine import lint_paths
from throwaway_rules import rule_set


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def codes(settings):
    return [r.code for r in settings.rules]


def settings_for(tmp_path, rel, **kwargs):
    return Resolver(rule_set(), **kwargs).settings_for(str(tmp_path / rel))


DEFAULT = ["DF001", "DF901", "DF902", "DF903"]


def test_no_config_anywhere_gives_the_default_selection(tmp_path):
    assert codes(settings_for(tmp_path, "Dockerfile")) == DEFAULT


def test_precedence_within_one_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.dfcheck]\nselect = ["DF901"]\n')
    assert codes(settings_for(tmp_path, "Dockerfile")) == ["DF901"]
    write(tmp_path / "dfcheck.toml", 'select = ["DF902"]\n')
    assert codes(settings_for(tmp_path, "Dockerfile")) == ["DF902"]
    write(tmp_path / ".dfcheck.toml", 'select = ["DF903"]\n')
    assert codes(settings_for(tmp_path, "Dockerfile")) == ["DF903"]


def test_the_closest_directory_wins_and_files_are_not_merged(tmp_path):
    write(tmp_path / ".dfcheck.toml", 'select = ["DF901"]\nfail-on = "warning"\n')
    write(tmp_path / "a" / "pyproject.toml", '[tool.dfcheck]\nignore = ["DF902"]\n')
    write(tmp_path / "b" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.dfcheck]: does not count
    write(tmp_path / "c" / "pyproject.toml", '[project]\nname = "dfcheck-user"\n[tool.other]\ndfcheck = 1\n')
    resolver = Resolver(rule_set())
    a = resolver.settings_for(str(tmp_path / "a" / "deep" / "Dockerfile"))
    assert codes(a) == ["DF001", "DF901", "DF903"] and a.fail_on == "info"
    b = resolver.settings_for(str(tmp_path / "b" / "Dockerfile"))
    assert codes(b) == ["DF901"] and b.fail_on == "warning"
    assert codes(resolver.settings_for(str(tmp_path / "c" / "Dockerfile"))) == ["DF901"]


def test_config_file_and_no_config_options(tmp_path):
    write(tmp_path / ".dfcheck.toml", 'select = ["DF901"]\n')
    other = write(tmp_path / "elsewhere" / "custom.toml", 'select = ["DF902"]\n')
    assert codes(settings_for(tmp_path, "Dockerfile", config_file=str(other))) == ["DF902"]
    assert codes(settings_for(tmp_path, "Dockerfile", no_config=True)) == DEFAULT
    with pytest.raises(ConfigError, match="--config nope.toml: no such file"):
        Resolver(rule_set(), config_file="nope.toml")


def test_unknown_key_names_the_file_and_suggests(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".dfcheck.toml", 'selct = ["DF901"]\n')
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "Dockerfile")
    assert str(e.value) == '.dfcheck.toml: unknown key "selct" (did you mean "select"?)'
    write(tmp_path / "sub" / "pyproject.toml", '[tool.dfcheck]\nextend_select = ["DF901"]\n')
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "sub/Dockerfile")
    assert str(e.value) == (f'{os.path.join("sub", "pyproject.toml")}: unknown key "extend_select" in '
                            '[tool.dfcheck] (did you mean "extend-select"?)')


def test_unknown_rule_names_the_key_and_suggests(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "dfcheck.toml", 'ignore = ["DF00l"]\n')
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "Dockerfile")
    assert str(e.value) == 'dfcheck.toml: "ignore": unknown rule "DF00l" (did you mean "DF001"?)'
    write(tmp_path / "dfcheck.toml", '[severity]\nevery-rn = "error"\n')
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "Dockerfile")
    assert str(e.value) == 'dfcheck.toml: "severity": unknown rule "every-rn" (did you mean "every-run"?)'


@pytest.mark.parametrize(
    "text, message",
    [
        ('fail-on = "warnings"\n',
         '"fail-on" = "warnings": must be one of error, warning, info, style, never (did you mean "warning"?)'),
        ('severity = { DF901 = "fatal" }\n',
         '"severity": DF901 = "fatal": severity must be one of error, warning, info, style'),
        ('select = "DF901"\n', '"select" must be a list of strings'),
        ('context = 3\n', '"context" must be a string (a directory)'),
        ('build-args = { A = ["x"] }\n', '"build-args": A must be a string'),
        ('[options.DF903]\nwrd = "x"\n',
         '"options.DF903": unknown option "wrd" of DF903 (run-words) (did you mean "word"?); '
         'its options: word, limit, loud'),
        ('[options.DF903]\nlimit = "x"\n', '"options.DF903": "limit" must be a number, not "x"'),
        ('[options.DF903]\nloud = 1\n', '"options.DF903": "loud" must be true or false, not 1'),
        ('[options.DF901]\nx = 1\n', '"options.DF901": rule DF901 (every-run) has no options'),
    ],
)
def test_bad_values(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".dfcheck.toml", text)
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "Dockerfile")
    assert str(e.value).startswith(".dfcheck.toml: " + message)


def test_deep_nesting_is_invalid_toml_with_a_position(tmp_path, monkeypatch):
    # tomllib recurses once per nested array or inline table: 5,000 of them raised RecursionError.
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".dfcheck.toml", 'a = "[[[" # [[[\nselect = ' + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "Dockerfile")
    # FILE:LINE:COLUMN, as every other TOML error is placed
    assert str(e.value) == ".dfcheck.toml:2:5009: invalid TOML: arrays or inline tables nested too deeply"
    write(tmp_path / ".dfcheck.toml", "x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n")
    with pytest.raises(ConfigError, match=r"\.dfcheck\.toml:1:9002: invalid TOML: arrays or inline tables nested too deeply$"):
        Resolver(rule_set(), config_file=str(tmp_path / ".dfcheck.toml"))


def test_configuration_files_have_a_size_limit(tmp_path, monkeypatch):
    import dfcheck.config.tables as config

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "MAX_CONFIG_BYTES", 64)
    write(tmp_path / ".dfcheck.toml", "# padding\n" * 10)
    with pytest.raises(ConfigError) as e:
        settings_for(tmp_path, "Dockerfile")
    assert str(e.value) == ".dfcheck.toml: cannot read: file too large (100 bytes, the limit is 64 bytes)"
    # a pyproject.toml too large to read is not taken for dfcheck's: most are someone else's
    (tmp_path / ".dfcheck.toml").unlink()
    write(tmp_path / "pyproject.toml", "[tool.dfcheck]\n" + "# padding\n" * 10)
    assert codes(settings_for(tmp_path, "Dockerfile")) == codes(settings_for(tmp_path / "..", "Dockerfile"))


def test_selectors_codes_prefixes_names_all(tmp_path):
    for select, expected in [
        (["DF90"], ["DF901", "DF902", "DF903", "DF905"]),
        (["every-run", "df001"], ["DF001", "DF901"]),
        (["ALL"], ["DF001", "DF003", "DF901", "DF902", "DF903", "DF905"]),
    ]:
        write(tmp_path / ".dfcheck.toml", f"select = {select!r}\n".replace("'", '"'))
        assert codes(settings_for(tmp_path, "Dockerfile")) == expected


def test_selection_layers_file_then_command_line(tmp_path):
    write(tmp_path / ".dfcheck.toml", 'extend-select = ["DF905"]\nignore = ["DF901"]\nextend-ignore = ["DF902"]\n')
    assert codes(settings_for(tmp_path, "Dockerfile")) == ["DF001", "DF903", "DF905"]
    rules = rule_set()
    cli = parse_table({"select": ["DF901", "DF902"], "ignore": ["DF902"]}, rules, root=str(tmp_path),
                      where="command line", cli=True)
    assert codes(Resolver(rules, cli).settings_for(str(tmp_path / "Dockerfile"))) == ["DF901"]
    cli = parse_table({"extend-select": ["DF003"]}, rules, root=str(tmp_path), where="command line", cli=True)
    assert codes(Resolver(rules, cli).settings_for(str(tmp_path / "Dockerfile"))) == [
        "DF001", "DF003", "DF903", "DF905"]


def test_command_line_errors_name_the_option():
    with pytest.raises(ConfigError) as e:
        parse_table({"select": ["DF9O1"]}, rule_set(), root=".", where="command line", cli=True)
    assert str(e.value) == '--select: unknown rule "DF9O1" (did you mean "DF901"?)'


def test_per_file_ignores_are_relative_to_the_config_directory(tmp_path):
    write(tmp_path / "pyproject.toml",
          '[tool.dfcheck.per-file-ignores]\n"legacy/**" = ["DF901"]\n"*.dev.Dockerfile" = ["DF90"]\n'
          '"./Dockerfile" = ["every-from"]\n')
    resolver = Resolver(rule_set())
    assert codes(resolver.settings_for(str(tmp_path / "legacy" / "x" / "Dockerfile"))) == ["DF001", "DF902", "DF903"]
    assert codes(resolver.settings_for(str(tmp_path / "sub" / "app.dev.Dockerfile"))) == ["DF001"]
    assert codes(resolver.settings_for(str(tmp_path / "Dockerfile"))) == ["DF001", "DF901", "DF903"]
    assert codes(resolver.settings_for(str(tmp_path / "sub" / "Dockerfile"))) == DEFAULT


def test_severity_fail_on_target_build_args_context_and_options(tmp_path):
    write(tmp_path / "cfg" / ".dfcheck.toml",
          'severity = { DF901 = "error", every-from = "warning" }\nfail-on = "style"\ncontext = "../ctx"\n'
          'target = "prod"\nbuild-args = { VERSION = "1.2", N = 3 }\n[options.run-words]\nword = "apt"\n')
    s = settings_for(tmp_path, "cfg/Dockerfile")
    assert s.severity == {"DF901": "error", "DF902": "warning"}
    assert (s.fail_on, s.target, s.build_args) == ("style", "prod", {"VERSION": "1.2", "N": "3"})
    assert s.context_dir == str(tmp_path / "ctx")
    assert s.options["DF903"] == {"word": "apt", "limit": 3, "loud": False}
    cli = parse_table({"fail-on": "never", "target": "dev", "build-args": {"N": "4"}, "context": "elsewhere",
                       "severity": {"DF901": "style"}}, rule_set(), root=str(tmp_path), where="command line",
                      cli=True)
    s = Resolver(rule_set(), cli).settings_for(str(tmp_path / "cfg" / "Dockerfile"))
    assert (s.fail_on, s.target, s.build_args) == ("never", "dev", {"VERSION": "1.2", "N": "4"})
    assert s.severity == {"DF901": "style", "DF902": "warning"}
    assert s.context_dir == str(tmp_path / "elsewhere")


def test_the_default_context_is_the_dockerfiles_directory(tmp_path):
    (tmp_path / "app").mkdir()
    assert settings_for(tmp_path, "app/Dockerfile").context_dir == str(tmp_path / "app")
    assert Resolver(rule_set()).settings_for(None).context_dir is None  # standard input without a name


def test_severity_override_changes_the_exit_status(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "Dockerfile", "FROM a\n")  # DF902 is style: does not fail by default
    resolver = Resolver(rule_set())
    assert lint_paths(["."], resolver).exit_status() == 0
    write(tmp_path / ".dfcheck.toml", 'severity = { DF902 = "info" }\n')
    assert lint_paths(["."], Resolver(rule_set())).exit_status() == 1
    write(tmp_path / ".dfcheck.toml", 'severity = { DF902 = "info" }\nfail-on = "warning"\n')
    assert lint_paths(["."], Resolver(rule_set())).exit_status() == 0


def test_toml_is_imported_only_when_a_config_file_exists(tmp_path):
    write(tmp_path / "Dockerfile", "FROM a\n")
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    code = ("import sys; from dfcheck.cli import main; main(['Dockerfile']);"
            "print('TOML', any(m in sys.modules for m in ('tomllib', 'tomli')))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.stdout.splitlines()[-1] == "TOML False"
    write(tmp_path / "dfcheck.toml", 'fail-on = "never"\n')
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.stdout.splitlines()[-1] == "TOML True"


def test_a_config_object_defaults():
    c = Config()
    assert (c.select, c.extend_select, c.ignore, c.fail_on) == (None, frozenset(), frozenset(), None)


@pytest.mark.parametrize(
    "name, text, message",
    [
        (".dfcheck.toml", 'fail-on = "info"\nselect = [\n', ".dfcheck.toml:3: invalid TOML: Invalid value at the end of "
                                                         "the file"),
        ("dfcheck.toml", 'select = ["DF901"\nignore = []\n',
         "dfcheck.toml:2:1: invalid TOML: Unclosed array"),
        # a pyproject.toml that names dfcheck may be meant to configure it: an error, not silently the defaults
        ("pyproject.toml", '[tool.dfcheck\nselect = ["DF901"]\n',
         "pyproject.toml:1:14: invalid TOML: Expected ']' at the end of a table declaration"),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["dfcheck-lint"\n',
         "pyproject.toml:4: invalid TOML: Unclosed array at the end of the file"),
    ],
)
def test_an_invalid_configuration_file_is_an_error_naming_the_file_and_line(tmp_path, monkeypatch, capsys, name,
                                                                            text, message):
    from support import run

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "Dockerfile", "FROM alpine:3.20\n")
    write(tmp_path / name, text)
    status, out, err = run(capsys, "Dockerfile")
    assert (status, out, err) == (2, "", f"dfcheck: error: {message}\n")


def test_an_invalid_pyproject_that_never_names_dfcheck_does_not_apply(tmp_path, monkeypatch, capsys):
    from support import run

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "Dockerfile", "FROM alpine:3.20\nUSER app\n")
    write(tmp_path / "pyproject.toml", "[project\n")
    assert run(capsys, "Dockerfile") == (0, "All checks passed: 1 file.\n", "")


def test_the_search_stops_at_the_repository_root_and_never_reads_a_shared_directory(tmp_path, monkeypatch):
    import stat

    write(tmp_path / ".dfcheck.toml", 'select = ["DF901"]\n')
    write(tmp_path / "repo" / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(tmp_path / "repo" / "app" / "Dockerfile", "FROM a\n")
    assert codes(settings_for(tmp_path, "repo/app/Dockerfile")) == DEFAULT  # not the one above the repository
    write(tmp_path / "worktree" / ".git", "gitdir: /elsewhere\n")  # a worktree's or submodule's .git file
    assert codes(settings_for(tmp_path, "worktree/Dockerfile")) == DEFAULT
    assert codes(settings_for(tmp_path, "plain/Dockerfile")) == ["DF901"]
    # a directory anyone can write to, such as /tmp: a file planted there is not read, nor anything above it
    shared = tmp_path / "shared"
    write(shared / ".dfcheck.toml", 'select = ["DF902"]\n')
    write(shared / "mine" / "Dockerfile", "FROM a\n")
    shared.chmod(shared.stat().st_mode | stat.S_IWOTH | stat.S_ISVTX)
    assert codes(settings_for(tmp_path, "shared/mine/Dockerfile")) == DEFAULT
    assert codes(settings_for(tmp_path, "shared/Dockerfile")) == DEFAULT


def test_the_search_stops_at_the_home_directory(tmp_path, monkeypatch):
    import dfcheck.config.resolver

    write(tmp_path / ".dfcheck.toml", 'select = ["DF901"]\n')
    write(tmp_path / "home" / "me" / ".dfcheck.toml", 'select = ["DF902"]\n')
    monkeypatch.setattr(dfcheck.config.resolver, "_home", str(tmp_path / "home" / "me"))
    assert codes(settings_for(tmp_path, "home/me/project/Dockerfile")) == ["DF902"]  # the user's own file counts
    (tmp_path / "home" / "me" / ".dfcheck.toml").unlink()
    assert codes(settings_for(tmp_path, "home/me/project/Dockerfile")) == DEFAULT


def test_extend_layers_the_selection_and_merges_tables(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "shared" / "base.toml",
          'select = ["DF90"]\nignore = ["DF905"]\nfail-on = "warning"\ntarget = "prod"\ncontext = "ctx"\n'
          'severity = { DF901 = "error", DF902 = "info" }\nbuild-args = { A = "1", B = "2" }\n'
          'per-file-ignores = { "legacy/**" = ["DF903"] }\n[options.DF903]\nword = "apt"\nlimit = 5\n')
    write(tmp_path / "app" / "pyproject.toml",
          '[tool.dfcheck]\nextend = "../shared/base.toml"\nextend-select = ["DF001"]\nignore = ["DF902"]\n'
          'severity = { DF902 = "error" }\nbuild-args = { B = "3" }\n[tool.dfcheck.options.DF903]\nlimit = 9\n')
    resolver = Resolver(rule_set())
    s = resolver.settings_for(str(tmp_path / "app" / "Dockerfile"))
    assert codes(s) == ["DF001", "DF901", "DF903"]
    assert (s.fail_on, s.target, s.context_dir) == ("warning", "prod", str(tmp_path / "shared" / "ctx"))
    assert s.severity == {"DF901": "error", "DF902": "error"} and s.build_args == {"A": "1", "B": "3"}
    assert s.options["DF903"] == {"word": "apt", "limit": 9, "loud": False}
    # the base's per-file-ignores stay relative to the base's directory
    forced = Resolver(rule_set(), config_file=str(tmp_path / "app" / "pyproject.toml"))
    assert codes(forced.settings_for(str(tmp_path / "shared" / "legacy" / "Dockerfile"))) == ["DF001", "DF901"]
    assert codes(forced.settings_for(str(tmp_path / "app" / "legacy" / "Dockerfile"))) == ["DF001", "DF901", "DF903"]
    # a loop and a missing file are errors naming the chain
    write(tmp_path / "loop" / "a.toml", 'extend = "b.toml"\n')
    write(tmp_path / "loop" / "b.toml", 'extend = "a.toml"\n')
    with pytest.raises(ConfigError) as e:
        Resolver(rule_set(), config_file=str(tmp_path / "loop" / "a.toml"))
    assert str(e.value) == ('loop/b.toml: "extend": loop/a.toml extends itself, through loop/a.toml -> loop/b.toml '
                            '-> loop/a.toml')
    write(tmp_path / "missing" / ".dfcheck.toml", 'extend = "nope.toml"\n')
    with pytest.raises(ConfigError) as e:
        Resolver(rule_set()).settings_for(str(tmp_path / "missing" / "Dockerfile"))
    assert str(e.value) == 'missing/.dfcheck.toml: "extend": missing/nope.toml: no such file'
