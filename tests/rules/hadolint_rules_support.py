"""Helpers shared by the tests split out of test_hadolint_rules.py."""

from dfcheck.config import default_settings

from dfcheck.engine import lint_text, load_rules


def lint(text):
    result = lint_text(text, "Dockerfile", default_settings(load_rules()))
    assert result.errors == []
    return [(f.code, f.span.line, f.span.column) for f in result.findings]

