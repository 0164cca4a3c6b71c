"""Inline suppressions: which findings a file's comments silence.

Forms understood:

- `# dfcheck: ignore=DF401,add-instead-of-copy -- reason` in the comment block directly above an
  instruction (contiguous comment lines, no blank line in between): silences those rules for findings that
  start within that instruction, continuation lines and heredoc bodies included. Without `=CODES` it
  silences every rule there. Codes may be separated by commas or spaces; the reason follows `--`.
- `# dfcheck: ignore-file=DF401` anywhere: silences those rules in the whole file (`ignore-file` alone: all).
- `# hadolint ignore=DL3020,DL3008` above an instruction and `# hadolint global ignore=DL3020` anywhere:
  silence the dfcheck rules whose `Rule.hadolint` lists those codes.
- A code the rules give their findings as a sub-code (`Finding.subcode`: DF702's ShellCheck codes, `SC2086`)
  may be named wherever a rule's code may, in both forms of both tools: it silences the findings with that
  sub-code.
- BuildKit's check directive `# check=skip=JSONArgsRecommended,StageNameCasing` (or `skip=all`): silences
  the dfcheck rules whose `Rule.buildkit` lists those checks (`all`: every rule mapped to a BuildKit check),
  except those its `experimental=` names (BuildKit runs an experimental check it is asked for even under
  `skip=all`). The `BUILDKIT_DOCKERFILE_CHECK` build argument, when given, replaces the directive, as in
  BuildKit. The same `# check=skip=...` comment directly above an instruction silences those rules for
  that instruction only (a dfcheck extension: BuildKit reads only the directive at the top of the file).

Only the engine sees which suppression silenced which finding, so it asks `unused()` for the DF003 findings.
"""

from __future__ import annotations

import re
from .rule import Finding
from .suggest import closest
from .syntax.nodes import Dockerfile, Span

# Patterns as strings: `re` compiles and caches them on first use, so files without such comments pay nothing.
DFCHECK = r"dfcheck\s*:"
DFCHECK_BODY = r"(ignore-file|ignore)\s*(?:=(.*))?"
HADOLINT = r"hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)"


class Suppression:
    __slots__ = ("source", "text", "span", "scope", "codes", "subcodes", "entries", "file_level", "malformed",
                 "used")

    def __init__(self, source: str, text: str, span: Span, scope: Span | None, codes: frozenset[str] | None, *,
                 subcodes: frozenset[str] = frozenset(), entries=(), file_level: bool = False,
                 malformed: bool = False):
        self.source = source  # "dfcheck", "hadolint" or "buildkit"
        self.text = text  # the comment as written, for Finding.suppressed
        self.span = span  # of the comment
        self.scope = scope  # the instruction it sits above (None: none, or a file-level suppression)
        self.codes = codes  # rule codes it silences; None: every rule
        self.subcodes = subcodes  # the other codes it names, upper-cased: findings' sub-codes it silences
        # dfcheck comments only: each code or name as written, with the rule code it names (None: unknown)
        self.entries: list[tuple[str, str | None]] = list(entries)
        self.file_level = file_level
        self.malformed = malformed
        self.used: set[str] = set()  # codes of the findings it silenced

    def covers(self, finding: Finding, by_subcode: bool = False) -> bool:
        """Whether it silences `finding`: by the finding's rule code, or (`by_subcode`) by its sub-code."""
        if by_subcode:
            if finding.subcode.upper() not in self.subcodes:
                return False
        elif self.codes is not None and finding.code not in self.codes:
            return False
        if self.file_level:
            return True
        return self.scope is not None and self.scope.line <= finding.span.line <= self.scope.end_line


def rule_code(word: str, rules) -> str | None:
    """The code of the rule a code or name names exactly, or None."""
    upper, lower = word.upper(), word.lower()
    for r in rules:
        if r.code == upper or r.name == lower:
            return r.code
    return None


class CheckOptions:
    """BuildKit's check settings for a file: `# check=skip=...;error=true;experimental=...`."""

    __slots__ = ("skip", "error", "experimental", "span")

    def __init__(self, skip=frozenset(), error=False, experimental=frozenset(), span=None):
        self.skip = skip  # lower-case check names, or "all"
        self.error = error  # findings of the rules mapped to BuildKit checks are errors
        self.experimental = experimental  # lower-case names of experimental checks to run, or "all"
        self.span = span  # of the directive; None when the options come from the build argument


def parse_check(value: str) -> tuple[frozenset, bool, frozenset]:
    """(skip, error, experimental) of a check directive's value, names lower-cased."""
    skip, error, experimental = set(), False, set()
    for part in value.split(";"):
        key, _, val = part.partition("=")
        key = key.strip().lower()
        names = {v.strip().lower() for v in val.split(",") if v.strip()}
        if key == "skip":
            skip |= names
        elif key == "experimental":
            experimental |= names
        elif key == "error":
            error = val.strip().lower() == "true"
    return frozenset(skip), error, frozenset(experimental)


def check_options(dockerfile: Dockerfile, build_args=None) -> CheckOptions:
    """The file's check settings: the BUILDKIT_DOCKERFILE_CHECK build argument when given, else the directive."""
    if build_args and "BUILDKIT_DOCKERFILE_CHECK" in build_args:
        return CheckOptions(*parse_check(build_args["BUILDKIT_DOCKERFILE_CHECK"]))
    directive = dockerfile.directive("check")
    if directive is None:
        return CheckOptions()
    return CheckOptions(*parse_check(directive.value), span=directive.span)


def named(rules, names) -> frozenset:
    """Codes of the rules mapped to any of the BuildKit check `names` (lower-case; "all": every mapped rule)."""
    return frozenset(r.code for r in rules
                     if r.buildkit and ("all" in names or names.intersection(b.lower() for b in r.buildkit)))


def collect(dockerfile: Dockerfile, rules, build_args=None) -> list[Suppression]:
    """Every suppression in a file, in source order."""
    found: list[Suppression] = []
    attached = {}  # id(comment) -> the instruction the comment sits directly above
    for node in dockerfile.instructions:
        line = node.span.line
        for comment in reversed(node.comments):
            if comment.span.end_line != line - 1:
                break
            attached[id(comment)] = node
            line = comment.span.line

    directive_spans = {d.span for d in dockerfile.directives + (dockerfile.frontend_directives or [])}
    for comment in dockerfile.comments:
        text = comment.text
        if not text[:8].lower().startswith(("dfcheck", "hadolint", "check")):  # the common case, cheaply
            continue
        node = attached.get(id(comment))
        scope = node.span if node is not None else None
        written = comment_source(dockerfile, comment.span)
        if text[:5].lower() == "check":
            key, equals, value = text.partition("=")
            if equals and key.strip().lower() == "check" and scope is not None \
                    and comment.span not in directive_spans:
                skipped, _, experimental = parse_check(value)
                codes = named(rules, skipped) - named(rules, experimental)
                if codes:
                    found.append(Suppression("buildkit", written, comment.span, scope, codes))
            continue
        if re.match(DFCHECK, text, re.IGNORECASE):
            found.append(_dfcheck(text, written, comment.span, scope, rules))
            continue
        m = re.match(HADOLINT, text, re.IGNORECASE)
        if m is None:
            continue
        wanted = {c.strip().upper() for c in m.group(2).split(",")}
        codes = frozenset(r.code for r in rules if wanted.intersection(h.upper() for h in r.hadolint))
        subcodes = frozenset(wanted)  # hadolint's own form names ShellCheck codes too: `ignore=SC2086`
        if m.group(1):
            found.append(Suppression("hadolint", written, comment.span, None, codes, subcodes=subcodes,
                                     file_level=True))
        elif scope is not None:
            found.append(Suppression("hadolint", written, comment.span, scope, codes, subcodes=subcodes))

    options = check_options(dockerfile, build_args)
    if options.skip:
        codes = named(rules, options.skip) - named(rules, options.experimental)
        if options.span is not None:
            written, span = comment_source(dockerfile, options.span), options.span
        else:
            written, span = "BUILDKIT_DOCKERFILE_CHECK", Span(1, 1, 1, 1)
        found.append(Suppression("buildkit", written, span, None, codes, file_level=True))
    return found


def comment_source(dockerfile: Dockerfile, span: Span) -> str:
    line = dockerfile.lines[span.line - 1] if 0 < span.line <= len(dockerfile.lines) else ""
    return line[span.column - 1:span.end_column - 1] if span.end_line == span.line else line[span.column - 1:]


def _dfcheck(text: str, written: str, span: Span, scope: Span | None, rules) -> Suppression:
    body = text[re.match(DFCHECK, text, re.IGNORECASE).end():]
    body = body.split("--", 1)[0].strip()  # what follows `--` is the reason
    m = re.fullmatch(DFCHECK_BODY, body, re.IGNORECASE | re.DOTALL)
    if m is None or (m.group(2) is not None and not m.group(2).strip()):
        return Suppression("dfcheck", written, span, scope, frozenset(), malformed=True)
    file_level = m.group(1).lower() == "ignore-file"
    if m.group(2) is None:
        return Suppression("dfcheck", written, span, scope, None, file_level=file_level)
    entries = [(word, rule_code(word, rules)) for word in re.split(r"[\s,]+", m.group(2).strip()) if word]
    codes = frozenset(code for _, code in entries if code)
    subcodes = frozenset(word.upper() for word, code in entries if code is None)
    return Suppression("dfcheck", written, span, scope, codes, subcodes=subcodes, entries=entries,
                       file_level=file_level)


def apply(suppressions: list[Suppression], findings: list[Finding]) -> None:
    """Mark each finding a suppression covers (`finding.suppressed` = the comment), the closest one first."""
    # The suppressions above an instruction, by the lines it spans: trying every one for every finding was
    # quadratic in a file with a suppression per instruction.
    by_line: dict[int, list[Suppression]] = {}
    file_level = [s for s in suppressions if s.file_level]
    for sup in suppressions:
        if not sup.file_level and sup.scope is not None:
            for line in range(sup.scope.line, sup.scope.end_line + 1):
                by_line.setdefault(line, []).append(sup)
    for finding in findings:
        if finding.suppressed is not None:
            continue
        candidates = (*by_line.get(finding.span.line, ()), *file_level)
        # a suppression naming the finding's sub-code is the more precise one: it is asked first
        for by_subcode in (True, False) if finding.subcode else (False,):
            sup = next((s for s in candidates if s.covers(finding, by_subcode)), None)
            if sup is not None:
                finding.suppressed = sup.text
                sup.used.add(finding.subcode.upper() if by_subcode else finding.code)
                break


def unused(suppressions: list[Suppression], rules, selected: set[str], own_code: str,
           incomplete: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings (span and message only) for the dfcheck suppressions, or codes in them, that silenced nothing.

    `rules` are all known rules, `selected` the codes that ran, `own_code` the unused-suppression rule's code,
    which is never reported unused itself (its findings come after this question is asked). `incomplete`: the
    codes of rules that did not check everything in this lint: a suppression of theirs, or of every rule, may
    yet silence something, and is not reported.
    """
    names = {r.code: r.name for r in rules}
    out = []
    for sup in suppressions:
        if sup.source != "dfcheck":
            continue
        if sup.malformed:
            out.append(Finding(sup.span, "malformed suppression: write `# dfcheck: ignore=CODE,...` or "
                                         "`# dfcheck: ignore-file=CODE,...`, then `-- reason` if you like"))
            continue
        if not sup.file_level and sup.scope is None:
            out.append(Finding(sup.span, "unused suppression: the comment is not directly above an instruction"))
            continue
        if sup.codes is None:
            if not sup.used and not incomplete:
                out.append(Finding(sup.span, "unused suppression: it silenced nothing"))
            continue
        for word, code in sup.entries:
            if re.fullmatch(r"SC\d{4}", word, re.IGNORECASE):
                continue  # a ShellCheck code: a sub-code of DF702's findings
            if code is None:
                guess = closest(word, [r.code for r in rules] + [r.name for r in rules])
                hint = f" (did you mean {guess}?)" if guess else ""
                out.append(Finding(sup.span, f"unknown rule in suppression: {word}{hint}"))
            elif code == own_code or code in incomplete:
                continue
            elif code not in selected:
                out.append(Finding(sup.span, f"unused suppression: {code} ({names[code]}) is not selected"))
            elif code not in sup.used:
                out.append(Finding(sup.span, f"unused suppression: {code} ({names[code]}) silenced nothing"))
    return out
