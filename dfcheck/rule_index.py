"""The rule index: every built-in rule's facts, generated from the rules into `rules/_index.py`, so that a run
imports a rule's module only when the rule runs.

Importing the ~60 rule modules is about a fifth of a one-file run; a typical file has no ADD, WORKDIR,
MAINTAINER or HEALTHCHECK, and a rule that reports only on such instructions (`Rule.reads`) does not run on it.
The index gives the configuration everything it checks (codes, names, hadolint codes, BuildKit checks,
severities, options) without the modules; each indexed rule's check and page import the module on first use.

    rules = indexed_rules(RULES)     # Rule objects, checks and pages deferred
    text = index_source(rules)       # the index's source, from the real rules (`python -m dfcheck.docs`)

The index is regenerated with docs/rules.md, and a test holds it to the rules.
"""

from __future__ import annotations

import sys

from .rule import Option, Rule

INDEX = "rules/_index.py"
_PREFIX = "dfcheck.rules."


class _Deferred:
    """An indexed rule's check and page: its module imported, and the rule it defines found, on first use."""

    __slots__ = ("module", "function", "_rule")

    def __init__(self, module: str, function: str):
        self.module = module  # "dfcheck.rules.df401_add_instead_of_copy"
        self.function = function  # the name of the Rule the module defines
        self._rule: Rule | None = None

    def rule(self) -> Rule:
        if self._rule is None:
            __import__(self.module)
            self._rule = getattr(sys.modules[self.module], self.function)
        return self._rule

    def __call__(self, model, options):
        return self.rule().check(model, options)

    def doc(self) -> str:
        return self.rule().doc


def indexed_rules(rows) -> list[Rule]:
    """The Rule objects of the index's rows: (module, function, fields)."""
    out = []
    for module, function, fields in rows:
        deferred = _Deferred(_PREFIX + module, function)
        options = {o.name: o.default for o in fields.get("option_specs", ())}
        out.append(Rule(check=deferred, doc=deferred.doc, options=options, source=_PREFIX + module, **fields))
    return out


# The fields an index row holds: Rule's own but for the check, the page and the module (the row's first two),
# each with the value it takes when not given.
# (The options' defaults are those of `option_specs`.)
FIELDS = {"code": None, "name": None, "severity": None, "hadolint": (), "buildkit": (), "fixable": False, "tags": (),
          "enabled": True, "option_specs": (), "reads": (), "scope": "file"}


def index_source(rules: list[Rule]) -> str:
    """The source of rules/_index.py for these (built-in, imported) rules."""
    lines = [
        '"""The built-in rules\' facts, read by the command line instead of importing every rule module (see',
        "dfcheck.rule_index). Generated from the rules by `python -m dfcheck.docs`: do not edit.",
        '"""',
        "",
        "from dfcheck.rule import Option",
        "",
        "# (module, the name of the Rule it defines, Rule's fields)",
        "RULES = (",
    ]
    for r in rules:
        module = r.source[len(_PREFIX):]
        function = next(name for name, value in vars(_module(r.source)).items() if value is r)
        lines.append(f"    ({module!r}, {function!r}, {{")
        lines.extend(f"        {field!r}: {_literal(getattr(r, field))}," for field, default in FIELDS.items()
                     if getattr(r, field) != default or default is None)
        lines.append("    }),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def _module(name: str):
    return sys.modules[name]


def _literal(value) -> str:
    if isinstance(value, Option):
        kind = value.type if getattr(value.type, "__args__", None) else value.type.__name__
        return f"Option({value.name!r}, {kind}, {value.default!r}, {value.help!r})"
    if isinstance(value, tuple):
        items = [_literal(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, dict):  # (Options: a dict)
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in value.items()) + "}"
    return repr(value)
