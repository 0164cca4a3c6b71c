"""Configuration: where it is found, what it may say, and what applies to each linted file.

Where it is found. For each linted file dfcheck looks in the file's directory, then in its parent, and so on
up to the root of the file system, and uses the first directory that holds a configuration file. Within one
directory `.dfcheck.toml` wins over `dfcheck.toml`, which wins over `pyproject.toml`; a `pyproject.toml`
counts only if it has a `[tool.dfcheck]` table. Exactly one file applies to a linted file: files in
different directories are not merged. `--config FILE` uses FILE for every linted file and `--no-config` uses
none. Standard input is looked up from the directory of `--stdin-filename`, or else the current directory.
Paths in a configuration file (`per-file-ignores` and `exclude` globs, `context`) are relative to the
directory of that file. Options given on the command line apply on top of the configuration file.

What it may say (keys of `[tool.dfcheck]` in `pyproject.toml`, top-level keys in the other two):

    select = ["DF1", "DF401"]        # codes, code prefixes, rule names or "ALL"; replaces the default set
    extend-select = ["DF003"]        # added to the selection
    ignore = ["DF103"]               # removed from the selection (extend-ignore: the same)
    per-file-ignores = { "legacy/**" = ["DF4"] }  # glob -> selectors; a glob without "/" matches names anywhere
    severity = { DF401 = "error" }   # rule code or name -> error | warning | info | style
    fail-on = "warning"              # exit 1 at or above: error | warning | info (default) | style | never
    context = "."                    # the build context directory (default: the Dockerfile's directory)
    target = "production"            # the stage built (default: the last)
    build-args = { VERSION = "1.2" }
    exclude = ["vendor", "tests/fixtures/**"]  # globs skipped when searching directories
    [tool.dfcheck.options.DF123]     # rule options, by code or name: only keys the rule declares

The selection is computed in order: the rules enabled by default; the file's `select` (replacing), its
`extend-select` (adding), its `ignore` and `extend-ignore` (removing); then the command line's `--select`
(replacing), `--extend-select`, `--ignore`; and last the file's `per-file-ignores` for that file.
Every unknown key, unknown rule and bad value is an error naming the file and the key, with the closest
valid spelling when there is one.
"""

from __future__ import annotations

import os
import re
import sys

from .discovery import compile_globs, glob_match
from .rule import SEVERITIES, Rule
from .suggest import closest

CONFIG_NAMES = (".dfcheck.toml", "dfcheck.toml", "pyproject.toml")  # highest precedence first
FAIL_LEVELS = SEVERITIES + ("never",)
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a larger configuration file is a mistake (or a link to something else)
DEFAULT_FAIL_ON = "info"
KEYS = (
    "select", "extend-select", "ignore", "extend-ignore", "per-file-ignores", "severity", "fail-on",
    "context", "target", "build-args", "exclude", "options",
)


class ConfigError(Exception):
    """A configuration or command-line value dfcheck cannot use; the message is one line for the user."""


class Config:
    """What one configuration file (or the command line) says, validated, with selectors resolved to codes."""

    # Plain classes rather than dataclasses here and in the engine: each dataclass costs ~0.3 ms at start-up.
    __slots__ = ("path", "root", "select", "extend_select", "ignore", "per_file_ignores", "severity", "fail_on",
                 "context", "target", "build_args", "exclude", "options")

    def __init__(self, path: str | None = None, root: str = "."):
        self.path = path  # None: no file (defaults, or the command line)
        self.root = root  # the directory relative paths are resolved against
        self.select: frozenset[str] | None = None  # None: keep the selection so far
        self.extend_select: frozenset[str] = frozenset()
        self.ignore: frozenset[str] = frozenset()
        self.per_file_ignores: list = []  # [(compiled globs, codes)]
        self.severity: dict[str, str] = {}
        self.fail_on: str | None = None
        self.context: str | None = None  # absolute
        self.target: str | None = None
        self.build_args: dict[str, str] = {}
        self.exclude: list = []  # compiled globs
        self.options: dict[str, dict] = {}


class Settings:
    """Everything that applies to linting one file."""

    __slots__ = ("rules", "known", "severity", "options", "fail_on", "context_dir", "target", "build_args")

    def __init__(self, rules, known, *, severity=None, options=None, fail_on: str = DEFAULT_FAIL_ON,
                 context_dir: str | None = None, target: str | None = None, build_args=None):
        self.rules: tuple[Rule, ...] = tuple(rules)  # the selected rules, in code order
        self.known: tuple[Rule, ...] = tuple(known)  # every loaded rule (suppressions may name any of them)
        self.severity: dict[str, str] = severity or {}  # code -> severity overriding the rule's
        self.options: dict[str, dict] = options or {}  # code -> the rule's options, defaults filled in
        self.fail_on = fail_on
        self.context_dir = context_dir
        self.target = target
        self.build_args: dict[str, str] = build_args or {}


def default_settings(rules) -> Settings:
    """The settings with no configuration at all: every rule enabled by default, default options."""
    rules = tuple(sorted(rules, key=lambda r: r.code))
    return Settings(
        (r for r in rules if r.enabled),
        rules,
        options={r.code: dict(r.options) for r in rules},
    )


# ---------------------------------------------------------------- suggestions


def _hint(word: str, candidates) -> str:
    guess = closest(word, candidates)
    return f' (did you mean "{guess}"?)' if guess else ""


# ---------------------------------------------------------------- selectors


def resolve_selector(selector: str, rules, where: str) -> frozenset[str]:
    """The codes a selector names: a code, a code prefix, a rule name, or ALL."""
    word = selector.strip()
    if word.upper() == "ALL":
        return frozenset(r.code for r in rules)
    upper, lower = word.upper(), word.lower()
    codes = frozenset(r.code for r in rules if r.name == lower or (upper and r.code.startswith(upper)))
    if not codes:
        candidates = [r.code for r in rules] + [r.name for r in rules] + ["ALL"]
        raise ConfigError(f'{where}: unknown rule "{word}"{_hint(word, candidates)}')
    return codes


def rule_for(word: str, rules, where: str) -> Rule:
    """The rule a code or a name (not a prefix) names."""
    upper, lower = word.upper(), word.lower()
    for r in rules:
        if r.code == upper or r.name == lower:
            return r
    candidates = [r.code for r in rules] + [r.name for r in rules]
    raise ConfigError(f'{where}: unknown rule "{word}"{_hint(word, candidates)}')


# ---------------------------------------------------------------- reading and validating


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _read_config_bytes(path: str) -> bytes:
    from .reading import ReadError, read_regular

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
        raise ConfigError(f"{_display(path)}: invalid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{_display(path)}: cannot read: {e}") from None
    except RecursionError:  # the parser recurses once per level of nested arrays and inline tables
        line, column = _deepest(raw.decode("utf-8"))
        raise ConfigError(f"{_display(path)}: invalid TOML: arrays or inline tables nested too deeply "
                          f"(at line {line}, column {column})") from None


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


def read_config_file(path: str, rules) -> Config:
    """Load and validate one configuration file (a pyproject.toml contributes its [tool.dfcheck] table)."""
    data = load_toml(path)
    section = ""
    if os.path.basename(path) == "pyproject.toml":
        section = "[tool.dfcheck] "
        data = data.get("tool", {}).get("dfcheck", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{_display(path)}: [tool.dfcheck] must be a table")
    root = os.path.dirname(os.path.abspath(path))
    return parse_table(data, rules, root=root, where=_display(path), section=section, path=os.path.abspath(path))


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

    def codes(key: str, selectors) -> frozenset[str]:
        out = set()
        for s in strings(key, selectors):
            out |= resolve_selector(s, rules, label(key))
        return frozenset(out)

    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f'{where}: unknown key "{key}"' + (f" in {section.strip()}" if section else "")
                              + _hint(key, KEYS))
        if key == "select":
            config.select = codes(key, value)
        elif key == "extend-select":
            config.extend_select = codes(key, value)
        elif key in ("ignore", "extend-ignore"):
            config.ignore = config.ignore | codes(key, value)
        elif key == "per-file-ignores":
            for glob, selectors in table(key, value).items():
                config.per_file_ignores.append((compile_globs([glob]), codes(f"{key}.{glob}", selectors)))
        elif key == "severity":
            for word, level in table(key, value).items():
                r = rule_for(word, rules, label(key))
                if level not in SEVERITIES:
                    raise ConfigError(f'{label(key)}: {word} = "{level}": severity must be one of '
                                      f"{', '.join(SEVERITIES)}{_hint(str(level), SEVERITIES)}")
                config.severity[r.code] = level
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
            config.exclude = compile_globs(strings(key, value))
        elif key == "options":
            for word, opts in table(key, value).items():
                r = rule_for(word, rules, label(key))
                config.options[r.code] = _rule_options(r, table(f"{key}.{word}", opts), label(f"{key}.{word}"))
    return config


def _rule_options(r: Rule, given: dict, where: str) -> dict:
    if not r.options:
        raise ConfigError(f"{where}: rule {r.code} ({r.name}) has no options")
    for key, value in given.items():
        if key not in r.options:
            raise ConfigError(f'{where}: unknown option "{key}" of {r.code} ({r.name}){_hint(key, r.options)}; '
                              f"its options: {', '.join(r.options)}")
        default = r.options[key]
        ok = (
            default is None
            or isinstance(default, bool) and isinstance(value, bool)
            or isinstance(default, (int, float)) and not isinstance(default, bool)
            and isinstance(value, (int, float)) and not isinstance(value, bool)
            or isinstance(default, (str, list, dict)) and isinstance(value, type(default))
        )
        if not ok:
            raise ConfigError(f'{where}: "{key}" must be a {type(default).__name__} like its default, '
                              f"{default!r}")
    return given


# ---------------------------------------------------------------- finding the file


# `[tool.dfcheck...]`, `tool.dfcheck... =`, or a `dfcheck` key that may sit in a `[tool]` table
_TOOL_DFCHECK = rb"(?m)^[ \t]*(?:\[[ \t]*)?(?:tool[ \t]*\.[ \t]*)?[\"']?dfcheck[\"']?[ \t]*[.\]=]"


def _has_dfcheck_table(path: str) -> bool:
    try:
        raw = _read_config_bytes(path)
    except ConfigError:  # unreadable, or too large: most pyproject files are not ours anyway
        return False
    # Most pyproject files have no dfcheck table: find that out without importing and running a TOML parser.
    # (A file that names the dfcheck package elsewhere, such as dfcheck's own, is parsed: it costs ~4 ms.)
    if b"dfcheck" not in raw or not re.search(_TOOL_DFCHECK, raw):
        return False
    try:
        data = load_toml(path, raw)
    except ConfigError:
        return True  # let reading it report the error
    tool = data.get("tool")
    return isinstance(tool, dict) and "dfcheck" in tool


def config_file_in(directory: str) -> str | None:
    """The configuration file that counts in one directory, if any."""
    for name in CONFIG_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path) and (name != "pyproject.toml" or _has_dfcheck_table(path)):
            return path
    return None


class Resolver:
    """Finds, reads and caches configurations, and combines them with the command line per linted file."""

    def __init__(self, rules, cli: Config | None = None, *, config_file: str | None = None,
                 no_config: bool = False):
        self.rules = tuple(sorted(rules, key=lambda r: r.code))
        self.cli = cli or Config(root=os.getcwd())
        self.no_config = no_config
        self._none = Config(root=os.getcwd())
        self._by_dir: dict[str, Config] = {}
        self._files: dict[str, Config] = {}
        self._cache: dict[int, tuple[frozenset[str], dict]] = {}  # id(config) -> (selection, options)
        self._forced = None
        if config_file is not None:
            if not os.path.isfile(config_file):
                raise ConfigError(f"--config {config_file}: no such file")
            self._forced = self._read(os.path.abspath(config_file))

    def _read(self, path: str) -> Config:
        if path not in self._files:
            self._files[path] = read_config_file(path, self.rules)
        return self._files[path]

    def config_for(self, directory: str) -> Config:
        """The configuration that applies to files in `directory` (absolute)."""
        if self._forced is not None:
            return self._forced
        if self.no_config:
            return self._none
        chain = []
        d = directory
        while d not in self._by_dir:
            chain.append(d)
            found = config_file_in(d)
            if found is not None:
                self._by_dir[d] = self._read(found)
                break
            parent = os.path.dirname(d)
            if parent == d:
                self._by_dir[d] = self._none
                break
            d = parent
        for c in chain:
            self._by_dir[c] = self._by_dir[d]
        return self._by_dir[directory]

    def excluded(self, path: str) -> bool:
        """Whether directory discovery skips `path` (as displayed): by `--exclude` or the closest config."""
        full = os.path.abspath(path)
        if self.cli.exclude and glob_match(self.cli.exclude, _relative(full, self.cli.root)):
            return True
        config = self.config_for(os.path.dirname(full))
        return bool(config.exclude) and glob_match(config.exclude, _relative(full, config.root))

    def _resolved(self, config: Config) -> tuple[frozenset[str], dict]:
        """The selection and the rule options a configuration gives, before per-file-ignores."""
        key = id(config)
        if key not in self._cache:
            selected = frozenset(r.code for r in self.rules if r.enabled)
            for layer in (config, self.cli):
                if layer.select is not None:
                    selected = layer.select
                selected = (selected | layer.extend_select) - layer.ignore
            options = {r.code: {**r.options, **config.options.get(r.code, {})} for r in self.rules}
            self._cache[key] = selected, options
        return self._cache[key]

    def settings_for(self, path: str | None) -> Settings:
        """The settings for a file (`path` as displayed; None: standard input without a name)."""
        full = os.path.abspath(path) if path is not None else None
        config = self.config_for(os.path.dirname(full) if full else os.getcwd())
        selected, options = self._resolved(config)
        if full and config.per_file_ignores:
            rel = _relative(full, config.root)
            for globs, codes in config.per_file_ignores:
                if glob_match(globs, rel):
                    selected = selected - codes
        context = self.cli.context or config.context
        if context is None and full is not None and os.path.isdir(os.path.dirname(full)):
            context = os.path.dirname(full)
        return Settings(
            (r for r in self.rules if r.code in selected),
            self.rules,
            severity={**config.severity, **self.cli.severity},
            options=options,
            fail_on=self.cli.fail_on or config.fail_on or DEFAULT_FAIL_ON,
            context_dir=context,
            target=self.cli.target or config.target,
            build_args={**config.build_args, **self.cli.build_args},
        )


def _relative(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")
