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
    __slots__ = ("span", "message", "fix", "code", "name", "severity", "path", "suppressed", "builds", "subcode")

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
        subcode: str = "",
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
        # the finding's own code within its rule (DF702: ShellCheck's "SC2086"), which a suppression may name
        self.subcode = subcode

    __repr__ = fields_repr
    __eq__ = fields_eq


# What a configuration value of each option type must be, as an error says it.
_EXPECTED = {bool: "true or false", int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a table"}


class Option:
    """An option a rule declares: `Option("min-bytes", int, 0, "report only from this many bytes")`.

    `type` is bool, int, float (any number), str, list, list[str] or dict, or object (any value). The
    configuration's value is checked against it when the configuration loads; the rule reads the value as
    an attribute of its options (`options.min_bytes`)."""

    __slots__ = ("name", "type", "default", "help")

    def __init__(self, name: str, type, default, help: str = ""):
        self.name = name  # as written in the configuration, kebab-case
        self.type = type
        self.default = default
        self.help = help  # one line, shown by `dfcheck rule CODE` and in docs/rules.md

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    @property
    def expected(self) -> str:
        """What a value must be: "a list of strings"."""
        item = getattr(self.type, "__args__", None)
        if item:
            return f"a list of {_EXPECTED[item[0]][2:]}s"
        return _EXPECTED.get(self.type, "any value")

    def accepts(self, value) -> bool:
        kind = getattr(self.type, "__origin__", self.type)
        if kind is object:
            return True
        if isinstance(value, bool) or kind is bool:
            return isinstance(value, bool) and kind is bool
        if kind is float:
            return isinstance(value, (int, float))
        if not isinstance(value, kind):
            return False
        item = getattr(self.type, "__args__", None)
        return not item or all(isinstance(v, item[0]) and not isinstance(v, bool) for v in value)


def _declared(name: str, default) -> Option:
    """The Option that an old-style `options={"name": default}` declares: any value of the default's kind."""
    if default is None:
        return Option(name, object, None)
    if isinstance(default, bool):
        return Option(name, bool, default)
    if isinstance(default, (int, float)):
        return Option(name, float, default)  # a number: plugins' int options took floats too
    return Option(name, next((t for t in (str, list, dict) if isinstance(default, t)), object), default)


class Rule:
    __slots__ = ("code", "name", "severity", "check", "_doc", "hadolint", "buildkit", "fixable", "options", "tags",
                 "origin", "enabled", "option_specs", "source", "reads", "scope")
    # the fields, as __init__ takes them: `doc` is a property over `_doc`
    _init = _compare = _shown = ("code", "name", "severity", "check", "doc", "hadolint", "buildkit", "fixable",
                                 "options", "tags", "origin", "enabled", "option_specs", "source", "reads",
                                 "scope")

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
        option_specs: tuple[Option, ...] = (),
        source: str = "",
        reads: tuple[str, ...] = (),
        scope: str = "file",
    ):
        self.code = code  # "DF401"
        self.name = name  # "add-instead-of-copy"
        self.severity = severity  # default severity, one of SEVERITIES
        self.check = check  # check(model, options) -> Iterable[Finding]
        self._doc = doc  # the rule's page, in Markdown (a _Docstring until first read)
        self.hadolint = hadolint  # hadolint codes whose suppressions also silence this rule
        self.buildkit = buildkit  # BuildKit check names, likewise for `# check=skip=`
        self.fixable = fixable  # False, or one of FIX_SAFETIES (True: not said)
        self.options = Options(options or {})  # option name -> default value
        # each option's type, default and help (declared by the rule, or read off its defaults)
        self.option_specs = tuple(option_specs)
        if not self.option_specs and self.options:
            self.option_specs = tuple(_declared(k, v) for k, v in self.options.items())
        self.source = source  # the module that defines the check: "dfcheck.rules.df401_add_instead_of_copy"
        self.tags = tags
        self.origin = origin  # the distribution a plugin rule comes from
        self.enabled = enabled  # selected by default; False: only when selected by code, name, prefix or ALL
        # The instructions the rule reports on: it finds nothing in a file without one of these keywords (ONBUILD
        # triggers count), so the engine does not run it, nor the command line import its module, for such a
        # file; () for every file.
        self.reads = reads
        self.scope = scope  # "stage": reads the file one stage at a time (see `rule`); "file": anything else

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash  # like the frozen dataclass it was: a TypeError, `options` being a dict

    def option(self, name: str) -> Option | None:
        """The declared option called `name`."""
        return next((o for o in self.option_specs if o.name == name), None)

    @property
    def doc(self) -> str:
        doc = self._doc
        if type(doc) is _Docstring:  # cleaned on first use: only pages, hovers and SARIF read it
            doc = self._doc = cleandoc(doc)
        elif not isinstance(doc, str):  # a rule of the rule index: the page is in its module, imported now
            doc = self._doc = doc()
        return doc

    def replace(self, **changes) -> Rule:
        """A copy with some fields changed: `rule.replace(origin="my-pack")`."""
        return replace(self, **changes)

    @property
    def defined_in(self) -> str:
        """Where to find the rule's code: "rules/df401_add_instead_of_copy.py" for a built-in rule (the
        repository's path), the module's name for a plugin's."""
        if self.source.startswith("dfcheck.rules."):
            return f"rules/{self.source[len('dfcheck.rules.'):]}.py"
        return self.source

    @property
    def summary(self) -> str:
        """The first sentence of the documentation."""
        return self.doc.strip().split("\n\n", 1)[0].replace("\n", " ")


class Options(dict):
    """A rule's option values, given to its check function: read as attributes, a hyphen in the option's
    name read as an underscore (`options.min_bytes` for `min-bytes`). It is the dict of name -> value that
    checks written before typed options read (`options.get("min-bytes", 0)`), so those keep working."""

    __slots__ = ()

    def __getattr__(self, attribute: str):
        for name in (attribute, attribute.replace("_", "-")):
            if name in self:
                return self[name]
        raise AttributeError(f"no option {attribute!r}; the options: {', '.join(self) or 'none'}")


class _Docstring(str):
    """A check function's docstring as written, cleaned (`cleandoc`) when the rule's `doc` is first read:
    cleaning the 75 built-in pages took ~4 ms of every run, which reads none of them."""

    __slots__ = ()


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


def rule(code: str, name: str, severity: str, *, hadolint=(), buildkit=(), fixable=False, options=(), tags=(),
         enabled=True, reads=(), scope="file"):
    """Decorator that makes a check function a Rule; the function's docstring is its documentation.

    `options`: the options the rule takes, a list of `Option`; or, as rules written before typed options
    did, a dict of name -> default (each option then takes any value of its default's kind).
    `reads`: the instruction keywords the rule reports on, when it can find nothing in a file without one
    of them (`reads=("EXPOSE",)`); the rule is then not run on such a file.

    `scope="stage"` declares that the rule reads the file one stage at a time: it goes through `model.stages`,
    each of its findings lies in the stage it was looking at (from its FROM line to the line before the next
    FROM), and depends only on that stage, the stages it is built on, copies or mounts from (with theirs), the
    lines before the first FROM, the names the file's ARGs and ENVs declare, the build and the options. A
    long-running process (the language server) then reuses its findings in the stages an edit left alone, and
    runs it with only the other stages (and theirs) in `model.stages` (see dfcheck.reuse)."""
    if scope not in ("file", "stage"):
        raise ValueError(f'{code}: scope must be "file" or "stage"')
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity must be one of {', '.join(SEVERITIES)}")
    if not isinstance(fixable, bool) and fixable not in FIX_SAFETIES:
        raise ValueError(f"{code}: fixable must be True, False or one of {', '.join(FIX_SAFETIES)}")

    specs = () if isinstance(options, dict) else tuple(options)
    defaults = dict(options) if isinstance(options, dict) else {o.name: o.default for o in specs}

    def wrap(check: Callable) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            check=check,
            doc=_Docstring(check.__doc__ or ""),
            hadolint=tuple(hadolint),
            buildkit=tuple(buildkit),
            fixable=fixable,
            options=defaults,
            tags=tuple(tags),
            enabled=enabled,
            option_specs=specs,
            source=check.__module__,
            reads=tuple(reads),
            scope=scope,
        )

    return wrap
