"""The Python API: lint a Dockerfile or its text, with the configuration the command line would use or
another one, and get the findings.

    import dfcheck

    for f in dfcheck.lint("Dockerfile"):
        print(f"{f.path}:{f.span.line}:{f.span.column}: {f.code} {f.message}")
    dfcheck.lint_text("FROM python\\nADD app.py /app/\\n", select=["DF4", "DL3006"])
    settings = dfcheck.load_config("pyproject.toml")          # or dfcheck.Settings(): the defaults
    dfcheck.lint("services/api/Dockerfile", config=settings)

What applies is what `dfcheck PATH` (or `dfcheck - --stdin-filename PATH` for text) would apply: the closest
configuration file (or `.hadolint.yaml`), the Dockerfile's directory as the build context, its
per-file-ignores; `config`, `context` and `select` say otherwise, as --config, --context and --select do.
Suppressed findings are left out. A file that cannot be read or linted fully (a rule that fails, a target
that is not a stage) raises LintError; a configuration that cannot be used, ConfigError.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
from .config import ConfigError, Resolver, parse_table
from .config import Settings as FileSettings
from .rule import Finding, Rule

if TYPE_CHECKING:
    from .engine import FileResult

__all__ = ["ConfigError", "Finding", "LintError", "Rule", "Settings", "lint", "lint_text", "load_config"]

PathLike = str | os.PathLike


class LintError(Exception):
    """A Dockerfile could not be linted fully: `errors` says why (one line each), `findings` holds what was
    found anyway."""

    def __init__(self, errors: list[str], findings: list[Finding]):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.findings = findings


class Settings:
    """A configuration to lint with: the one in a configuration file (`load_config`) or the defaults
    (`Settings()`). Its attributes say what applies to a Dockerfile in the configuration file's directory
    (per-file-ignores aside, which depend on the Dockerfile's path)."""

    __slots__ = ("path", "_resolver")

    def __init__(self, path: PathLike | None = None):
        from .engine import load_rules

        rules = load_rules()
        self.path: str | None = os.path.abspath(path) if path is not None else None  # the configuration file
        self._resolver = Resolver(rules, config_file=self.path, no_config=self.path is None)

    def _here(self) -> FileSettings:
        directory = os.path.dirname(self.path) if self.path else os.getcwd()
        return self._resolver.settings_for(os.path.join(directory, "Dockerfile"))

    @property
    def select(self) -> tuple[str, ...]:
        """The codes of the rules that run."""
        return tuple(r.code for r in self._here().rules)

    @property
    def severity(self) -> dict[str, str]:
        """Rule code -> the severity that replaces the rule's own."""
        return dict(self._here().severity)

    @property
    def fail_on(self) -> str:
        return self._here().fail_on

    @property
    def target(self) -> str | None:
        return self._here().target

    @property
    def build_args(self) -> dict[str, str]:
        return dict(self._here().build_args)

    @property
    def options(self) -> dict[str, dict[str, object]]:
        """Rule code -> that rule's options, defaults filled in."""
        return {code: dict(options) for code, options in self._here().options.items()}

    def __repr__(self) -> str:
        return f"Settings({self.path!r})" if self.path else "Settings()"


def load_config(path: PathLike) -> Settings:
    """The configuration in a file: `.dfcheck.toml`, `dfcheck.toml`, a `pyproject.toml` (its [tool.dfcheck])
    or a `.hadolint.yaml`. ConfigError when it cannot be used."""
    if not os.path.isfile(path):
        raise ConfigError(f"{os.fspath(path)}: no such file")
    return Settings(path)


def lint(source: PathLike, *, config: Settings | PathLike | None = None, context: PathLike | None = None,
         select: Iterable[str] | None = None) -> list[Finding]:
    """The findings in the Dockerfile at `source`, in line order."""
    from .engine import lint_file

    path = os.fspath(source)
    settings = _settings_for(path, config, context, select)
    return _findings(lint_file(path, settings), settings)


def lint_text(text: str, path: PathLike = "Dockerfile", *, config: Settings | PathLike | None = None,
              context: PathLike | None = None, select: Iterable[str] | None = None) -> list[Finding]:
    """The findings in a Dockerfile's text; `path` names it (in the findings, and to find its configuration and
    build context, as if the file were there)."""
    from .engine import lint_text as lint_source

    path = os.fspath(path)
    settings = _settings_for(path, config, context, select)
    return _findings(lint_source(text, path, settings), settings)


def _settings_for(path: str, config: Settings | PathLike | None, context: PathLike | None,
                  select: Iterable[str] | None) -> FileSettings:
    from .engine import load_rules

    if config is not None and not isinstance(config, Settings):
        config = load_config(config)
    table: dict[str, object] = {}
    if select is not None:
        if isinstance(select, str):
            raise TypeError('select is a list of codes, prefixes or names, such as ["DF4", "DL3006"]')
        table["select"] = list(select)
    if context is not None:
        if not os.path.isdir(context):
            raise ConfigError(f"context {os.fspath(context)}: no such directory")
        table["context"] = os.fspath(context)
    rules = load_rules()
    cli = parse_table(table, rules, root=os.getcwd(), where="dfcheck API")
    if config is None:
        resolver = Resolver(rules, cli)
    else:
        resolver = config._resolver.with_cli(cli)
    return resolver.settings_for(path)


def _findings(result: FileResult, settings: FileSettings) -> list[Finding]:
    """The findings, each with the fix `dfcheck --fix` would apply (None for one it would not)."""
    if result.errors:
        raise LintError([e.message for e in result.errors], result.findings)
    from .fixes import keep_verified

    keep_verified(result, settings)
    return result.findings
