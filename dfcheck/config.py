"""Configuration: where it is found, what it may say, and what applies to each linted file.

Where it is found. For each linted file dfcheck looks in the file's directory, then in its parent, and so on,
and uses the first directory that holds a configuration file. The search ends at the root of a repository (a
directory with a `.git` directory or file) or at the user's home directory, whichever comes first, and never
reads nor passes a directory anyone may write to (such as /tmp). Within one directory `.dfcheck.toml` wins
over `dfcheck.toml`, which wins over `pyproject.toml`; a `pyproject.toml` counts only if it has a
`[tool.dfcheck]` table (one that names dfcheck at all but is not valid TOML is an error: it may be meant to).
When no dfcheck configuration is found, the closest `.hadolint.yaml` or `.hadolint.yml` on the same way up
applies, read as the dfcheck configuration it amounts to (see dfcheck.hadolint). Exactly one file applies to
a linted file: files in different directories are not merged, but a file may `extend` another one
explicitly. `--config FILE` uses FILE for every linted file and `--no-config` uses none. Standard input is
looked up from the directory of `--stdin-filename`, or else the current directory. Paths in a configuration
file (`per-file-ignores` and `exclude` globs, `context`, `extend`) are relative to the directory of that file.
Options given on the command line apply on top of the configuration file.

What it may say (keys of `[tool.dfcheck]` in `pyproject.toml`, top-level keys in the other two):

    extend = "../dfcheck-base.toml"  # start from that file: this one's settings apply on top of it
    select = ["DF1", "DF401"]        # codes, code prefixes, rule names or "ALL"; replaces the default set
    extend-select = ["DF003"]        # added to the selection
    ignore = ["DF103"]               # removed from the selection (extend-ignore: the same)
    per-file-ignores = { "legacy/**" = ["DF4"] }  # glob -> selectors; a glob without "/" matches names anywhere
    severity = { DF401 = "error" }   # rule code or name -> error | warning | info | style
    fail-on = "warning"              # exit 1 at or above: error | warning | info (default) | style | never
    context = "."                    # the build context directory (default: the Dockerfile's directory)
    target = "production"            # the stage built (default: the last)
    build-args = { VERSION = "1.2" }
    exclude = ["vendor", "tests/fixtures/**"]  # globs skipped when searching directories; replaces DEFAULT_EXCLUDE
    extend-exclude = ["generated"]   # added to `exclude`
    respect-gitignore = true         # skip what .gitignore, .git/info/exclude and .ignore files ignore
    build-files = true               # lint each Dockerfile as the Compose and Bake files build it (dfcheck.builds)
    [tool.dfcheck.options.DF123]     # rule options, by code or name: only keys the rule declares

Wherever a rule is named, a hadolint code (`DL3020`) or a BuildKit check name (`JSONArgsRecommended`) names
the rules that answer to it (their `hadolint` and `buildkit` metadata), with a note saying which.

The selection is computed in order: the rules enabled by default; the file's `select` (replacing), its
`extend-select` (adding), its `ignore` and `extend-ignore` (removing) (an extended file's first); then the
command line's `--select` (replacing), `--extend-select`, `--ignore`; and last the file's `per-file-ignores`
for that file.
Every unknown key, unknown rule and bad value is an error naming the file and the key, with the closest
valid spelling when there is one.
"""

from __future__ import annotations

import os
import sys

from .globs import compile_globs, glob_match
from .rule import SEVERITIES, Options, Rule
from .suggest import closest

CONFIG_NAMES = (".dfcheck.toml", "dfcheck.toml", "pyproject.toml")  # highest precedence first
FAIL_LEVELS = SEVERITIES + ("never",)
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a larger configuration file is a mistake (or a link to something else)
DEFAULT_FAIL_ON = "info"
KEYS = (
    "extend", "select", "extend-select", "ignore", "extend-ignore", "per-file-ignores", "severity", "fail-on",
    "context", "target", "build-args", "exclude", "extend-exclude", "respect-gitignore", "build-files", "options",
)
# Directories of other tools' files, skipped when searching directories unless `exclude` says otherwise
# (`extend-exclude` keeps them skipped). Version-control directories are always skipped.
DEFAULT_EXCLUDE = ("node_modules", ".venv", "venv", "vendor", "dist", "build", ".tox")


class ConfigError(Exception):
    """A configuration or command-line value dfcheck cannot use; the message is one line for the user."""


class Config:
    """What one configuration file (or the command line) says, validated, with selectors resolved to codes."""

    # Plain classes rather than dataclasses here and in the engine: each dataclass costs ~0.3 ms at start-up.
    __slots__ = ("path", "root", "select", "extend_select", "ignore", "per_file_ignores", "severity", "fail_on",
                 "context", "target", "build_args", "exclude", "extend_exclude", "respect_gitignore", "build_files",
                 "options", "base", "notes")

    def __init__(self, path: str | None = None, root: str = "."):
        self.path = path  # None: no file (defaults, or the command line)
        self.root = root  # the directory relative paths are resolved against
        self.select: frozenset[str] | None = None  # None: keep the selection so far
        self.extend_select: frozenset[str] = frozenset()
        self.ignore: frozenset[str] = frozenset()
        self.per_file_ignores: list = []  # [(compiled globs, codes, the directory they are relative to)]
        self.severity: dict[str, str] = {}
        self.fail_on: str | None = None
        self.context: str | None = None  # absolute
        self.target: str | None = None
        self.build_args: dict[str, str] = {}
        # (compiled globs, the directory they are relative to); None: DEFAULT_EXCLUDE (or the command line's)
        self.exclude: tuple | None = None
        self.extend_exclude: list = []  # [(compiled globs, directory)], from this file and those it extends
        self.respect_gitignore: bool | None = None
        self.build_files: bool | None = None  # None: yes
        self.options: dict[str, dict] = {}
        self.base: Config | None = None  # the configuration this one extends (`extend = "path"`)
        self.notes: list[str] = []  # one-line notes for the user: hadolint codes read as dfcheck rules, ...


class Settings:
    """Everything that applies to linting one file."""

    __slots__ = ("rules", "known", "severity", "options", "fail_on", "context_dir", "target", "build_args", "builds")

    def __init__(self, rules, known, *, severity=None, options=None, fail_on: str = DEFAULT_FAIL_ON,
                 context_dir: str | None = None, target: str | None = None, build_args=None, builds=()):
        self.rules: tuple[Rule, ...] = tuple(rules)  # the selected rules, in code order
        self.known: tuple[Rule, ...] = tuple(known)  # every loaded rule (suppressions may name any of them)
        self.severity: dict[str, str] = severity or {}  # code -> severity overriding the rule's
        # code -> the rule's options, defaults filled in (Options: the rule reads them as attributes)
        self.options: dict[str, Options] = {code: Options(given) for code, given in (options or {}).items()}
        self.fail_on = fail_on
        self.context_dir = context_dir
        self.target = target
        self.build_args: dict[str, str] = build_args or {}
        # the builds its Compose services and Bake targets describe (dfcheck.builds.Build), each linted; ():
        # none, the file is built with the context, target and build args above
        self.builds: tuple = tuple(builds)


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


def resolve_selector(selector: str, rules, where: str, notes: list | None = None, *,
                     removing: bool = False) -> frozenset[str]:
    """The codes a selector names: a code, a code prefix, a rule name, ALL, or a hadolint code or BuildKit
    check name (the rules that answer to it, with a note appended to `notes`). `removing`: the selector only
    takes rules away (ignore, per-file-ignores), so a hadolint code dfcheck has no rule for is a note, not an
    error."""
    word = selector.strip()
    if word.upper() == "ALL":
        return frozenset(r.code for r in rules)
    upper, lower = word.upper(), word.lower()
    codes = frozenset(r.code for r in rules if r.name == lower or (upper and r.code.startswith(upper)))
    if codes:
        return codes
    return frozenset(r.code for r in _foreign(word, rules, where, notes, removing=removing))


def rule_for(word: str, rules, where: str, notes: list | None = None) -> Rule:
    """The rule a code or a name (not a prefix) names, or the one rule a hadolint code or BuildKit check
    name stands for."""
    found = rules_for(word, rules, where, notes)
    if len(found) > 1:
        raise ConfigError(f"{where}: {word} stands for several rules ({', '.join(r.code for r in found)}): "
                          "name one")
    return found[0]


def rules_for(word: str, rules, where: str, notes: list | None = None) -> list[Rule]:
    """The rule a code or a name names, or the rules a hadolint code or a BuildKit check name stands for."""
    upper, lower = word.upper(), word.lower()
    for r in rules:
        if r.code == upper or r.name == lower:
            return [r]
    return _foreign(word, rules, where, notes)


def join_notes(notes: list[tuple[str, str]]) -> list[str]:
    """Notes as one line per place: `--ignore: hadolint's DL3020 is DF401 (add-instead-of-copy); ...`."""
    lines: dict[str, list[str]] = {}
    for where, text in notes:
        if text not in lines.setdefault(where, []):
            lines[where].append(text)
    return [f"{where}: {'; '.join(texts)}" for where, texts in lines.items()]


def _is_hadolint_code(word: str) -> bool:
    return len(word) == 6 and word[:2].upper() == "DL" and word[2:].isdigit()


def _foreign(word: str, rules, where: str, notes: list | None, *, removing: bool = False) -> list[Rule]:
    """The rules whose metadata name `word` as their hadolint code or BuildKit check; a ConfigError when none
    does and `word` is not a hadolint code being removed."""
    upper, lower = word.upper(), word.lower()
    found = [r for r in rules if upper in r.hadolint]
    tool = "hadolint's"
    if not found:
        found = [r for r in rules if any(b.lower() == lower for b in r.buildkit)]
        tool = "BuildKit's check"
        word = next((b for r in found for b in r.buildkit if b.lower() == lower), word)
    if found:
        if notes is not None:
            notes.append((where, f"{tool} {word} is {', '.join(f'{r.code} ({r.name})' for r in found)}"))
        return found
    if _is_hadolint_code(word) and removing:
        if notes is not None:
            notes.append((where, f"hadolint's {upper} has no dfcheck rule, nothing to remove"))
        return []
    if _is_hadolint_code(word):
        raise ConfigError(f"{where}: hadolint's {upper} has no dfcheck rule (`dfcheck rules` lists the hadolint "
                          "codes dfcheck answers to)")
    if len(word) == 6 and upper.startswith("SC") and word[2:].isdigit():
        raise ConfigError(f"{where}: {upper} is a ShellCheck code; DF702 reports ShellCheck's findings, and "
                          f'[tool.dfcheck.options.DF702] exclude = ["{upper}"] leaves this one out')
    candidates = ([r.code for r in rules] + [r.name for r in rules] + ["ALL"]
                  + [c for r in rules for c in (*r.hadolint, *r.buildkit)])
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
        from .hadolint import read_hadolint_config

        return read_hadolint_config(path, rules)
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


# ---------------------------------------------------------------- finding the file


def _has_dfcheck_table(path: str) -> bool:
    try:
        raw = _read_config_bytes(path)
    except ConfigError:  # unreadable, or too large: most pyproject files are not ours anyway
        return False
    # Most pyproject files have no dfcheck table: find that out without importing and running a TOML parser.
    # A file that names dfcheck at all is parsed (~4 ms): if it is not valid TOML, it may be meant to configure
    # dfcheck, and reading it reports the error rather than linting with defaults the user did not ask for.
    if b"dfcheck" not in raw:
        return False
    try:
        data = load_toml(path, raw)
    except ConfigError:
        return True  # let reading it report the error
    tool = data.get("tool")
    return isinstance(tool, dict) and "dfcheck" in tool


HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")


def hadolint_file_in(directory: str) -> str | None:
    for name in HADOLINT_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def is_dfcheck_config(config: Config) -> bool:
    return config.path is not None and not config.path.endswith((".yaml", ".yml"))


_home: str | None = None


def search_ends_at(directory: str) -> bool:
    """Whether the search for configuration stops after `directory`: the root of a repository (it holds a
    `.git` directory or file) or the user's home directory."""
    global _home
    if _home is None:
        _home = os.path.normpath(os.path.expanduser("~"))
    return directory == _home or os.path.lexists(os.path.join(directory, ".git"))


def _shared(directory: str) -> bool:
    """A directory anyone may write to (such as /tmp): a configuration file there could be anyone's, so the
    search neither reads it nor goes above it."""
    try:
        return bool(os.stat(directory).st_mode & 0o002)
    except OSError:
        return False


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
                 no_config: bool = False, cli_source: str = "command line"):
        self.rules = tuple(sorted(rules, key=lambda r: r.code))
        self.cli = cli or Config(root=os.getcwd())
        self.cli_source = cli_source  # how --show-settings names the options given on top of the files
        self.no_config = no_config
        self._none = Config(root=os.getcwd())
        self._by_dir: dict[str, Config] = {}
        self._files: dict[str, Config] = {}
        self._cache: dict[int, tuple[frozenset[str], dict]] = {}  # id(config) -> (selection, options)
        self._build_files = None  # dfcheck.buildfiles.BuildFiles, made on first use
        self._forced = None
        if config_file is not None:
            if not os.path.isfile(config_file):
                raise ConfigError(f"--config {config_file}: no such file")
            self._forced = self._read(os.path.abspath(config_file))

    def with_cli(self, cli: Config) -> Resolver:
        """The same configuration files (read once, shared) with other command-line options on top."""
        other = Resolver(self.rules, cli, no_config=self.no_config)
        other._forced, other._by_dir, other._files = self._forced, self._by_dir, self._files
        other._build_files = self._build_files
        return other

    def _read(self, path: str) -> Config:
        if path not in self._files:
            self._files[path] = read_config_file(path, self.rules)
        return self._files[path]

    def config_for(self, directory: str) -> Config:
        """The configuration that applies to files in `directory` (absolute): the closest dfcheck configuration
        file, else the closest `.hadolint.yaml`, searching up to the search's end (see `search_ends_at`)."""
        if self._forced is not None:
            return self._forced
        if self.no_config:
            return self._none
        chain = []  # the directories searched, closest first
        d = directory
        while d not in self._by_dir:
            if _shared(d):
                found = self._none
                break
            chain.append(d)
            path = config_file_in(d)
            if path is not None:
                found = self._read(path)
                break
            parent = os.path.dirname(d)
            if parent == d or search_ends_at(d):
                found = self._none
                break
            d = parent
        else:
            found = self._by_dir[d]
        for c in reversed(chain):  # no dfcheck configuration above: a closer hadolint one applies
            if not is_dfcheck_config(found):
                hadolint = hadolint_file_in(c)
                if hadolint is not None:
                    found = self._read(hadolint)
            self._by_dir[c] = found
        return found if chain else self._by_dir.setdefault(directory, found)

    def notes(self) -> list[str]:
        """The notes of the command line and of every configuration file read so far."""
        out = list(self.cli.notes)
        for config in self._files.values():
            out += [n for n in config.notes if n not in out]
        return out

    def excluded(self, path: str) -> bool:
        """Whether directory discovery skips `path` (as displayed): by the `exclude` in force (the command
        line's, else the closest configuration's, else DEFAULT_EXCLUDE) or an `extend-exclude`."""
        full = os.path.abspath(path)
        cli = self.cli
        config = self.config_for(os.path.dirname(full))
        exclude = cli.exclude or config.exclude or (_DEFAULT_GLOBS, cli.root)
        for globs, base in (exclude, *config.extend_exclude, *cli.extend_exclude):
            if not globs:
                continue
            # names alone (`node_modules`) need no relative path, which costs more than matching
            where = _relative(full, base) if any(anchored for anchored, _ in globs) else os.path.basename(full)
            if glob_match(globs, where):
                return True
        return False

    def respect_gitignore(self) -> bool:
        """Whether searches skip what ignore files ignore: the command line, else the configuration that
        applies in the current directory, else yes."""
        if self.cli.respect_gitignore is not None:
            return self.cli.respect_gitignore
        here = self.config_for(os.getcwd()).respect_gitignore
        return True if here is None else here

    def _resolved(self, config: Config) -> tuple[frozenset[str], dict]:
        """The selection and the rule options a configuration gives, before per-file-ignores."""
        key = id(config)
        if key not in self._cache:
            selected = frozenset(r.code for r in self.rules if r.enabled)
            for layer in (*extended(config), self.cli):
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
            for globs, codes, root in config.per_file_ignores:
                if glob_match(globs, _relative(full, root)):
                    selected = selected - codes
        context = self.cli.context or config.context
        if context is None and full is not None and os.path.isdir(os.path.dirname(full)):
            context = os.path.dirname(full)
        inputs = self.inputs(path, config)
        return Settings(
            (r for r in self.rules if r.code in selected),
            self.rules,
            severity={**config.severity, **self.cli.severity},
            options=options,
            fail_on=self.cli.fail_on or config.fail_on or DEFAULT_FAIL_ON,
            context_dir=context,
            target=self.cli.target or config.target,
            build_args={**config.build_args, **self.cli.build_args},
            builds=inputs if inputs[0].names else (),
        )

    def inputs(self, path: str | None, config: Config | None = None) -> tuple:
        """The builds of a file (`dfcheck.builds.Build`, with where each input comes from): one per distinct
        build its Compose services and Bake targets describe, the command line and the configuration on top;
        else the one the configuration describes."""
        from .builds import build_inputs

        full = os.path.abspath(path) if path is not None else None
        if config is None:
            config = self.config_for(os.path.dirname(full) if full else os.getcwd())
        given: dict = {"build-args": {}}
        for layer, source in ((config, f"configuration {_display(config.path)}" if config.path else None),
                              (self.cli, self.cli_source)):
            if layer.context is not None:
                given["context"] = (layer.context, source)
            if layer.target is not None:
                given["target"] = (layer.target, source)
            given["build-args"].update((name, (value, source)) for name, value in layer.build_args.items())
        definitions = []
        enabled = self.cli.build_files if self.cli.build_files is not None else config.build_files
        if full is not None and enabled is not False:
            if self._build_files is None:
                from .buildfiles import BuildFiles

                self._build_files = BuildFiles()
            try:
                definitions = self._build_files.definitions_for(full)
            except Exception as e:  # a bug in a reader: lint the file as configured, and say so
                from .buildfiles import Note

                note = Note(full, None, f"its build files cannot be read: internal error: {type(e).__name__}: {e}")
                if note not in self._build_files.notes:
                    self._build_files.notes.append(note)
        return build_inputs(full, definitions, given)

    def build_notes(self) -> list[str]:
        """What the build files read so far could not say, once each: `FILE:LINE: what`."""
        if self._build_files is None:
            return []
        return [str(note).replace(note.path, _display(note.path), 1) for note in self._build_files.notes]


_DEFAULT_GLOBS = compile_globs(DEFAULT_EXCLUDE)


def _relative(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def describe(resolver: Resolver, path: str) -> str:
    """What `--show-settings FILE` prints: the settings for FILE as a configuration table, after a comment that
    names the file they come from (and what it extends), with how the file is built in comments
    (`builds.show`)."""
    full = os.path.abspath(path)
    config = resolver.config_for(os.path.dirname(full))
    settings = resolver.settings_for(path)
    lines = [f"# Settings for {path}"]
    if config.path is None:
        lines.append("# from no configuration file: " + ("--no-config" if resolver.no_config else "the defaults"))
    else:
        chain = extended(config)
        lines.append(f"# from {_display(config.path)}"
                     + (f", which extends {', '.join(_display(c.path) for c in chain[-2::-1])}" if len(chain) > 1
                        else "")
                     + (" (--config)" if resolver._forced is config else ""))
    given = [key for key in KEYS if _given(resolver.cli, key)]
    if given:
        lines.append(f"# with the command line's {', '.join(given)} on top")
    exclude = resolver.cli.exclude or config.exclude or (_DEFAULT_GLOBS, resolver.cli.root)
    values = {
        "select": [r.code for r in settings.rules],
        "severity": settings.severity,
        "fail-on": settings.fail_on,
        "context": settings.context_dir,
        "target": settings.target,
        "build-args": settings.build_args,
        "exclude": [glob.text for _, glob in exclude[0]],
        "extend-exclude": [glob.text for globs, _ in (*config.extend_exclude, *resolver.cli.extend_exclude)
                           for _, glob in globs],
        "respect-gitignore": resolver.respect_gitignore(),
        "build-files": (resolver.cli.build_files if resolver.cli.build_files is not None
                        else config.build_files is not False),
    }
    for key, value in values.items():
        lines.append(_assignment(key, value) if value is not None else f"# {key}: not set")
    from .builds import show

    lines.append(show(resolver, path).rstrip("\n"))  # the builds, and what the base images bring
    for r in settings.rules:
        options = settings.options.get(r.code)
        if options:
            lines += ["", f"[options.{r.code}]  # {r.name}"]
            lines += [_assignment(name, value) for name, value in options.items()]
    return "\n".join(lines) + "\n"


def toml_value(value) -> str:
    """`value` written as TOML: a string, number, boolean, array or inline table."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _assignment(key: str, value) -> str:
    """`key = value` in TOML; a long list one line per few items."""
    line = f"{key} = {toml_value(value)}"
    if len(line) <= 100 or not isinstance(value, list):
        return line
    items = [toml_value(v) for v in value]
    rows, row = [], ""
    for item in items:
        if row and len(row) + len(item) > 96:
            rows.append(row)
            row = ""
        row += f"{item}, "
    rows.append(row)
    return f"{key} = [\n" + "".join(f"    {r.rstrip()}\n" for r in rows) + "]"


def _given(cli: Config, key: str) -> bool:
    empty = Config()
    attribute = key.replace("-", "_")
    return key not in ("extend", "options") and getattr(cli, attribute, None) != getattr(empty, attribute, None)
