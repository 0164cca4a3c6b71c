"""What a rule is, and what it reports: the API built-in rules and plugins share.

A rule is a function decorated with ``@rule``. It receives the build model and its options and
yields ``Finding`` objects with a span and a message (and, where safe or useful, a ``Fix``). The
engine fills in the code, name, severity and path. The function's docstring is the rule's page:
what it does, why it matters, an example, what to use instead, and the fix's safety.

    @rule("DF401", "add-instead-of-copy", "warning", hadolint=("DL3020",), fixable=True)
    def add_instead_of_copy(model, options):
        '''...'''
        for stage in model.stages:
            ...
            yield Finding(node.keyword_span, "use COPY ...", fix=Fix("safe", [Edit(span, "COPY")]))

Rules never parse text, read files or print: everything they need is in the model.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

from .syntax.nodes import Span

SEVERITIES = ("error", "warning", "info", "style")  # most to least severe


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span  # the text to replace; an empty span inserts
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    applicability: str  # "safe": keeps the build's meaning; "unsafe": changes it, review first
    edits: tuple[Edit, ...]
    description: str = ""

    def __init__(self, applicability: str, edits: Iterable[Edit], description: str = ""):
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "edits", tuple(edits))
        object.__setattr__(self, "description", description)


@dataclass(slots=True)
class Finding:
    span: Span
    message: str
    fix: Fix | None = None
    # Filled in by the engine:
    code: str = ""
    name: str = ""
    severity: str = ""
    path: str = ""
    suppressed: str | None = None  # the suppression comment that silenced it, when kept for output


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # "DF401"
    name: str  # "add-instead-of-copy"
    severity: str  # default severity, one of SEVERITIES
    check: Callable  # check(model, options) -> Iterable[Finding]
    doc: str  # the rule's page, in Markdown
    hadolint: tuple[str, ...] = ()  # hadolint codes whose suppressions also silence this rule
    buildkit: tuple[str, ...] = ()  # BuildKit check names, likewise for `# check=skip=`
    fixable: bool = False
    options: dict = field(default_factory=dict)  # option name -> default value
    tags: tuple[str, ...] = ()
    origin: str = "dfcheck"  # the distribution a plugin rule comes from
    enabled: bool = True  # selected by default; False: only when selected by code, name, prefix or ALL

    @property
    def summary(self) -> str:
        """The first sentence of the documentation."""
        return self.doc.strip().split("\n\n", 1)[0].replace("\n", " ")


def rule(code: str, name: str, severity: str, *, hadolint=(), buildkit=(), fixable=False, options=None, tags=(),
         enabled=True):
    """Decorator that makes a check function a Rule; the function's docstring is its documentation."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity must be one of {', '.join(SEVERITIES)}")

    def wrap(check: Callable) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            check=check,
            doc=inspect.cleandoc(check.__doc__ or ""),
            hadolint=tuple(hadolint),
            buildkit=tuple(buildkit),
            fixable=fixable,
            options=dict(options or {}),
            tags=tuple(tags),
            enabled=enabled,
        )

    return wrap
