"""Rule documentation: docs/rules.md stays what the rules say, `dfcheck rule CODE` and `dfcheck rules` show
every rule's facts, and the Markdown pages keep code blocks intact."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dfcheck import docs
from dfcheck.cli import main
from dfcheck.rule import rule

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date():
    expected = docs.rules_markdown(docs.builtin_rules())
    current = RULES_MD.read_text(encoding="utf-8") if RULES_MD.is_file() else ""
    assert current == expected, (
        f"docs/rules.md is out of date with the rules: run `{docs.REGENERATE}` from the repository root "
        "and commit docs/rules.md")


def test_every_builtin_rule_has_a_section_and_a_table_row():
    text = RULES_MD.read_text(encoding="utf-8")
    for r in docs.builtin_rules():
        assert f"\n## {r.code} {r.name}\n" in text
        assert f"| [{r.code}](#{docs.anchor(r)}) | {r.name} | {r.severity} |" in text


def test_every_builtin_rule_documents_what_it_does_and_its_fix_safety():
    missing = [r.code for r in docs.builtin_rules()
               if not r.summary or not docs.has_fix_safety(r) or "## What it does" not in r.doc]
    assert missing == [], "each rule's docstring needs a summary, `## What it does` and `## Fix safety`"


def test_readme_lists_every_fixable_rule_with_its_safety():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.readme_with_fixes(readme, docs.builtin_rules()) == readme, (
        f"README.md's list of fixable rules is out of date: run `{docs.REGENERATE}` and commit README.md")
    for r in docs.builtin_rules():
        row = f"| [{r.code}]({docs.rule_url(r)}) {r.name} |"
        assert (row in readme) == bool(r.fixable), r.code
    undeclared = [r.code for r in docs.builtin_rules() if r.fixable is True]
    assert undeclared == [], "say how safe each built-in rule's fixes are: fixable=\"safe\", \"unsafe\" or \"depends\""


def test_fixable_takes_a_known_safety():
    with pytest.raises(ValueError, match="DF997: fixable must be True, False or one of safe, unsafe, depends"):
        rule("DF997", "x", "info", fixable="sometimes")(lambda model, options: ())


def test_readme_list_is_written_and_checked(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{docs.FIXES_START}\nold\n{docs.FIXES_END}\n\nmore\n", encoding="utf-8")
    command = [sys.executable, "-m", "dfcheck.docs", str(tmp_path / "rules.md"), "--readme", str(readme)]
    result = subprocess.run(command + ["--check"], capture_output=True, text=True)
    assert result.returncode == 1 and f"{readme} is out of date" in result.stderr
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"# x\n\n{docs.FIXES_START}\n\n| Rule | Fix |\n|---|---|\n| [DF006]")
    assert text.endswith(f" |\n\n{docs.FIXES_END}\n\nmore\n")
    assert subprocess.run(command + ["--check"], capture_output=True, text=True).returncode == 0


def test_check_mode_and_writing(tmp_path):
    target = tmp_path / "rules.md"
    command = [sys.executable, "-m", "dfcheck.docs"]
    result = subprocess.run(command + ["--check", str(target)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr == f"{target} is out of date: run `{docs.REGENERATE}`\n"
    result = subprocess.run(command + [str(target)], capture_output=True, text=True)
    assert result.returncode == 0 and target.read_text(encoding="utf-8") == docs.rules_markdown(docs.builtin_rules())
    result = subprocess.run(command + ["--check", str(target)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


@rule("DF998", "doc-example", "warning", hadolint=("DL3000",), buildkit=("WorkdirRelativePath",), fixable=True,
      options={"names": ["a", "b"], "strict": False}, tags=("example",))
def doc_example(model, options):
    """A rule whose page shows every fact.

    ## What it does
    Nothing.

    ## Example
    ```dockerfile
    # not a heading
    FROM alpine
    ```
    """
    return ()


def test_markdown_page_of_a_rule():
    page = docs.rule_markdown(doc_example.replace(origin="dfcheck-pack"), 2)
    assert page == (
        "## DF998 doc-example\n"
        "\n"
        "- Default severity: **warning**; enabled by default.\n"
        "- Fix: available.\n"
        "- hadolint: `DL3000` (`# hadolint ignore=` silences this rule too).\n"
        "- BuildKit check: `WorkdirRelativePath` (`# check=skip=` silences this rule too).\n"
        "- Options, under `[tool.dfcheck.options.DF998]`:\n"
        '  - `names = ["a", "b"]`\n'
        "  - `strict = false`\n"
        "- Tags: example.\n"
        "- Defined in `test_docs`.\n"
        "- From the plugin `dfcheck-pack`.\n"
        "\n"
        "A rule whose page shows every fact.\n"
        "\n"
        "### What it does\n"
        "Nothing.\n"
        "\n"
        "### Example\n"
        "```dockerfile\n"
        "# not a heading\n"
        "FROM alpine\n"
        "```\n"
        "\n"
        "### Fix safety\n"
        "\n"
        "The rule's documentation does not say; review the fix before applying it.\n")


def test_rule_command_prints_every_fact(capsys, monkeypatch):
    from dfcheck import engine

    monkeypatch.setattr(engine, "_loaded", [doc_example])
    assert main(["rule", "DF998"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DF998 doc-example\n\nDefault severity: warning. Enabled by default. "
                          "An automatic fix is available.\n"
                          "hadolint: DL3000 (`# hadolint ignore=` silences this rule too)\n"
                          "BuildKit check: WorkdirRelativePath (`# check=skip=` silences this rule too)\n"
                          "Options (under [tool.dfcheck.options.DF998]):\n"
                          '  names = ["a", "b"]\n'
                          "  strict = false\n"
                          "Tags: example\n"
                          "Defined in test_docs\n\n"
                          "A rule whose page shows every fact.\n")
    assert out.endswith("## Fix safety\nThe rule's documentation does not say; review the fix before applying it.\n")


def test_rule_and_rules_for_every_builtin_rule(capsys):
    assert main(["rules"]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[1:]}
    for r in docs.builtin_rules():
        assert rows[r.code][:4] == [r.code, r.name, r.severity, r.fixable or "no"]
        assert main(["rule", r.code]) == 0
        page = capsys.readouterr().out
        assert page.startswith(f"{r.code} {r.name}\n\nDefault severity: {r.severity}.")
        for code in r.hadolint + r.buildkit + tuple(r.options):
            assert re.search(rf"\b{re.escape(code)}\b", page), (r.code, code)
        assert r.doc.strip() in page


def test_mapping_tables_cover_every_buildkit_check_and_hadolint_rule():
    from dfcheck.docs import builtin_rules, mapping_tables
    from dfcheck.mappings import BUILDKIT_CHECKS, BUILDKIT_NOT_MAPPED, HADOLINT_NOT_MAPPED, HADOLINT_RULES

    rules = builtin_rules()
    buildkit = {name for r in rules for name in r.buildkit}
    hadolint = {code for r in rules for code in r.hadolint}
    # every name a rule records is a real one, and every check or rule is mapped or says why not
    assert buildkit <= set(BUILDKIT_CHECKS)
    assert hadolint <= set(HADOLINT_RULES)
    assert set(BUILDKIT_CHECKS) == buildkit | set(BUILDKIT_NOT_MAPPED)
    assert set(HADOLINT_RULES) == hadolint | set(HADOLINT_NOT_MAPPED)
    assert not buildkit & set(BUILDKIT_NOT_MAPPED) and not hadolint & set(HADOLINT_NOT_MAPPED)
    lines = mapping_tables(rules)
    assert "| FromAsCasing | `AS` should be in the case of `FROM` | [DF008](#df008-from-as-casing) |" in lines
    assert any(line.startswith("| DL3059 |") and "noise" in line for line in lines)
