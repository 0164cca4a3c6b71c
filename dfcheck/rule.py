"""What a rule is, and what it reports: the API built-in rules and plugins share.

A rule is a function decorated with ``@rule``. It receives the build model and its options and
yields ``Finding`` objects with a span and a message (and, where safe or useful, a ``Fix``). The
engine fills in the code, name, severity and path. The function's docstring is the rule's page:
what it does, why it matters, an example, what to use instead, and the fix's safety.

    @rule("DF401", "add-instead-of-copy", "warning", hadolint=("DL3020",), fixable="safe")
    def add_instead_of_copy(model, options):
        '''...'''
        for stage in model.stages:
            ...
            yield Finding(node.keyword_span, "use COPY ...", fix=Fix("safe", [Edit(span, "COPY")]))

Rules never parse text, read files or print: everything they need is in the model.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from .records import fields_eq, fields_hash, fields_repr, replace
from .syntax.nodes import Span

SEVERITIES = ("error", "warning", "info", "style")  # most to least severe
# What `fixable` says of a rule's fixes: all safe, all unsafe, or safe or unsafe depending on the case.
# (True: fixable, safety not said; plugins written before these existed say that.)
FIX_SAFETIES = ("safe", "unsafe", "depends")

# Plain classes with __slots__, not dataclasses, for start-up time (see dfcheck.records). Edit, Fix and Rule
# are immutable by convention and compare and hash by value; Finding compares by value and is not hashable.


class Edit:
    __slots__ = ("span", "text")

    def __init__(self, span: Span, text: str):
        self.span = span  # the text to replace; an empty span inserts
        self.text = text

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash


class Fix:
    __slots__ = ("applicability", "edits", "description", "changes")

    def __init__(self, applicability: str, edits: Iterable[Edit], description: str = "",
                 changes: Iterable[str] = ()):
        self.applicability = applicability  # "safe": keeps the build's meaning; "unsafe": changes it, review first
        self.edits: tuple[Edit, ...] = tuple(edits)
        self.description = description
        # What the fix changes on purpose for the instructions it does not edit ("WORKDIR", "USER", "SHELL",
        # "ARG NAME", "ENV NAME"); the fix loop drops a fix that changes anything else they see.
        self.changes: tuple[str, ...] = tuple(changes)

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash


class Finding:
    __slots__ = ("span", "message", "fix", "code", "name", "severity", "path", "suppressed", "builds")

    def __init__(
        self,
        span: Span,
        message: str,
        fix: Fix | None = None,
        # Filled in by the engine:
        code: str = "",
        name: str = "",
        severity: str = "",
        path: str = "",
        suppressed: str | None = None,
        builds: tuple[str, ...] = (),
    ):
        self.span = span
        self.message = message
        self.fix = fix
        self.code = code
        self.name = name
        self.severity = severity
        self.path = path
        self.suppressed = suppressed  # the suppression comment that silenced it, when kept for output
        # the builds it belongs to ("service api", "bake target api") when the file is built several ways and
        # not all of them have it; () when every build has it
        self.builds = builds

    __repr__ = fields_repr
    __eq__ = fields_eq


class Rule:
    __slots__ = ("code", "name", "severity", "check", "doc", "hadolint", "buildkit", "fixable", "options", "tags",
                 "origin", "enabled")

    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        check: Callable,
        doc: str,
        hadolint: tuple[str, ...] = (),
        buildkit: tuple[str, ...] = (),
        fixable: bool | str = False,
        options: dict | None = None,
        tags: tuple[str, ...] = (),
        origin: str = "dfcheck",
        enabled: bool = True,
    ):
        self.code = code  # "DF401"
        self.name = name  # "add-instead-of-copy"
        self.severity = severity  # default severity, one of SEVERITIES
        self.check = check  # check(model, options) -> Iterable[Finding]
        self.doc = doc  # the rule's page, in Markdown
        self.hadolint = hadolint  # hadolint codes whose suppressions also silence this rule
        self.buildkit = buildkit  # BuildKit check names, likewise for `# check=skip=`
        self.fixable = fixable  # False, or one of FIX_SAFETIES (True: not said)
        self.options: dict = {} if options is None else options  # option name -> default value
        self.tags = tags
        self.origin = origin  # the distribution a plugin rule comes from
        self.enabled = enabled  # selected by default; False: only when selected by code, name, prefix or ALL

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash  # like the frozen dataclass it was: a TypeError, `options` being a dict

    def replace(self, **changes) -> Rule:
        """A copy with some fields changed: `rule.replace(origin="my-pack")`."""
        return replace(self, **changes)

    @property
    def summary(self) -> str:
        """The first sentence of the documentation."""
        return self.doc.strip().split("\n\n", 1)[0].replace("\n", " ")


def cleandoc(doc: str) -> str:
    """`inspect.cleandoc` (without importing inspect, ~2 ms): the indentation common to the lines after the
    first removed, the first line's leading whitespace and leading and trailing blank lines dropped."""
    lines = doc.expandtabs().split("\n")
    margin = sys.maxsize
    for line in lines[1:]:
        content = len(line.lstrip())
        if content:
            margin = min(margin, len(line) - content)
    if lines:
        lines[0] = lines[0].lstrip()
    if margin < sys.maxsize:
        for i in range(1, len(lines)):
            lines[i] = lines[i][margin:]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def rule(code: str, name: str, severity: str, *, hadolint=(), buildkit=(), fixable=False, options=None, tags=(),
         enabled=True):
    """Decorator that makes a check function a Rule; the function's docstring is its documentation."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity must be one of {', '.join(SEVERITIES)}")
    if not isinstance(fixable, bool) and fixable not in FIX_SAFETIES:
        raise ValueError(f"{code}: fixable must be True, False or one of {', '.join(FIX_SAFETIES)}")

    def wrap(check: Callable) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            check=check,
            doc=cleandoc(check.__doc__ or ""),
            hadolint=tuple(hadolint),
            buildkit=tuple(buildkit),
            fixable=fixable,
            options=dict(options or {}),
            tags=tuple(tags),
            enabled=enabled,
        )

    return wrap
