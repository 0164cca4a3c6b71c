"""hadolint's configuration file (`.hadolint.yaml`, `.hadolint.yml`) in dfcheck's terms.

When no dfcheck configuration applies to a Dockerfile, the closest `.hadolint.yaml` does (see config.py), read
through `translate`: hadolint's codes become the dfcheck rules that answer to them (`Rule.hadolint`), and what
has no dfcheck counterpart is left out with a note. `dfcheck config --from-hadolint` prints the same translation
as a `[tool.dfcheck]` table, to move to dfcheck's own configuration for good.

    ignored: [DL3008, SC2086]          -> ignore = ["DF503"]; [options.DF702] exclude = ["SC2086"]
    override: {error: [DL3020]}        -> severity = { DF401 = "error" }
    trustedRegistries: [docker.io]     -> extend-select = ["DF606"]; [options.DF606] allowed-registries = [...]
    failure-threshold: warning         -> fail-on = "warning" (`none` and `ignore`: "never")
    no-fail: true                      -> fail-on = "never"
    label-schema, strict-labels        -> nothing: dfcheck has no label rules (a note says so)
    disable-ignore-pragma, format, no-color, verbose: nothing (a note says so)

PyYAML is imported here only, so only runs that read such a file pay for it.
"""

from __future__ import annotations

import os

from .config.settings import ConfigError, toml_value
from .rule import SEVERITIES

LEVELS = {"error": "error", "warning": "warning", "info": "info", "style": "style", "ignore": "never",
          "none": "never"}
OUTPUT_KEYS = ("format", "no-color", "verbose", "disable-ignore-pragma")
LABEL_KEYS = ("label-schema", "strict-labels")


class Translation:
    """A hadolint configuration as a dfcheck table, with where each entry came from and what was left out."""

    __slots__ = ("table", "origins", "notes")

    def __init__(self):
        self.table: dict = {}
        self.origins: dict[str, list[str]] = {}  # key (or "options.DF606") -> the hadolint settings it comes from
        self.notes: list[str] = []  # what does not carry over

    def origin(self, key: str, text: str) -> None:
        if text not in self.origins.setdefault(key, []):
            self.origins[key].append(text)


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def load_yaml(path: str) -> dict:
    """The mapping a YAML file holds; a ConfigError naming the file, line and column when it is not one."""
    import yaml

    try:
        with open(path, "rb") as f:
            data = yaml.safe_load(f)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{_display(path)}:{mark.line + 1}:{mark.column + 1}" if mark else _display(path)
        raise ConfigError(f"{where}: invalid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{_display(path)}: invalid YAML: {str(e).splitlines()[0]}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{_display(path)}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{_display(path)}: a hadolint configuration is a mapping of settings, not a "
                          f"{type(data).__name__}")
    return data


def _codes(value, key: str, where: str, what: str = "rule codes") -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: "{key}" must be a list of {what}')
    return [v.strip() for v in value if v.strip()]


def _rules_of(code: str, rules) -> list:
    upper = code.upper()
    return [r for r in rules if upper in r.hadolint]


def _is_shellcheck(code: str) -> bool:
    return len(code) == 6 and code[:2].upper() == "SC" and code[2:].isdigit()


def _named(found) -> str:
    return ", ".join(r.code for r in found)


def translate(data: dict, rules, where: str) -> Translation:
    """What a hadolint configuration says, as a dfcheck table."""
    out = Translation()
    unmapped: list[str] = []
    ignore: list[str] = []
    shellcheck: list[str] = []
    shellcheck_rule = next((r for r in rules if r.code == "DF702"), None)  # ShellCheck's findings, by SC code
    for code in _codes(data.get("ignored"), "ignored", where):
        found = _rules_of(code, rules)
        if _is_shellcheck(code) and shellcheck_rule is not None:
            shellcheck.append(code.upper())
        elif not found:
            unmapped.append(code)
        for r in found:
            if r.code not in ignore:
                ignore.append(r.code)
        if found:
            out.origin("ignore", f"{code} ({_named(found)})")
    if ignore:
        out.table["ignore"] = ignore
    if shellcheck:
        out.table.setdefault("options", {})["DF702"] = {"exclude": shellcheck}
        out.origin("options.DF702", "ignored ShellCheck codes")

    override = data.get("override") or {}
    if not isinstance(override, dict):
        raise ConfigError(f'{where}: "override" must be a mapping of severities to lists of rule codes')
    severity: dict[str, str] = {}
    for level, codes in override.items():
        if level not in SEVERITIES:
            raise ConfigError(f'{where}: "override": unknown severity "{level}"; hadolint\'s are '
                              + ", ".join(SEVERITIES))
        for code in _codes(codes, f"override.{level}", where):
            found = _rules_of(code, rules)
            if not found:
                (out.notes.append(f"override {level} {code} (ShellCheck findings keep ShellCheck's severity)")
                 if _is_shellcheck(code) else unmapped.append(code))
            for r in found:
                severity[r.code] = level
            if found:
                out.origin("severity", f"{code} ({_named(found)})")
    if severity:
        out.table["severity"] = severity

    registries = _codes(data.get("trustedRegistries"), "trustedRegistries", where, "registries")
    trusted = next((r for r in _rules_of("DL3026", rules) if "allowed-registries" in r.options), None)
    if registries and trusted is None:
        out.notes.append("trustedRegistries (no dfcheck rule answers to DL3026)")
    elif registries:
        out.table["extend-select"] = [trusted.code]  # hadolint checks DL3026 only when registries are given
        out.table.setdefault("options", {})[trusted.code] = {"allowed-registries": registries}
        out.origin("extend-select", "trustedRegistries (DL3026)")
        out.origin(f"options.{trusted.code}", "trustedRegistries")

    threshold = data.get("failure-threshold")
    if threshold is not None:
        if threshold not in LEVELS:
            raise ConfigError(f'{where}: "failure-threshold" must be one of {", ".join(LEVELS)}')
        out.table["fail-on"] = LEVELS[threshold]
        out.origin("fail-on", "failure-threshold")
    if data.get("no-fail") is True:
        out.table["fail-on"] = "never"
        out.origin("fail-on", "no-fail")

    if unmapped:
        out.notes.append(f"{', '.join(dict.fromkeys(unmapped))} (no dfcheck rule answers to "
                         f"{'it' if len(set(unmapped)) == 1 else 'them'})")
    labels = [k for k in LABEL_KEYS if data.get(k)]
    if labels:
        out.notes.append(f"{' and '.join(labels)} (dfcheck has no label rules)")
    for key in OUTPUT_KEYS:
        if key in data:
            out.notes.append(f"{key} (dfcheck's command-line options do that)")
    known = {"ignored", "override", "trustedRegistries", "failure-threshold", "no-fail", *LABEL_KEYS, *OUTPUT_KEYS}
    for key in data:
        if key not in known:
            out.notes.append(f'"{key}" (not a hadolint setting dfcheck knows)')
    return out


def to_toml(translation: Translation, path: str) -> str:
    """The `[tool.dfcheck]` table a hadolint configuration amounts to (`dfcheck.config.read_hadolint`: read and
    checked), with comments saying where each line comes from and what was left out."""
    where = _display(path)
    table = translation.table

    def comment(key: str) -> str:
        origins = translation.origins.get(key)
        return f"  # {', '.join(origins)}" if origins else ""

    lines = [f"# dfcheck's configuration translated from {where}, for pyproject.toml (for .dfcheck.toml, drop",
             "# the [tool.dfcheck] line and `tool.dfcheck.` from the table names)."]
    lines += [f"# Not carried over: {note}." for note in translation.notes]
    lines += ["# hadolint runs ShellCheck on every RUN; dfcheck does with DF702, off by default:",
              '# extend-select = ["DF702"] (it needs ShellCheck: pip install \'dfcheck-lint[shellcheck]\').',
              "[tool.dfcheck]"]
    for key in ("extend-select", "ignore", "severity", "fail-on"):
        if key in table:
            lines.append(f"{key} = {toml_value(table[key])}{comment(key)}")
    for code, options in table.get("options", {}).items():
        lines += ["", f"[tool.dfcheck.options.{code}]{comment(f'options.{code}')}"]
        lines += [f"{name} = {toml_value(value)}" for name, value in options.items()]
    return "\n".join(lines) + "\n"
