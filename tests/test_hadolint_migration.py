"""hadolint and BuildKit users at home: their codes and check names wherever a rule is named, `.hadolint.yaml`
read when no dfcheck configuration applies, and `dfcheck config --from-hadolint`."""

import json

import pytest

from dfcheck import engine
from dfcheck.config import ConfigError, Resolver, parse_table
from support import run
from throwaway_rules import rule_set

# The throwaway rules answer to: DF901 DL3020 and JSONArgsRecommended; DF902 DL3006 and StageNameCasing.


@pytest.fixture(autouse=True)
def here(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def throwaway(monkeypatch):
    monkeypatch.setattr(engine, "_loaded", sorted(rule_set(), key=lambda r: r.code))


def codes(settings):
    return [r.code for r in settings.rules]


def test_hadolint_codes_and_buildkit_names_select_ignore_and_set_severities_with_a_note(tmp_path):
    rules = rule_set()
    cli = parse_table({"select": ["DL3020", "stagenamecasing"], "severity": {"DL3006": "error"}}, rules,
                      root=str(tmp_path), where="command line", cli=True)
    s = Resolver(rules, cli).settings_for(str(tmp_path / "Dockerfile"))
    assert codes(s) == ["DF901", "DF902"] and s.severity == {"DF902": "error"}
    assert cli.notes == ["--select: hadolint's DL3020 is DF901 (every-run); BuildKit's check StageNameCasing is "
                         "DF902 (every-from)",
                         "--severity: hadolint's DL3006 is DF902 (every-from)"]


def test_a_hadolint_code_without_a_dfcheck_rule(tmp_path):
    rules = rule_set()
    # removing what dfcheck does not check is harmless: a note
    cli = parse_table({"ignore": ["DL3059"]}, rules, root=".", where="command line", cli=True)
    assert cli.ignore == frozenset() and cli.notes == [
        "--ignore: hadolint's DL3059 has no dfcheck rule, nothing to remove"]
    # selecting it, or naming it for a severity, would do nothing: an error
    with pytest.raises(ConfigError) as e:
        parse_table({"select": ["DL3059"]}, rules, root=".", where="command line", cli=True)
    assert str(e.value) == ("--select: hadolint's DL3059 has no dfcheck rule (`dfcheck rules` lists the hadolint "
                            "codes dfcheck answers to)")
    with pytest.raises(ConfigError) as e:
        parse_table({"ignore": ["SC2086"]}, rules, root=".", where="command line", cli=True)
    assert str(e.value) == ("--ignore: SC2086 is a ShellCheck code; DF702 reports ShellCheck's findings, and "
                            '[tool.dfcheck.options.DF702] exclude = ["SC2086"] leaves this one out')


def test_dl_codes_on_the_command_line_and_in_per_file_ignores(tmp_path, capsys, throwaway):
    (tmp_path / "Dockerfile").write_text("FROM a\nRUN x\n")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "Dockerfile").write_text("FROM a\nRUN x\n")
    status, out, err = run(capsys, "--format", "json", "--ignore", "DL3020,DL3006", ".")
    assert (status, json.loads(out)["findings"]) == (0, [])
    assert err == "dfcheck: note: --ignore: hadolint's DL3020 is DF901 (every-run); hadolint's DL3006 is DF902 " \
                  "(every-from)\n"
    (tmp_path / "pyproject.toml").write_text('[tool.dfcheck]\nper-file-ignores = { "legacy/**" = ["DL3020"] }\n')
    status, out, err = run(capsys, "--format", "json", "--select", "DF901", ".")
    assert [(f["path"], f["code"]) for f in json.loads(out)["findings"]] == [("Dockerfile", "DF901")]
    assert err == ("dfcheck: note: pyproject.toml: [tool.dfcheck] \"per-file-ignores.legacy/**\": hadolint's DL3020 "
                   "is DF901 (every-run)\n")
    # -q keeps notes off stderr
    status, out, err = run(capsys, "-q", "--format", "json", "--select", "DF901", ".")
    assert err == ""


def test_dfcheck_rule_takes_a_hadolint_code_or_a_buildkit_name(capsys, throwaway):
    status, out, err = run(capsys, "rule", "DL3020")
    assert status == 0 and out.startswith("DF901 every-run\n")
    assert err == "dfcheck: note: dfcheck rule: hadolint's DL3020 is DF901 (every-run)\n"
    status, out, err = run(capsys, "rule", "JSONArgsRecommended")
    assert status == 0 and out.startswith("DF901 every-run\n")
    status, out, err = run(capsys, "rule", "DL3059")
    assert (status, out) == (2, "")
    assert err.startswith("dfcheck: error: dfcheck rule: hadolint's DL3059 has no dfcheck rule")


# With the real rules: DL3006 and DL3007 are DF604 (image-latest-or-untagged), DL3020 is DF401
# (add-instead-of-copy), DL3026 is DF606 (untrusted-registry).
HADOLINT_YAML = """\
ignored:
  - DL3006          # untagged images
  - DL3059          # no dfcheck rule
  - SC2086
override:
  error:
    - DL3020
trustedRegistries:
  - docker.io
failure-threshold: error
label-schema:
  author: text
"""
DOCKERFILE = "FROM alpine\nADD a.txt /a\nUSER app\n"  # DF604 and DF401


def test_hadolint_yaml_applies_when_no_dfcheck_configuration_does(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / ".hadolint.yaml").write_text(HADOLINT_YAML)
    status, out, err = run(capsys, "--format", "json", ".")
    findings = json.loads(out)["findings"]
    # DF604 ignored (DL3006), DF401 an error (DL3020), failure-threshold error: exit 1
    assert [(f["code"], f["severity"]) for f in findings] == [("DF401", "error")]
    assert status == 1
    assert err == ("dfcheck: note: .hadolint.yaml: read as dfcheck configuration (no dfcheck configuration "
                   "applies); not carried over: DL3059 (no dfcheck rule answers to it), label-schema (dfcheck has "
                   "no label rules); `dfcheck config --from-hadolint` prints it as [tool.dfcheck]\n")
    # the closest hadolint file applies; a dfcheck configuration, even further up, wins over both
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".hadolint.yml").write_text("ignored: [DL3020]\n")
    (tmp_path / "sub" / "Dockerfile").write_text(DOCKERFILE)
    status, out, err = run(capsys, "--format", "json", "sub")
    assert [f["code"] for f in json.loads(out)["findings"]] == ["DF604"]
    (tmp_path / "dfcheck.toml").write_text('select = ["DF401"]\n')
    status, out, err = run(capsys, "--format", "json", "sub")
    assert [f["code"] for f in json.loads(out)["findings"]] == ["DF401"] and err == ""


def test_invalid_hadolint_yaml_is_an_error_with_its_position(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / ".hadolint.yaml").write_text("ignored:\n  - DL3006\n override: [\n")
    status, out, err = run(capsys, ".")
    assert (status, out) == (2, "")
    assert err.startswith("dfcheck: error: .hadolint.yaml:3:2: invalid YAML: ") and err.count("\n") == 1
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: fatal\n")
    status, out, err = run(capsys, ".")
    assert (status, err) == (2, 'dfcheck: error: .hadolint.yaml: "failure-threshold" must be one of error, '
                                'warning, info, style, ignore, none\n')


def test_config_from_hadolint_prints_the_equivalent_table(tmp_path, capsys):
    (tmp_path / ".hadolint.yaml").write_text(HADOLINT_YAML)
    status, out, err = run(capsys, "config", "--from-hadolint")
    assert (status, err) == (0, "")
    assert out == (
        "# dfcheck's configuration translated from .hadolint.yaml, for pyproject.toml (for .dfcheck.toml, drop\n"
        "# the [tool.dfcheck] line and `tool.dfcheck.` from the table names).\n"
        "# Not carried over: DL3059 (no dfcheck rule answers to it).\n"
        "# Not carried over: label-schema (dfcheck has no label rules).\n"
        "# hadolint runs ShellCheck on every RUN; dfcheck does with DF702, off by default:\n"
        "# extend-select = [\"DF702\"] (it needs ShellCheck: pip install 'dfcheck-lint[shellcheck]').\n"
        "[tool.dfcheck]\n"
        'extend-select = ["DF606"]  # trustedRegistries (DL3026)\n'
        'ignore = ["DF604"]  # DL3006 (DF604)\n'
        'severity = { "DF401" = "error" }  # DL3020 (DF401)\n'
        'fail-on = "error"  # failure-threshold\n'
        "\n"
        "[tool.dfcheck.options.DF702]  # ignored ShellCheck codes\n"
        'exclude = ["SC2086"]\n'
        "\n"
        "[tool.dfcheck.options.DF606]  # trustedRegistries\n"
        'allowed-registries = ["docker.io"]\n')
    # the output is a configuration dfcheck takes as it is, and it means the same
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "pyproject.toml").write_text(out)
    status, out2, err = run(capsys, "--format", "json", ".")
    assert (status, [(f["code"], f["severity"]) for f in json.loads(out2)["findings"]]) == (1, [("DF401", "error")])
    assert err == ""
    status, out3, err = run(capsys, "config", "--from-hadolint", ".hadolint.yaml")
    assert out3 == out
    status, out, err = run(capsys, "config", "--from-hadolint", "missing.yaml")
    assert (status, err) == (2, "dfcheck: error: --from-hadolint missing.yaml: no such file\n")
