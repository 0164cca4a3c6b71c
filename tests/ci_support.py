"""Shared by the SARIF, CI format and docs tests: rules whose messages are hard to escape, a plugin rule, a
security rule, and SARIF schema validation."""

import json
import re
from pathlib import Path

import pytest

from dfcheck import engine
from dfcheck.rule import Edit, Finding, Fix, rule
from throwaway_rules import rule_set

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCHEMA = SHARED / "sarif" / "sarif-schema-2.1.0.json"

# Every character some format must escape: `%` (workflow commands), `:` and `,` (their properties), a
# newline, `<` and `&` (XML), `"` (XML attributes and JSON).
MESSAGE = 'odd %25 value: a,b\nsecond <line> & "quoted" > end'


@rule("DF990", "special-chars", "warning", fixable=True, tags=("test",))
def special_chars(model, options):
    """Reports the first instruction with a message full of characters that formats must escape.

    ## Fix safety
    Safe: it rewrites the keyword as it is.
    """
    for node in model.dockerfile.instructions[:1]:
        yield Finding(node.keyword_span, MESSAGE, fix=Fix("safe", [Edit(node.keyword_span, node.keyword)],
                                                          "Rewrite the keyword"))


@rule("DF699", "secret-in-env", "error")
def secret_in_env(model, options):
    """Reports an ENV whose name says it holds a secret.

    ## What it does
    Looks at ENV keys named like PASSWORD or TOKEN.
    """
    for node in model.dockerfile.instructions:
        if node.keyword == "ENV" and "PASSWORD" in node.args_text:
            yield Finding(node.span, "a secret in ENV")


@rule("DF801", "plugin-every-copy", "info")
def plugin_every_copy(model, options):
    """Reports every COPY (a plugin's rule)."""
    for node in model.dockerfile.instructions:
        if node.keyword == "COPY":
            yield Finding(node.keyword_span, "a COPY")


PLUGIN = plugin_every_copy.replace(origin="dfcheck-example-pack")


def use_rules(monkeypatch, *extra):
    """Lint with DF001, DF003, the throwaway rules and these, instead of whatever rules/ holds today."""
    rules = sorted(rule_set(special_chars, secret_in_env, PLUGIN, *extra), key=lambda r: r.code)
    monkeypatch.setattr(engine, "_loaded", rules)
    return rules


def clean_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------- SARIF schema validation

_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*\Z")
_URI_REFERENCE = re.compile(r"[^\s<>\"{}|\\^`]*\Z")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _validator():
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA} (../shared is absent)")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    # jsonschema checks `uri` formats only with optional packages; these are RFC 3986's character rules.
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(lambda v: not isinstance(v, str) or bool(_URI.match(v) and not _PERCENT.search(v)))
    checker.checks("uri-reference")(
        lambda v: not isinstance(v, str) or bool(_URI_REFERENCE.match(v) and not _PERCENT.search(v)))
    return cls(schema, format_checker=checker)


def schema_errors(log) -> list[str]:
    """The log's schema violations; skips the test when the schema is absent."""
    data = json.loads(log) if isinstance(log, str) else log
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(data)]


def violations(log) -> list[str]:
    """Like schema_errors, for tests about something else: without the schema there is nothing to check."""
    return schema_errors(log) if SCHEMA.is_file() else []
