"""What a configuration says (Config), what applies to one linted file (Settings), and the names and
defaults they share."""

from __future__ import annotations

from ..rule import SEVERITIES, Options, Rule

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
