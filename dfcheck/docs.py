"""Rule pages: the text `dfcheck rule CODE` prints, the Markdown of `docs/rules.md` and of SARIF's rule help.

Every page is made from the Rule object alone: its docstring (ruff's sections: What it does, Why is this
bad?, Example, Use instead, Fix safety), its default severity, whether it is on by default and fixable, the
hadolint codes and BuildKit checks it answers to, and its options with their defaults.

Regenerate `docs/rules.md` (the built-in rules' pages), the list of fixable rules in README.md and the rule
index (rules/_index.py, see dfcheck.rule_index) after adding or changing a rule:

    python -m dfcheck.docs            # writes docs/rules.md, the README's list and the rule index
    python -m dfcheck.docs --check    # exit 1 if one is out of date
"""

from __future__ import annotations

import re
import sys

from .config import toml_value

RULES_MD = "docs/rules.md"
README = "README.md"
REGENERATE = "python -m dfcheck.docs"
# The README's list of fixable rules sits between these two lines.
FIXES_START = "<!-- fixable rules: generated from the rules by `python -m dfcheck.docs`, do not edit -->"
FIXES_END = "<!-- end of the fixable rules -->"
SAFETY = {"safe": "safe", "unsafe": "unsafe", "depends": "safe or unsafe, by case", True: "not said"}  # of `fixable`

# (compiled by `re` on first use: a JSON run imports this module for rule_url and reads no page)
_FIX_SAFETY = r"^#+\s*fix safety\s*$"


def has_fix_safety(r) -> bool:
    return bool(re.search(_FIX_SAFETY, r.doc, re.IGNORECASE | re.MULTILINE))


def fix_line(r) -> str:
    if not r.fixable:
        return "No automatic fix."
    return f"An automatic fix is available{f' ({SAFETY[r.fixable]})' if r.fixable is not True else ''}."


def rule_text(r) -> str:
    """The page `dfcheck rule CODE` prints: a header of facts, then the documentation as written."""
    lines = [f"{r.code} {r.name}", ""]
    lines.append(f"Default severity: {r.severity}. {'Enabled' if r.enabled else 'Disabled'} by default. "
                 + fix_line(r))
    if r.hadolint:
        lines.append(f"hadolint: {', '.join(r.hadolint)} (`# hadolint ignore=` silences this rule too)")
    if r.buildkit:
        lines.append(f"BuildKit check: {', '.join(r.buildkit)} (`# check=skip=` silences this rule too)")
    if r.options:
        lines.append("Options (under [tool.dfcheck.options." + r.code + "]):")
        lines.extend(f"  {o.name} = {toml_value(o.default)}" + (f"  # {o.help}" if o.help else "")
                     for o in r.option_specs)
    if r.tags:
        lines.append(f"Tags: {', '.join(r.tags)}")
    if r.defined_in:
        lines.append(f"Defined in {r.defined_in}")
    if r.origin != "dfcheck":
        lines.append(f"From the plugin: {r.origin}")
    lines += ["", r.doc.strip() or "(no documentation)", ""]
    if r.fixable and not has_fix_safety(r):
        lines += ["## Fix safety", "The rule's documentation does not say; review the fix before applying it.", ""]
    return "\n".join(lines)


def anchor(r) -> str:
    """GitHub's anchor for the page's heading `DF401 add-instead-of-copy`."""
    return f"{r.code} {r.name}".lower().replace(" ", "-")


DISTRIBUTION = "dfcheck-lint"  # the name on the package index; the command and import package are dfcheck
FALLBACK_HOME_PAGE = f"https://pypi.org/project/{DISTRIBUTION}/"
# The `[project.urls]` of pyproject.toml (labels lower-cased), kept here because reading them from the installed
# metadata imports importlib.metadata (with zipfile, email, shutil...): ~35 ms of every JSON run, whose findings
# carry their rule's address. A test checks that the two agree.
PROJECT_URLS = {
    "homepage": "https://github.com/dfcheck/dfcheck",
    "documentation": "https://github.com/dfcheck/dfcheck/blob/main/docs/rules.md",
    "source": "https://github.com/dfcheck/dfcheck",
    "issues": "https://github.com/dfcheck/dfcheck/issues",
}


def project_urls() -> dict:
    """The `[project.urls]` of pyproject.toml (labels lower-cased)."""
    return PROJECT_URLS


def home_page() -> str:
    return project_urls().get("homepage") or FALLBACK_HOME_PAGE


def rule_url(r) -> str | None:
    """The web address of a built-in rule's page in docs/rules.md; plugin rules have none there."""
    base = project_urls().get("documentation")
    # (the docstring as written: reading `doc` would clean every page of a JSON run, which shows none, and import
    # the module of each indexed rule, whose page is not empty: a test holds every built-in rule to one)
    if r is None or base is None or r.origin != "dfcheck" or (isinstance(r._doc, str) and not r._doc.strip()):
        return None
    return f"{base}#{anchor(r)}"


def _demote(markdown: str, levels: int) -> str:
    """Headings `#`... gain `levels` more `#`, outside fenced code blocks."""
    out = []
    fence = None
    for line in markdown.splitlines():
        stripped = line.lstrip()
        marker = stripped[:3]
        if marker in ("```", "~~~"):
            if fence is None:
                fence = marker
            elif marker == fence:
                fence = None
        elif fence is None and re.match(r"#{1,6}\s", stripped):
            line = "#" * levels + stripped
        out.append(line)
    return "\n".join(out)


def _facts(r) -> list[str]:
    facts = [f"- Default severity: **{r.severity}**; {'enabled' if r.enabled else 'disabled (select it to run it)'}"
             " by default.",
             f"- Fix: {_fix_fact(r)}."]
    if r.hadolint:
        facts.append(f"- hadolint: {', '.join(f'`{c}`' for c in r.hadolint)} "
                     "(`# hadolint ignore=` silences this rule too).")
    if r.buildkit:
        facts.append(f"- BuildKit check: {', '.join(f'`{c}`' for c in r.buildkit)} "
                     "(`# check=skip=` silences this rule too).")
    if r.options:
        facts.append(f"- Options, under `[tool.dfcheck.options.{r.code}]`:")
        facts.extend(f"  - `{o.name} = {toml_value(o.default)}`" + (f": {o.help}" if o.help else "")
                     for o in r.option_specs)
    if r.tags:
        facts.append(f"- Tags: {', '.join(r.tags)}.")
    if r.defined_in:
        facts.append(f"- Defined in `{r.defined_in}`.")
    if r.origin != "dfcheck":
        facts.append(f"- From the plugin `{r.origin}`.")
    return facts


def _fix_fact(r) -> str:
    if not r.fixable:
        return "none"
    return "available" if r.fixable is True else f"available, {SAFETY[r.fixable]}"


def rule_markdown(r, level: int = 2) -> str:
    """The rule's page in Markdown, its title a heading of `level`, the doc's headings below it."""
    body = r.doc.strip() or "(no documentation)"
    parts = ["#" * level + f" {r.code} {r.name}", "", *_facts(r), "", _demote(body, level - 1)]
    if r.fixable and not has_fix_safety(r):
        parts += ["", "#" * (level + 1) + " Fix safety", "",
                  "The rule's documentation does not say; review the fix before applying it."]
    return "\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_markdown(rules) -> str:
    """The whole `docs/rules.md`: a table of every rule, then each rule's page."""
    out = [
        "# dfcheck rules",
        "",
        f"Generated from the rules' documentation by `{REGENERATE}`; do not edit by hand.",
        "`dfcheck rule CODE` prints the same page in a terminal, `dfcheck rules` lists the rules.",
        "",
        "| Code | Name | Severity | Fixable | Enabled | hadolint | BuildKit |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rules:
        out.append(f"| [{r.code}](#{anchor(r)}) | {r.name} | {r.severity} | {'yes' if r.fixable else 'no'} | "
                   f"{'yes' if r.enabled else 'no'} | {_cell(', '.join(r.hadolint))} | "
                   f"{_cell(', '.join(r.buildkit))} |")
    out += ["", *mapping_tables(rules)]
    for r in rules:
        out += ["", rule_markdown(r, 2).rstrip("\n")]
    return "\n".join(out) + "\n"


def fixes_markdown(rules) -> str:
    """The README's list of the fixable rules, with the safety of their fixes."""
    out = [FIXES_START, "", "| Rule | Fix |", "|---|---|"]
    for r in rules:
        if r.fixable:
            out.append(f"| [{r.code}]({rule_url(r)}) {r.name} | {SAFETY[r.fixable]} |")
    return "\n".join(out + ["", FIXES_END])


def readme_with_fixes(readme: str, rules) -> str | None:
    """The README with its list of fixable rules brought up to date; None when it has no place for one."""
    start, end = readme.find(FIXES_START), readme.find(FIXES_END)
    if start < 0 or end < start:
        return None
    return readme[:start] + fixes_markdown(rules) + readme[end + len(FIXES_END):]


def _links(rules) -> str:
    return ", ".join(f"[{r.code}](#{anchor(r)})" for r in rules)


def mapping_tables(rules) -> list[str]:
    """Every BuildKit check and every hadolint rule, with the dfcheck rules that answer to it (from the rules'
    metadata), or why none does (dfcheck.mappings)."""
    from .mappings import BUILDKIT_CHECKS, BUILDKIT_NOT_MAPPED, HADOLINT_NOT_MAPPED, HADOLINT_RULES

    out = ["## BuildKit's build checks", "",
           "`# check=skip=NAME` silences the dfcheck rules mapped to NAME.", "",
           "| BuildKit check | What it checks | dfcheck |", "|---|---|---|"]
    for name, what in BUILDKIT_CHECKS.items():
        mapped = [r for r in rules if name in r.buildkit]
        answer = _links(mapped) if mapped else _cell(BUILDKIT_NOT_MAPPED.get(name, "not yet"))
        out.append(f"| {name} | {_cell(what)} | {answer} |")
    out += ["", "## hadolint's rules", "",
            "`# hadolint ignore=DLxxxx` silences the dfcheck rules mapped to that code.", "",
            "| hadolint | What it checks | dfcheck |", "|---|---|---|"]
    for code, what in HADOLINT_RULES.items():
        mapped = [r for r in rules if code in r.hadolint]
        answer = _links(mapped) if mapped else _cell(HADOLINT_NOT_MAPPED.get(code, "not yet"))
        out.append(f"| {code} | {_cell(what)} | {answer} |")
    return out


def builtin_rules():
    from .engine import load_rules

    return [r for r in load_rules() if r.origin == "dfcheck"]


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m dfcheck.docs",
                                description="Write the built-in rules' pages to docs/rules.md, the list of "
                                            "fixable rules into README.md and the rule index to "
                                            "rules/_index.py.")
    p.add_argument("path", nargs="?", help=f"where to write the pages (default: {RULES_MD}; given: only them)")
    p.add_argument("--readme", metavar="FILE", help=f"the README whose list to update (default: {README}, "
                                                     "unless a path is given)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is out of date")
    args = p.parse_args(argv)
    rules = builtin_rules()
    targets = [(args.path or RULES_MD, lambda current: rules_markdown(rules))]
    readme = args.readme or (README if args.path is None else None)
    if readme is not None:
        targets.append((readme, lambda current: readme_with_fixes(current or "", rules)))
    if args.path is None:
        from .rule_index import INDEX, index_source

        targets.append((INDEX, lambda current: index_source(rules)))
    status = 0
    for path, make in targets:
        try:
            with open(path, encoding="utf-8", newline="") as f:
                current = f.read()
        except OSError:
            current = None
        text = make(current)
        if text is None:
            sys.stderr.write(f"{path} has no list of fixable rules: put the lines {FIXES_START} and "
                             f"{FIXES_END} where it goes\n")
            status = 2
        elif args.check:
            if current != text:
                sys.stderr.write(f"{path} is out of date: run `{REGENERATE}`\n")
                status = max(status, 1)
        elif current != text:
            status = max(status, _write(path, text))
    return status


def _write(path: str, text: str) -> int:
    import os

    from .files import write_atomic

    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_atomic(path, text)
    except OSError as e:
        sys.stderr.write(f"cannot write {path}: {e.strerror or e}\n")
        return 2
    sys.stderr.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
