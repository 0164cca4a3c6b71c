"""Finding the configuration that applies to a linted file, combining it with the command line, and
`--show-settings`."""

from __future__ import annotations

import os

from ..globs import compile_globs, glob_match
from .settings import (
    CONFIG_NAMES, DEFAULT_EXCLUDE, DEFAULT_FAIL_ON, KEYS, Config, ConfigError, Settings, toml_value,
)
from .tables import _display, _read_config_bytes, extended, load_toml, read_config_file

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
        from ..builds import build_inputs

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
                from ..buildfiles import BuildFiles

                self._build_files = BuildFiles()
            try:
                definitions = self._build_files.definitions_for(full)
            except Exception as e:  # a bug in a reader: lint the file as configured, and say so
                from ..buildfiles import Note

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
    from ..builds import show

    lines.append(show(resolver, path).rstrip("\n"))  # the builds, and what the base images bring
    for r in settings.rules:
        options = settings.options.get(r.code)
        if options:
            lines += ["", f"[options.{r.code}]  # {r.name}"]
            lines += [_assignment(name, value) for name, value in options.items()]
    return "\n".join(lines) + "\n"



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
