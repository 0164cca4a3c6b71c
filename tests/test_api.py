"""The Python API, used only through `import dfcheck`."""

import os
import subprocess
import sys

import pytest

import dfcheck

DOCKERFILE = "FROM python\nADD app.py /app/\nRUN pip install flask\nUSER app\n"  # DF604, DF401, DF203 and DF508


@pytest.fixture(autouse=True)
def here(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)


def found(findings):
    return [(f.code, f.span.line, f.span.column) for f in findings]


def test_lint_text_with_the_defaults():
    findings = dfcheck.lint_text(DOCKERFILE)
    assert found(findings) == [("DF604", 1, 6), ("DF401", 2, 1), ("DF203", 3, 5), ("DF508", 3, 5)]
    first = findings[0]
    assert isinstance(first, dfcheck.Finding)
    assert (first.path, first.name, first.severity) == ("Dockerfile", "image-latest-or-untagged", "warning")
    assert first.message.startswith("`python` has no tag")
    assert findings[1].fix.applicability == "safe" and findings[1].fix.edits[0].text == "COPY"


def test_select_takes_codes_prefixes_names_and_hadolint_codes():
    assert found(dfcheck.lint_text(DOCKERFILE, select=["DF4", "DL3006"])) == [("DF604", 1, 6), ("DF401", 2, 1)]
    assert found(dfcheck.lint_text(DOCKERFILE, select=["add-instead-of-copy"])) == [("DF401", 2, 1)]
    with pytest.raises(dfcheck.ConfigError, match='unknown rule "DF4O1"'):
        dfcheck.lint_text(DOCKERFILE, select=["DF4O1"])
    with pytest.raises(TypeError):
        dfcheck.lint_text(DOCKERFILE, select="DF401")


def test_lint_a_file_with_its_configuration_and_context(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "svc" / "app.py").write_bytes(b"\x1f\x8b\x08\x00")  # gzip: ADD extracts it, so it is no DF401
    assert found(dfcheck.lint(tmp_path / "svc" / "Dockerfile")) == [("DF604", 1, 6), ("DF203", 3, 5), ("DF508", 3, 5)]
    # the build context is the Dockerfile's directory unless said otherwise
    (tmp_path / "empty").mkdir()
    assert ("DF401", 2, 1) in found(dfcheck.lint("svc/Dockerfile", context=tmp_path / "empty"))
    # the configuration the command line would use
    (tmp_path / "svc" / ".dfcheck.toml").write_text('ignore = ["DF604", "DF203"]\n')
    assert found(dfcheck.lint("svc/Dockerfile")) == [("DF508", 3, 5)]
    # ... or another one, or none
    assert found(dfcheck.lint("svc/Dockerfile", config=dfcheck.Settings())) == [
        ("DF604", 1, 6), ("DF203", 3, 5), ("DF508", 3, 5)]
    (tmp_path / "strict.toml").write_text('select = ["DF5"]\nseverity = { DL3013 = "error" }\n')
    findings = dfcheck.lint("svc/Dockerfile", config="strict.toml")
    assert found(findings) == [("DF508", 3, 5)] and findings[0].severity == "error"


def test_load_config_and_settings():
    with open(".dfcheck.toml", "w") as f:
        f.write('extend-select = ["DF702"]\nignore = ["DL3020"]\nfail-on = "warning"\ntarget = "prod"\n'
                'build-args = { V = "1" }\n[options.DF606]\nallowed-registries = ["ghcr.io"]\n')
    settings = dfcheck.load_config(".dfcheck.toml")
    assert isinstance(settings, dfcheck.Settings) and settings.path == os.path.abspath(".dfcheck.toml")
    assert "DF702" in settings.select and "DF401" not in settings.select
    assert (settings.fail_on, settings.target, settings.build_args) == ("warning", "prod", {"V": "1"})
    assert settings.options["DF606"] == {"allowed-registries": ["ghcr.io"]}
    defaults = dfcheck.Settings()
    assert defaults.path is None and "DF401" in defaults.select and "DF702" not in defaults.select
    assert defaults.fail_on == "info" and defaults.severity == {}
    with open("bad.toml", "w") as f:
        f.write("select = [\n")
    with pytest.raises(dfcheck.ConfigError, match=r"^bad.toml:2: invalid TOML"):
        dfcheck.load_config("bad.toml")
    with pytest.raises(dfcheck.ConfigError, match="nope.toml: no such file"):
        dfcheck.load_config("nope.toml")


def test_what_cannot_be_linted_raises_lint_error(tmp_path):
    (tmp_path / "bin.Dockerfile").write_bytes(b"FROM a\0\n")
    with pytest.raises(dfcheck.LintError) as e:
        dfcheck.lint("bin.Dockerfile")
    assert e.value.errors == ["bin.Dockerfile: cannot lint: binary file (contains NUL bytes)"]
    with pytest.raises(dfcheck.LintError) as e:
        dfcheck.lint("missing.Dockerfile")
    assert e.value.errors == ["missing.Dockerfile: cannot lint: No such file or directory"]
    (tmp_path / "t.toml").write_text('target = "nope"\n')
    with pytest.raises(dfcheck.LintError) as e:
        dfcheck.lint_text("FROM a AS build\n", config="t.toml")
    assert e.value.errors == ['Dockerfile: cannot lint: the target "nope" is not a stage of this Dockerfile (its '
                              'named stages: build)']


def test_rules_lists_every_rule():
    rules = dfcheck.rules()
    assert [r.code for r in rules] == sorted(r.code for r in rules) and len(rules) >= 48
    add = next(r for r in rules if r.code == "DF401")
    assert isinstance(add, dfcheck.Rule)
    assert (add.name, add.severity, add.fixable, add.hadolint) == ("add-instead-of-copy", "warning", "safe", ("DL3020",))
    assert add.doc.startswith(add.summary[:20])


def test_importing_dfcheck_is_cheap_and_the_package_is_typed():
    code = "import sys, dfcheck; print(sorted(m for m in ('dfcheck.api', 'dfcheck.engine', 'typing') if m in sys.modules))"
    # -S: no site module (an editable install's path hook would import more); dfcheck found where it is
    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(dfcheck.__file__))}
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "[]", out.stderr
    assert os.path.isfile(os.path.join(os.path.dirname(dfcheck.__file__), "py.typed"))
    assert set(dfcheck.__all__) == {"ConfigError", "Finding", "LintError", "Rule", "Settings", "__version__", "lint",
                                    "lint_text", "load_config", "rules"}
    with pytest.raises(AttributeError):
        dfcheck.nothing_here  # noqa: B018
