"""SARIF 2.1.0 output, for GitHub code scanning and every other SARIF consumer.

The log is built from `sarif-om` objects (imported here only: the other formats never pay for it) and
serialized by `to_data` below, not by the object model's usual serializer. That one leaves out every property equal to its schema default, so `"level": "warning"` vanishes
from results and rule configurations and a reader that does not apply defaults sees no level at all; and it
writes a suppression's review status under the pre-release property name `state`, which the 2.1.0 schema
(where it is `status`) rejects. `to_data` writes every property the project set, drops only the object
model's placeholders for "absent" (None, the -1 of indexes and ranks, generated list defaults), and renames
`state` to `status`.

What the log holds, in one run:

- `tool.driver`: dfcheck's name, version, informationUri, and a `rules` entry for every built-in rule (id,
  name, short and full description, help as text and Markdown, default level and enablement, tags and
  precision, and `security-severity` for security rules); each plugin distribution's rules are a
  `tool.extensions` component of their own, which results point at through `rule.toolComponent`.
- `results`: ruleId, ruleIndex, level, message (ending with the builds the finding belongs to, `[service api]`,
  when the file is built several ways and not all of them have it; they are the result's `builds` property
  too), one location (the path relative to `%SRCROOT%`, the full
  region with UTF-16 columns as SARIF counts them), `partialFingerprints.primaryLocationLineHash` computed
  exactly as GitHub's upload computes it, and `fixes` for findings that carry one. Inline-suppressed findings
  are left out unless asked for; then they carry `suppressions` (kind `inSource`, the comment as
  justification).
- `invocations`: whether the run succeeded, and a notification for each file that could not be linted.
"""

from __future__ import annotations

import json
import os
import sys

from . import display, shown_message
from .paths import ci_root, relative_path

SARIF_VERSION = "2.1.0"
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note", "style": "note"}
# GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.5", "info": "3.0", "style": "1.0"}
FAMILY_TAGS = {"DF0": "syntax", "DF1": "build-cache", "DF2": "layers", "DF3": "runtime-config",
               "DF4": "instructions", "DF5": "shell-and-packages", "DF6": "security", "DF7": "embedded-code"}
# sarif-om was generated from a pre-release schema; these properties have other names in SARIF 2.1.0.
RENAMED = {("Suppression", "state"): "status"}


class SarifUnavailable(Exception):
    """sarif-om is not installed."""


def _om():
    try:
        import sarif_om
    except ImportError:
        raise SarifUnavailable("--format sarif needs the sarif-om package, a dependency of dfcheck-lint that is "
                               "missing here: pip install sarif-om") from None
    return sarif_om


# ---------------------------------------------------------------- serialization


def to_data(obj):
    """A sarif-om object tree as JSON-ready data, with SARIF's property names."""
    fields = getattr(type(obj), "__attrs_attrs__", None)
    if fields is not None:
        out = {}
        for field in fields:
            value = getattr(obj, field.name)
            if value is None or _placeholder(field.default, value):
                continue
            name = RENAMED.get((type(obj).__name__, field.name)) or field.metadata.get("schema_property_name",
                                                                                        field.name)
            out[name] = to_data(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, (list, tuple)):
        return [to_data(v) for v in obj]
    return obj


def _placeholder(default, value) -> bool:
    """Whether `value` is the object model's stand-in for "not given": -1 for an index, a rank or an
    offset, or a list default the model generates (`contents`, `newlineSequences`, `kinds`)."""
    factory = getattr(default, "factory", None)
    if factory is not None:
        return value == factory()
    return isinstance(default, (int, float)) and not isinstance(default, bool) and default == -1 and value == -1


# ---------------------------------------------------------------- GitHub's primaryLocationLineHash

_BLOCK = 100
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(37, _BLOCK, 1 << 64)
_EOF = 0xFFFF
_SPACE, _TAB, _LF, _CR = 0x20, 0x09, 0x0A, 0x0D


def line_hashes(text: str) -> dict[int, str]:
    """`primaryLocationLineHash` of every line, as github/codeql-action's upload computes it.

    Per line: a polynomial rolling hash (base 37, modulo 2**64) over the 100 UTF-16 code units that start the
    line, skipping spaces and tabs, with CR LF and lone CR read as LF, and the end of the file read as the
    unit 0xFFFF followed by zeros. The value is written in hex without leading zeros, followed by `:n` when
    it is the n-th line of the file with that hash. Lines are numbered as GitHub numbers them (CR, LF and
    CR LF each end a line).
    """
    codec = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
    units = memoryview(text.encode(codec, "surrogatepass")).cast("H").tolist()
    units.append(_EOF)
    window = [0] * _BLOCK
    starts = [0] * _BLOCK  # the line that starts at this window slot, 0 for none
    value = 0
    slot = 0
    line = 0
    at_line_start = True
    after_cr = False
    seen: dict[str, int] = {}
    out: dict[int, str] = {}

    def emit():
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out[starts[slot]] = f"{key}:{seen[key]}"
        starts[slot] = 0

    for unit in units:
        if unit == _SPACE or unit == _TAB or (after_cr and unit == _LF):
            after_cr = False
            continue
        after_cr = unit == _CR
        if after_cr:
            unit = _LF
        if starts[slot]:
            emit()
        if at_line_start:
            at_line_start = False
            line += 1
            starts[slot] = line
        if unit == _LF:
            at_line_start = True
        value = (37 * value + unit - _FIRST_MOD * window[slot]) & _MASK
        window[slot] = unit
        slot = (slot + 1) % _BLOCK
    for _ in range(_BLOCK):
        if starts[slot]:
            emit()
        value = (37 * value - _FIRST_MOD * window[slot]) & _MASK
        window[slot] = 0
        slot = (slot + 1) % _BLOCK
    return out


# ---------------------------------------------------------------- rules


def is_security(r) -> bool:
    return r.code.startswith("DF6") or "security" in r.tags


def _tag_value(r, prefix: str) -> str | None:
    for tag in r.tags:
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return None


def _section(doc: str, title: str) -> str:
    """The body of the doc's `## title` section, or ""."""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.strip().lstrip("#").strip().lower() == title.lower() and line.lstrip().startswith("#"):
            body = []
            for following in lines[i + 1:]:
                if following.lstrip().startswith("## "):
                    break
                body.append(following)
            return "\n".join(body).strip()
    return ""


def rule_descriptor(om, r):
    from ..docs import rule_markdown, rule_text, rule_url

    tags = [t for t in r.tags if ":" not in t]
    family = FAMILY_TAGS.get(r.code[:3]) if r.origin == "dfcheck" else None
    if family and family not in tags:
        tags.append(family)
    properties = {"tags": tags,
                  "precision": _tag_value(r, "precision:") or ("very-high" if r.code.startswith("DF0") else "high")}
    if is_security(r):
        if "security" not in tags:
            tags.append("security")
        properties["security-severity"] = _tag_value(r, "security-severity:") or SECURITY_SEVERITY[r.severity]
    summary = r.summary or f"{r.code} {r.name}"
    what = _section(r.doc, "What it does")
    return om.ReportingDescriptor(
        id=r.code,
        name=r.name,
        short_description=om.MultiformatMessageString(text=summary),
        full_description=om.MultiformatMessageString(text=f"{summary}\n\n{what}" if what else summary),
        help=om.MultiformatMessageString(text=rule_text(r), markdown=rule_markdown(r, 1)),
        help_uri=rule_url(r),
        default_configuration=om.ReportingConfiguration(level=LEVELS[r.severity], enabled=r.enabled),
        properties=properties,
    )


def _components(om, rules):
    """The driver and one extension per plugin distribution; {code: (extension index or None, rule index)}."""
    from .. import __version__
    from ..docs import home_page

    builtin = [r for r in rules if r.origin == "dfcheck"]
    plugins: dict[str, list] = {}
    for r in rules:
        if r.origin != "dfcheck":
            plugins.setdefault(r.origin, []).append(r)
    where = {r.code: (None, i) for i, r in enumerate(builtin)}
    driver = om.ToolComponent(name="dfcheck", version=__version__, semantic_version=__version__,
                              information_uri=home_page(), rules=[rule_descriptor(om, r) for r in builtin])
    extensions = []
    for index, (origin, members) in enumerate(sorted(plugins.items())):
        where.update({r.code: (index, i) for i, r in enumerate(members)})
        extensions.append(om.ToolComponent(name=origin, version=_version(origin),
                                           rules=[rule_descriptor(om, r) for r in members]))
    return driver, extensions or None, where


def _version(distribution: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(distribution)
    except Exception:
        return None


# ---------------------------------------------------------------- results


class _Columns:
    """SARIF counts columns in UTF-16 code units; dfcheck counts code points. They differ only on lines with
    characters outside the Basic Multilingual Plane."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def __call__(self, line: int, column: int) -> int:
        if not 1 <= line <= len(self.lines):
            return column
        text = self.lines[line - 1][:column - 1]
        return column + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _region(om, span, columns):
    return om.Region(start_line=max(span.line, 1), start_column=max(columns(span.line, span.column), 1),
                     end_line=max(span.end_line, 1), end_column=max(columns(span.end_line, span.end_column), 1))


def _artifact(om, path: str, root: str):
    rel = relative_path(path, root)
    if rel.startswith("/") or (len(rel) > 2 and rel[1] == ":"):
        return om.ArtifactLocation(uri=_file_uri(rel))
    return om.ArtifactLocation(uri=_quote(rel), uri_base_id=SRCROOT)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _file_uri(absolute: str) -> str:
    absolute = absolute.replace(os.sep, "/")
    if not absolute.startswith("/"):
        absolute = "/" + absolute
    return "file://" + _quote(absolute)


def _source_text(result) -> str:
    """The file's text exactly as linted, for the line hash."""
    if result.text is not None:
        return result.text
    return "".join(line + "\n" for line in result.lines)


def _fix(om, fix, path, root, columns):
    changes = om.ArtifactChange(
        artifact_location=_artifact(om, path, root),
        replacements=[om.Replacement(deleted_region=_region(om, e.span, columns),
                                     inserted_content=om.ArtifactContent(text=e.text)) for e in fix.edits],
    )
    text = fix.description or ("Apply the fix" if fix.applicability == "safe" else "Apply the fix (unsafe)")
    return om.Fix(artifact_changes=[changes], description=om.Message(text=text),
                  properties={"applicability": fix.applicability})


def build_log(report):
    """The SarifLog (sarif-om objects) for a Report."""
    om = _om()
    include_suppressed = display(report).include_suppressed
    root = ci_root("GITHUB_WORKSPACE")
    driver, extensions, where = _components(om, report.rules)

    results = []
    for file in report.files:
        findings = [f for f in file.findings if include_suppressed or f.suppressed is None]
        if not findings:
            continue
        hashes = line_hashes(_source_text(file))
        columns = _Columns(file.lines)
        for f in findings:
            component, index = where.get(f.code, (None, None))
            reference = None
            if component is not None:
                reference = om.ReportingDescriptorReference(
                    id=f.code, index=index,
                    tool_component=om.ToolComponentReference(name=extensions[component].name, index=component))
            location = om.Location(physical_location=om.PhysicalLocation(
                artifact_location=_artifact(om, f.path, root), region=_region(om, f.span, columns)))
            fingerprint = hashes.get(f.span.line)
            results.append(om.Result(
                rule_id=f.code,
                rule_index=index if index is not None else -1,
                rule=reference,
                kind="fail",
                level=LEVELS.get(f.severity, "warning"),
                message=om.Message(text=shown_message(f)),
                locations=[location],
                partial_fingerprints={"primaryLocationLineHash": fingerprint} if fingerprint else None,
                fixes=[_fix(om, f.fix, f.path, root, columns)] if f.fix is not None else None,
                suppressions=[om.Suppression(kind="inSource", state="accepted", justification=f.suppressed)]
                if f.suppressed is not None else None,
                properties={"builds": list(f.builds)} if f.builds else None,
            ))

    notifications = []
    for error in report.all_errors:
        locations = None
        if error.path and error.path != "-":
            locations = [om.Location(physical_location=om.PhysicalLocation(
                artifact_location=_artifact(om, error.path, root)))]
        notifications.append(om.Notification(message=om.Message(text=error.message), level="error",
                                              locations=locations))
    invocation = om.Invocation(execution_successful=not notifications,
                               tool_execution_notifications=notifications or None)
    run = om.Run(
        tool=om.Tool(driver=driver, extensions=extensions),
        results=results,
        invocations=[invocation],
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=_file_uri(root.rstrip("/\\") + "/"))},
        column_kind="utf16CodeUnits",
    )
    return om.SarifLog(version=SARIF_VERSION, schema_uri=SCHEMA_URI, runs=[run])


def render(report) -> str:
    data = to_data(build_log(report))
    data = {key: data[key] for key in ("$schema", "version", "runs")}  # the object model puts runs first
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
