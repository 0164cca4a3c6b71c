"""Helpers shared by the tests split out of test_security_rules.py."""

from support import builtin_rules, model_of

from dfcheck.config import default_settings

from dfcheck.engine import lint_text

from dfcheck.rule import Options


RULES = builtin_rules()


SETTINGS = default_settings(RULES.values())


def run(code, source, options=None, **model_options):
    """Like support.findings, with rule options."""
    rule = RULES[code]
    merged = Options({**rule.options, **(options or {})})
    return [(code, f.span.line, f.span.column, f.message)
            for f in rule.check(model_of(source, **model_options), merged)]


def codes(source, settings=SETTINGS):
    return [f.code for f in lint_text(source, "Dockerfile", settings).findings]


def spans(found):
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in found]

