"""--format sarif: the log's exact shape, GitHub's line hash, suppressions, plugins, errors, and schema
validation of every log, the examples' and the whole corpus's included."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ci_support import MESSAGE, SHARED, clean_environment, schema_errors, use_rules, violations
from support import run
from dfcheck.reporters import sarif
from dfcheck.rule import Edit, Finding, Fix, rule
from dfcheck.syntax.nodes import Span

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    clean_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def rules(monkeypatch):
    return use_rules(monkeypatch)


def sarif_of(capsys, *argv, **kwargs):
    status, out, err = run(capsys, "--format", "sarif", *argv, **kwargs)
    assert violations(out) == []
    return status, json.loads(out), err


# ---------------------------------------------------------------- the line hash


def test_line_hashes_match_githubs_upload():
    # The expected values of github/codeql-action's own fingerprint tests (src/fingerprints.test.ts).
    def hashes(text):
        found = sarif.line_hashes(text)
        return [found[n] for n in sorted(found)]

    assert hashes("") == ["c129715d7a2bc9a3:1"]
    assert hashes(" a\nb\n  \t\tc\n d") == ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1",
                                             "a23a3dc5e078b07b:1"]
    assert hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End") == [
        "8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1",
        "b86d3392aea1be30:1", "e6ceba753e1a442:1"]
    ended = ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
             "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]
    assert hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n") == ended
    assert hashes(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r") == ended
    assert hashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n") == ended
    assert hashes(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n") == ended
    assert hashes("Lorem ipsum dolor sit amet.\n" * 10) == [
        *(f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)), "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1",
        "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"]
    assert hashes("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n") == [
        "e54938cc54b302f1:1", "bb609acbe9138d60:1", "1131fd5871777f34:1", "5c482a0f8b35ea28:1",
        "54517377da7028d2:1", "2c644846cb18d53e:1", "f1b89f20de0d133:1", "c129715d7a2bc9a3:1"]


def test_the_hash_reads_the_file_as_written(tmp_path, capsys, rules, monkeypatch):
    # The same lines with and without the final newline hash differently, as GitHub hashes the real file.
    (tmp_path / "a.Dockerfile").write_text("FROM a\nXYZZY\n")
    (tmp_path / "b.Dockerfile").write_text("FROM a\nXYZZY")
    status, log, err = sarif_of(capsys, "--select", "DF001", ".")
    got = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]:
           r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]}
    assert got == {"a.Dockerfile": sarif.line_hashes("FROM a\nXYZZY\n")[2],
                   "b.Dockerfile": sarif.line_hashes("FROM a\nXYZZY")[2]}
    assert got["a.Dockerfile"] != got["b.Dockerfile"]
    # standard input is hashed from the bytes read, not from a file of that name
    status, log, err = sarif_of(capsys, "--select", "DF001", "--stdin-filename", "a.Dockerfile", "-",
                                stdin=b"FROM a\nXYZZY", monkeypatch=monkeypatch)
    assert log["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"] == got["b.Dockerfile"]


# ---------------------------------------------------------------- the exact shape


def test_a_fixable_finding_with_special_characters(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    status, log, err = sarif_of(capsys, "--select", "DF990", "Dockerfile")
    assert status == 1 and err == ""
    assert list(log) == ["$schema", "version", "runs"]
    assert log["version"] == "2.1.0" and log["$schema"] == sarif.SCHEMA_URI
    run_ = log["runs"][0]
    assert run_["results"] == [{
        "message": {"text": MESSAGE},
        "fixes": [{
            "artifactChanges": [{
                "artifactLocation": {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"},
                "replacements": [{"deletedRegion": {"endColumn": 5, "endLine": 1, "startColumn": 1, "startLine": 1},
                                  "insertedContent": {"text": "FROM"}}],
            }],
            "description": {"text": "Rewrite the keyword"},
            "properties": {"applicability": "safe"},
        }],
        "kind": "fail",
        "level": "warning",
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"},
            "region": {"endColumn": 5, "endLine": 1, "startColumn": 1, "startLine": 1},
        }}],
        "partialFingerprints": {"primaryLocationLineHash": sarif.line_hashes("FROM alpine\n")[1]},
        "ruleId": "DF990",
        "ruleIndex": [r["id"] for r in run_["tool"]["driver"]["rules"]].index("DF990"),
    }]
    assert run_["invocations"] == [{"executionSuccessful": True}]
    assert run_["columnKind"] == "utf16CodeUnits"
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    # the level is written even though it is SARIF's default, where the usual serializer drops it
    assert '"level": "warning"' in json.dumps(log)


@rule("DF989", "broken-fix", "warning", fixable="safe")
def broken_fix(model, options):
    """Reports every FROM, with a fix that breaks the syntax."""
    for node in model.dockerfile.instructions:
        if node.keyword == "FROM":
            yield Finding(node.keyword_span, "a FROM", Fix("safe", [Edit(node.keyword_span, "FROMM")]))


@rule("DF988", "adds-a-line", "warning", fixable="unsafe")
def adds_a_line(model, options):
    """Reports every FROM, with a fix that adds a line after it."""
    for node in model.dockerfile.instructions:
        if node.keyword == "FROM":
            end = Span(node.span.line, node.span.end_column, node.span.line, node.span.end_column)
            yield Finding(node.keyword_span, "a FROM", Fix("unsafe", [Edit(end, "\nEXPOSE 80")]))


def test_fixes_are_those_the_fix_loop_applies(tmp_path, capsys, monkeypatch):
    use_rules(monkeypatch, broken_fix, adds_a_line)
    (tmp_path / "Dockerfile").write_bytes(b"FROM alpine\r\nRUN x\r\n")
    status, log, err = sarif_of(capsys, "--select", "DF988,DF989", "Dockerfile")
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert "fixes" not in results["DF989"]  # the loop drops it: the fixed text would not parse
    [fix] = results["DF988"]["fixes"]
    assert fix["artifactChanges"][0]["replacements"] == [{
        "deletedRegion": {"startLine": 1, "startColumn": 12, "endLine": 1, "endColumn": 12},
        "insertedContent": {"text": "\r\nEXPOSE 80"},  # the file's line end
    }]
    assert fix["properties"] == {"applicability": "unsafe"}


def test_json_fixes_are_those_the_fix_loop_applies_too(tmp_path, capsys, monkeypatch):
    # The same verified fixes as SARIF's, through the same path: the broken one left out, the file's line ends.
    use_rules(monkeypatch, broken_fix, adds_a_line)
    (tmp_path / "Dockerfile").write_bytes(b"FROM alpine\r\nRUN x\r\n")
    status, out, err = run(capsys, "--format", "json", "--select", "DF988,DF989", "Dockerfile")
    fixes = {f["code"]: f["fix"] for f in json.loads(out)["findings"]}
    assert fixes == {
        "DF989": None,
        "DF988": {"applicability": "unsafe",
                  "edits": [{"line": 1, "column": 12, "end_line": 1, "end_column": 12, "text": "\r\nEXPOSE 80"}]},
    }


def test_the_driver_describes_every_rule(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    status, log, err = sarif_of(capsys, "Dockerfile")
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "dfcheck" and driver["version"] == driver["semanticVersion"]
    from dfcheck.docs import project_urls

    assert driver["informationUri"] == project_urls()["homepage"]
    builtin = [r for r in rules if r.origin == "dfcheck"]
    assert [d["id"] for d in driver["rules"]] == [r.code for r in builtin]  # DF003 too: off by default, selectable
    by_id = {d["id"]: d for d in driver["rules"]}
    run_words = by_id["DF903"]
    assert run_words["name"] == "run-words"
    assert run_words["shortDescription"] == {"text": "Reports each RUN whose text contains the configured word (an option)."}
    assert run_words["defaultConfiguration"] == {"enabled": True, "level": "note"}
    assert run_words["help"]["text"].startswith("DF903 run-words\n\nDefault severity: info.")
    assert run_words["help"]["markdown"].startswith("# DF903 run-words\n\n- Default severity: **info**")
    assert "`word = \"echo\"`" in run_words["help"]["markdown"]
    assert by_id["DF003"]["defaultConfiguration"] == {"enabled": False, "level": "warning"}
    assert by_id["DF001"]["defaultConfiguration"]["level"] == "error"
    assert by_id["DF001"]["helpUri"] == project_urls()["documentation"] + "#df001-syntax-error"
    assert by_id["DF902"]["defaultConfiguration"]["level"] == "note"  # style
    assert by_id["DF001"]["properties"] == {"tags": ["syntax"], "precision": "very-high"}
    assert by_id["DF990"]["properties"] == {"tags": ["test"], "precision": "high"}
    # security-severity for the security family only
    assert by_id["DF699"]["properties"] == {"tags": ["security"], "precision": "high", "security-severity": "8.0"}
    assert by_id["DF699"]["fullDescription"] == {
        "text": "Reports an ENV whose name says it holds a secret.\n\nLooks at ENV keys named like PASSWORD or TOKEN."}
    assert [d["id"] for d in driver["rules"] if "security-severity" in d["properties"]] == ["DF699"]


def test_plugin_rules_are_an_extension(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text("FROM alpine\nCOPY a /a\nENV PASSWORD=x\n")
    status, log, err = sarif_of(capsys, "--select", "DF801,DF699", "Dockerfile")
    tool = log["runs"][0]["tool"]
    assert "DF801" not in [d["id"] for d in tool["driver"]["rules"]]
    assert tool["extensions"] == [{"name": "dfcheck-example-pack", "language": "en-US",
                                   "rules": [tool["extensions"][0]["rules"][0]]}]
    assert tool["extensions"][0]["rules"][0]["id"] == "DF801"
    copy, secret = log["runs"][0]["results"]
    assert copy["ruleId"] == "DF801" and copy["ruleIndex"] == 0 and copy["level"] == "note"
    assert copy["rule"] == {"id": "DF801", "index": 0, "toolComponent": {"name": "dfcheck-example-pack", "index": 0}}
    assert secret["ruleId"] == "DF699" and "rule" not in secret and secret["level"] == "error"
    assert secret["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 15}


# ---------------------------------------------------------------- suppressions


SUPPRESSED = "FROM alpine\n# dfcheck: ignore=DF001 -- generated upstream\nXYZZY bar\nFOO\n"


def test_suppressed_findings_are_left_out_by_default(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text(SUPPRESSED)
    status, log, err = sarif_of(capsys, "--select", "DF001", "Dockerfile")
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]] == [4]


def test_include_suppressed_marks_them_in_a_shape_the_schema_accepts(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text(SUPPRESSED)
    status, log, err = sarif_of(capsys, "--select", "DF001", "--include-suppressed", "Dockerfile")
    results = log["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [3, 4]
    assert results[0]["suppressions"] == [{"kind": "inSource",
                                           "justification": "# dfcheck: ignore=DF001 -- generated upstream",
                                           "status": "accepted"}]
    assert "suppressions" not in results[1]
    assert status == 1  # the unsuppressed finding still fails the run; the suppressed one never does
    # The object model calls the property `state` (a pre-release name) and 2.1.0 rejects it:
    import sarif_om

    field = next(f for f in sarif_om.Suppression.__attrs_attrs__ if f.name == "state")
    assert field.metadata["schema_property_name"] == "state"
    bad = json.loads(json.dumps(log))
    bad["runs"][0]["results"][0]["suppressions"][0]["state"] = bad["runs"][0]["results"][0]["suppressions"][0].pop(
        "status")
    if SHARED.joinpath("sarif", "sarif-schema-2.1.0.json").is_file():
        assert any("state" in e for e in schema_errors(bad))


def test_only_suppressed_findings_pass(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text("FROM alpine\n# dfcheck: ignore=DF001\nXYZZY\n")
    status, log, err = sarif_of(capsys, "--select", "DF001", "--include-suppressed", "Dockerfile")
    assert status == 0 and len(log["runs"][0]["results"]) == 1


def test_include_suppressed_needs_sarif(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text(SUPPRESSED)
    status, out, err = run(capsys, "--include-suppressed", "--format", "json", "Dockerfile")
    assert (status, err) == (2, "dfcheck: error: --include-suppressed needs --format sarif\n")


# ---------------------------------------------------------------- serializer


def test_the_serializer_keeps_explicit_defaults_and_drops_placeholders():
    import sarif_om

    config = sarif_om.ReportingConfiguration(level="warning")
    assert sarif.to_data(config) == {"enabled": True, "level": "warning"}  # rank -1 (absent) is left out
    component = sarif_om.ToolComponent(name="x")
    assert sarif.to_data(component) == {"name": "x", "language": "en-US"}  # generated `contents` default left out
    result = sarif_om.Result(message=sarif_om.Message(text="m"), level="warning", rule_index=0)
    assert sarif.to_data(result) == {"message": {"text": "m"}, "kind": "fail", "level": "warning", "ruleIndex": 0}
    assert sarif.to_data(sarif_om.Suppression(kind="external", state="underReview")) == {
        "kind": "external", "status": "underReview"}


# ---------------------------------------------------------------- locations


def test_paths_are_relative_encoded_or_absolute_outside_the_root(tmp_path, capsys, rules, monkeypatch):
    work = tmp_path / "work"
    (work / "my dir").mkdir(parents=True)
    (work / "my dir" / "Dockerfile").write_text("XYZZY\n")
    outside = tmp_path / "elsewhere.Dockerfile"
    outside.write_text("XYZZY\n")
    monkeypatch.chdir(work)
    status, log, err = sarif_of(capsys, "--select", "DF001", "./my dir", str(outside))
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert locations == [{"uri": "my%20dir/Dockerfile", "uriBaseId": "%SRCROOT%"}, {"uri": outside.as_uri()}]


def test_github_workspace_is_the_source_root(tmp_path, capsys, rules, monkeypatch):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text("XYZZY\n")
    monkeypatch.chdir(tmp_path / "svc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    status, log, err = sarif_of(capsys, "--select", "DF001", "Dockerfile")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_columns_count_utf16_code_units():
    columns = sarif._Columns(["LABEL x=\"\U0001F433\" y=1"])
    assert [columns(1, c) for c in (1, 9, 10, 11, 12)] == [1, 9, 10, 12, 13]  # after the whale, one more
    assert columns(2, 7) == 7  # a line the file does not have: as given


# ---------------------------------------------------------------- errors


def test_files_that_cannot_be_linted_are_notifications(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text("XYZZY\n")
    (tmp_path / "bin.Dockerfile").write_bytes(b"FROM a\x00\n")
    status, log, err = sarif_of(capsys, "--select", "DF001", ".")
    assert status == 2
    invocation = log["runs"][0]["invocations"][0]
    assert invocation == {
        "executionSuccessful": False,
        "toolExecutionNotifications": [{
            "message": {"text": "bin.Dockerfile: cannot lint: binary file (contains NUL bytes)"},
            "level": "error",
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "bin.Dockerfile",
                                                                     "uriBaseId": "%SRCROOT%"}}}],
        }],
    }
    assert len(log["runs"][0]["results"]) == 1


def test_no_files_is_an_empty_valid_log(tmp_path, capsys, rules):
    status, log, err = sarif_of(capsys, ".")
    assert status == 0 and log["runs"][0]["results"] == []


def test_output_file(tmp_path, capsys, rules):
    (tmp_path / "Dockerfile").write_text("XYZZY\n")
    status, out, err = run(capsys, "--format", "sarif", "--output", "dfcheck.sarif", "Dockerfile")
    assert (status, out, err) == (1, "", "")
    assert schema_errors((tmp_path / "dfcheck.sarif").read_text(encoding="utf-8")) == []


def test_without_sarif_om_the_error_says_what_to_install(tmp_path, capsys, rules, monkeypatch):
    monkeypatch.setitem(sys.modules, "sarif_om", None)  # makes `import sarif_om` raise ImportError
    (tmp_path / "Dockerfile").write_text("XYZZY\n")
    status, out, err = run(capsys, "--format", "sarif", "Dockerfile")
    assert (status, out) == (2, "")
    assert err == ("dfcheck: error: --format sarif needs the sarif-om package, a dependency of dfcheck-lint that "
                   "is missing here: pip install sarif-om\n")


def test_only_the_sarif_path_imports_sarif_om(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    code = ("import sys, io, contextlib\nfrom dfcheck.cli import main\n"
            "for fmt in sys.argv[1:]:\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        main(['--format', fmt, '--output', 'out.' + fmt, 'Dockerfile'])\n"
            "    print(fmt, 'sarif_om' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, "text", "json", "github", "gitlab", "checkstyle", "junit",
                          "sarif"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:-1] == [f"{fmt} {fmt == 'sarif'}" for fmt in
                                    ("text", "json", "github", "gitlab", "checkstyle", "junit", "sarif")]
    assert schema_errors((tmp_path / "out.sarif").read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------- the examples and the corpus


def _lint_sarif(capsys, path, *options) -> dict:
    status, out, err = run(capsys, "--format", "sarif", "--select", "ALL", "--no-config", *options, str(path))
    assert status in (0, 1), err
    return json.loads(out)


def test_sarif_of_the_examples_validates(capsys):
    log = _lint_sarif(capsys, ROOT / "examples")
    assert schema_errors(log) == []
    results = log["runs"][0]["results"]
    assert results, "the examples are meant to have findings"
    for result in results:
        assert {"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"} <= set(result)
        region = result["locations"][0]["physicalLocation"]["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}


@pytest.mark.skipif(not (SHARED / "corpus" / "dockerfiles").is_dir(), reason="../shared/corpus is absent")
def test_sarif_of_the_whole_corpus_validates(capsys):
    log = _lint_sarif(capsys, SHARED / "corpus" / "dockerfiles", "--include-suppressed")
    assert schema_errors(log) == []
    run_ = log["runs"][0]
    assert run_["invocations"] == [{"executionSuccessful": True}]
    assert run_["results"] and all("primaryLocationLineHash" in r["partialFingerprints"] for r in run_["results"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]}
    assert all(not u.startswith("/") for u in uris if not u.startswith("file:"))
