"""Every rule's page is tested: each Dockerfile of its "Example" section makes the rule report at least one
finding, and each Dockerfile of its "Use instead" section makes it report none.

The examples run through the engine (suppressions and all), with only that rule selected. What an
example needs besides the Dockerfile, it says in the same section, in blocks this test reads:

- a `toml` block sets the rule's options, as a configuration file would (`[tool.dfcheck.options.DF606]`
  or `[options.DF606]`);
- a `context` block lists the files of the build context, one path a line; `path: text` gives the file a
  line of text (a path named twice gets both lines: `.dockerignore: *.md` then `.dockerignore: !README.md`).
  Without one, the example has no build context.

A block in "Example" applies to "Use instead" too, unless that section has its own. Facts about base
images come from the table dfcheck ships: an example names a real image (`FROM debian:12`).
"""

import re
import sys

import pytest
from support import builtin_rules

from dfcheck.config import Settings
from dfcheck.engine import lint_text
from dfcheck.rule import Options

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


BLOCK = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
SECTIONS = ("Example", "Use instead")


def section(doc: str, title: str) -> str:
    """The text of a `## title` section of a rule's page ("" when it has none)."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    return m.group(1) if m else ""


def blocks(text: str, kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(text) if lang == kind]


def options_of(rule, tables: list[str]) -> Options:
    values = dict(rule.options)
    for text in tables:
        data = tomllib.loads(text)
        given = data.get("tool", {}).get("dfcheck", data).get("options", {}).get(rule.code, {})
        for name, value in given.items():
            assert rule.option(name) is not None and rule.option(name).accepts(value), (rule.code, name, value)
        values.update(given)
    return Options(values)


def make_context(root, listing: str) -> None:
    for line in listing.splitlines():
        path, _, text = line.strip().partition(": ")
        if not path:
            continue
        target = root / path.rstrip(":")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "a", encoding="utf-8") as f:
            f.write(text + "\n" if text else "")


def cases():
    for code, rule in sorted(builtin_rules().items()):
        example = section(rule.doc, "Example")
        for title in SECTIONS:
            text = section(rule.doc, title)
            settings = {kind: blocks(text, kind) or blocks(example, kind) for kind in ("toml", "context")}
            for i, dockerfile in enumerate(blocks(text, "dockerfile")):
                yield pytest.param(code, title, dockerfile, settings, id=f"{code}-{title.replace(' ', '-')}-{i}")


def reported(code: str, dockerfile: str, settings: dict, tmp_path) -> list:
    rule = builtin_rules()[code]
    context = None
    if settings["context"]:
        context = tmp_path / "context"
        context.mkdir()
        make_context(context, settings["context"][0])
    known = tuple(builtin_rules().values())
    result = lint_text(dockerfile, str(tmp_path / "no-context" / "Dockerfile"), Settings(
        [rule], known, options={code: options_of(rule, settings["toml"])},
        context_dir=None if context is None else str(context)))
    assert not result.errors, result.errors
    return [(f.span.line, f.message) for f in result.findings if f.code == code]


@pytest.mark.parametrize("code, title, dockerfile, settings", list(cases()))
def test_a_rule_page_example_does_what_it_says(code, title, dockerfile, settings, tmp_path):
    assert re.search(r"^FROM ", dockerfile, re.M), f"{code}: a whole Dockerfile, not a fragment"
    found = reported(code, dockerfile, settings, tmp_path)
    if title == "Example":
        assert found, f"{code}: its Example does not make it report"
    else:
        assert found == [], f"{code}: its Use instead makes it report"


def test_every_rule_page_has_an_example_and_what_to_use_instead():
    for code, rule in builtin_rules().items():
        for title in SECTIONS:
            assert blocks(section(rule.doc, title), "dockerfile"), (code, title)


def test_a_context_block_becomes_files(tmp_path):
    make_context(tmp_path, ".dockerignore: *.md\n.dockerignore: !README.md\nREADME.md\nsrc/app.py: print(1)\n")
    assert (tmp_path / ".dockerignore").read_text() == "*.md\n!README.md\n"
    assert (tmp_path / "README.md").read_text() == "" and (tmp_path / "src/app.py").read_text() == "print(1)\n"
