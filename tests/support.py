"""Helpers shared by the rule and model tests."""

import importlib
import pkgutil

import dfcheck.rules
from dfcheck.model import build_model
from dfcheck.rule import Rule
from dfcheck.syntax import parse


def builtin_rules() -> dict:
    """Code -> Rule for every built-in rule module."""
    found = {}
    for info in pkgutil.iter_modules(dfcheck.rules.__path__):
        module = importlib.import_module(f"dfcheck.rules.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Rule):
                found[value.code] = value
    return found


def model_of(source: str, **options):
    return build_model(parse(source), **options)


def findings(code: str, source: str, **model_options) -> list:
    """The findings of one rule on `source`, as (code, line, column, message) tuples."""
    rule = builtin_rules()[code]
    model = model_of(source, **model_options)
    return [(code, f.span.line, f.span.column, f.message) for f in rule.check(model, dict(rule.options))]


def raw_findings(code: str, source: str, **model_options) -> list:
    rule = builtin_rules()[code]
    return list(rule.check(model_of(source, **model_options), dict(rule.options)))
