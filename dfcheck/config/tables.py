"""Reading a configuration file (TOML, with `extend`) and validating its table: every key, rule and value."""

from __future__ import annotations

import os
import sys

from ..globs import compile_globs
from ..rule import SEVERITIES, Rule
from .selectors import _hint, join_notes, resolve_selector, rule_for, rules_for
from .settings import FAIL_LEVELS, KEYS, MAX_CONFIG_BYTES, Config, ConfigError, toml_value

def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _read_config_bytes(path: str) -> bytes:
    from ..reading import ReadError, read_regular

    try:
        return read_regular(path, MAX_CONFIG_BYTES)
    except ReadError as e:
        raise ConfigError(f"{_display(path)}: cannot read: {e}") from None


def load_toml(path: str, raw: bytes | None = None) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # imported only when there is a file to read: it is not free
        import tomli as tomllib
    if raw is None:
        raw = _read_config_bytes(path)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(_toml_error(path, str(e), raw)) from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{_display(path)}: cannot read: {e}") from None
    except RecursionError:  # the parser recurses once per level of nested arrays and inline tables
        line, column = _deepest(raw.decode("utf-8"))
        raise ConfigError(f"{_display(path)}:{line}:{column}: invalid TOML: arrays or inline tables nested too "
                          "deeply") from None


def _deepest(text: str) -> tuple[int, int]:
    """(line, column) of the first bracket at the deepest nesting of arrays and inline tables in TOML text
    (strings and comments skipped, roughly: this only places an error message)."""
    depth = deepest = 0
    where = (1, 1)
    line, start, i, n = 1, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, start = line + 1, i + 1
        elif ch == "#":
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
            continue
        elif ch in "\"'":
            close = i + 1
            while close < n and text[close] not in (ch, "\n"):
                close += 2 if ch == '"' and text[close] == "\\" else 1
            i = close + 1 if close < n and text[close] == ch else close  # (a newline is counted next turn)
            continue
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, (line, i - start + 1)
        elif ch in "]}":
            depth -= 1
        i += 1
    return where


def _toml_error(path: str, message: str, raw: bytes) -> str:
    """`FILE:LINE:COLUMN: invalid TOML: what`, from tomllib's "what (at line 3, column 7)"."""
    what, found, position = message.rpartition(" (at line ")
    if found and position.endswith(")"):
        line, _, column = position[:-1].partition(", column ")
        return f"{_display(path)}:{line}:{column}: invalid TOML: {what}"
    what, found, _ = message.rpartition(" (at end of document)")
    if found:
        lines = raw.count(b"\n") + 1
        return f"{_display(path)}:{lines}: invalid TOML: {what} at the end of the file"
    return f"{_display(path)}: invalid TOML: {message}"


def read_config_file(path: str, rules, _extending: tuple[str, ...] = ()) -> Config:
    """Load and validate one configuration file (a pyproject.toml contributes its [tool.dfcheck] table, a
    .hadolint.yaml what it says in dfcheck's terms), and the file it extends, if any."""
    path = os.path.abspath(path)
    if path.endswith((".yaml", ".yml")):
        return read_hadolint(path, rules)[1]
    data = load_toml(path)
    section = ""
    if os.path.basename(path) == "pyproject.toml":
        section = "[tool.dfcheck] "
        data = data.get("tool", {}).get("dfcheck", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{_display(path)}: [tool.dfcheck] must be a table")
    root = os.path.dirname(path)
    config = parse_table(data, rules, root=root, where=_display(path), section=section, path=path)
    if "extend" in data:
        base = os.path.normpath(os.path.join(root, os.path.expanduser(data["extend"])))
        where = f'{_display(path)}: {section}"extend"'
        if base == path or base in _extending:
            raise ConfigError(f"{where}: {_display(base)} extends itself, through "
                              + " -> ".join(_display(p) for p in (*_extending, path, base)))
        if not os.path.isfile(base):
            raise ConfigError(f"{where}: {_display(base)}: no such file")
        _inherit(config, read_config_file(base, rules, (*_extending, path)), data)
    return config


def read_hadolint(path: str, rules):
    """A `.hadolint.yaml` read, translated (`dfcheck.hadolint.translate`) and checked: the translation and the
    dfcheck configuration it amounts to, with one note saying so."""
    from ..hadolint import load_yaml, translate  # PyYAML only for those who have such a file

    where = _display(path)
    translation = translate(load_yaml(path), rules, where)
    config = parse_table(translation.table, rules, root=os.path.dirname(os.path.abspath(path)), where=where,
                         path=path)
    summary = f"{where}: read as dfcheck configuration (no dfcheck configuration applies)"
    if translation.notes:
        summary += "; not carried over: " + ", ".join(translation.notes)
    config.notes = [summary + "; `dfcheck config --from-hadolint` prints it as [tool.dfcheck]"]
    return translation, config


def _inherit(config: Config, base: Config, given: dict) -> None:
    """What `config` does not say comes from the configuration it extends; tables (severity, build-args,
    options) are merged, key by key; the selection is applied in layers: the base's, then this file's."""
    for key in ("fail-on", "context", "target", "exclude", "respect-gitignore", "build-files"):
        if key not in given:
            attribute = key.replace("-", "_")
            setattr(config, attribute, getattr(base, attribute))
    if "per-file-ignores" not in given:
        config.per_file_ignores = base.per_file_ignores
    config.extend_exclude = base.extend_exclude + config.extend_exclude
    config.severity = {**base.severity, **config.severity}
    config.build_args = {**base.build_args, **config.build_args}
    for code, options in base.options.items():
        config.options[code] = {**options, **config.options.get(code, {})}
    config.base = base
    config.notes = base.notes + config.notes


def extended(config: Config) -> list[Config]:
    """The configuration and those it extends, the farthest first."""
    chain = []
    while config is not None:
        chain.append(config)
        config = config.base
    return chain[::-1]


def parse_table(data: dict, rules, *, root: str, where: str, section: str = "", path: str | None = None,
                cli: bool = False) -> Config:
    """Validate a configuration table. `where` names its origin in errors; `cli`: keys are option names."""
    config = Config(path=path, root=root)

    def label(key: str) -> str:
        return f"--{key}" if cli else f'{where}: {section}"{key}"'

    def strings(key: str, value) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{label(key)} must be a list of strings")
        return value

    def table(key: str, value) -> dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{label(key)} must be a table")
        return value

    notes: list[tuple[str, str]] = []

    def codes(key: str, selectors, removing: bool = False) -> frozenset[str]:
        out = set()
        for s in strings(key, selectors):
            out |= resolve_selector(s, rules, label(key), notes, removing=removing)
        return frozenset(out)

    for key, value in data.items():
        if key not in KEYS or (cli and key == "extend"):
            raise ConfigError(f'{where}: unknown key "{key}"' + (f" in {section.strip()}" if section else "")
                              + _hint(key, KEYS))
        if key == "extend":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{label(key)} must be a string (the configuration file this one extends)")
        elif key == "select":
            config.select = codes(key, value)
        elif key == "extend-select":
            config.extend_select = codes(key, value)
        elif key in ("ignore", "extend-ignore"):
            config.ignore = config.ignore | codes(key, value, removing=True)
        elif key == "per-file-ignores":
            for glob, selectors in table(key, value).items():
                config.per_file_ignores.append((compile_globs([glob]), codes(f"{key}.{glob}", selectors, True), root))
        elif key == "severity":
            for word, level in table(key, value).items():
                found = rules_for(word, rules, label(key), notes)
                if level not in SEVERITIES:
                    raise ConfigError(f'{label(key)}: {word} = "{level}": severity must be one of '
                                      f"{', '.join(SEVERITIES)}{_hint(str(level), SEVERITIES)}")
                config.severity.update((r.code, level) for r in found)
        elif key == "fail-on":
            if value not in FAIL_LEVELS:
                raise ConfigError(f'{label(key)} = "{value}": must be one of {", ".join(FAIL_LEVELS)}'
                                  + _hint(str(value), FAIL_LEVELS))
            config.fail_on = value
        elif key == "context":
            if not isinstance(value, str):
                raise ConfigError(f"{label(key)} must be a string (a directory)")
            config.context = os.path.normpath(os.path.join(root, value))
        elif key == "target":
            if not isinstance(value, str):
                raise ConfigError(f"{label(key)} must be a string (a stage name)")
            config.target = value
        elif key == "build-args":
            for name, arg in table(key, value).items():
                if isinstance(arg, bool) or not isinstance(arg, (str, int, float)):
                    raise ConfigError(f"{label(key)}: {name} must be a string")
                config.build_args[name] = str(arg)
        elif key == "exclude":
            config.exclude = (compile_globs(strings(key, value)), root)
        elif key == "extend-exclude":
            config.extend_exclude = [(compile_globs(strings(key, value)), root)]
        elif key in ("respect-gitignore", "build-files"):
            if not isinstance(value, bool):
                raise ConfigError(f"{label(key)} must be true or false")
            setattr(config, key.replace("-", "_"), value)
        elif key == "options":
            for word, opts in table(key, value).items():
                r = rule_for(word, rules, label(key), notes)
                config.options[r.code] = _rule_options(r, table(f"{key}.{word}", opts), label(f"{key}.{word}"))
    config.notes = join_notes(notes)
    return config


def _rule_options(r: Rule, given: dict, where: str) -> dict:
    if not r.options:
        raise ConfigError(f"{where}: rule {r.code} ({r.name}) has no options")
    for key, value in given.items():
        option = r.option(key)
        if option is None:
            raise ConfigError(f'{where}: unknown option "{key}" of {r.code} ({r.name}){_hint(key, r.options)}; '
                              f"its options: {', '.join(r.options)}")
        if not option.accepts(value):
            raise ConfigError(f'{where}: "{key}" must be {option.expected}, not {toml_value(value)}')
    return given
