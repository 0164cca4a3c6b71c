"""dfcheck: a Dockerfile linter and static analyzer that understands layers and the build cache.

    import dfcheck

    for f in dfcheck.lint("Dockerfile"):
        print(f"{f.path}:{f.span.line}:{f.span.column}: {f.code} {f.message}")

The API (`lint`, `lint_text`, `load_config`, `Settings`, `Finding`, `Rule`, `rules()`, `ConfigError`,
`LintError`) is in dfcheck.api, imported on first use: the `dfcheck` command imports this package on every
run and needs none of it.
"""

from __future__ import annotations

import os as _os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (type checkers know the name)

__version__ = "0.1.0"
__all__ = ["ConfigError", "Finding", "LintError", "Rule", "Settings", "__version__", "lint", "lint_text",
           "load_config", "rules"]

# The built-in rules live in rules/ beside this package and are installed as dfcheck.rules (see
# pyproject.toml). A source checkout that is not installed (`PYTHONPATH=. python -m dfcheck`) finds them there
# too: a finder that knows that one name, asked only after Python's own finders found nothing.
_rules = _os.path.join(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))), "rules")
if _os.path.isfile(_os.path.join(_rules, "__init__.py")) and _os.path.isfile(
    _os.path.join(_os.path.dirname(_rules), "pyproject.toml")
):
    import sys as _sys

    class _CheckoutRules:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name != __name__ + ".rules":
                return None
            from importlib.machinery import PathFinder  # (importlib.util would import contextlib)

            return PathFinder.find_spec(name, [_os.path.dirname(_rules)])  # the package rules/ there

    _sys.meta_path.append(_CheckoutRules)

if TYPE_CHECKING:
    from .api import ConfigError, Finding, LintError, Rule, Settings, lint, lint_text, load_config

    def rules() -> list[Rule]:
        """Every rule dfcheck knows (built-in and from plugins), in code order."""


def __getattr__(name: str):
    if name == "rules":  # the package of the built-in rules, which is callable: dfcheck.rules()
        import importlib

        return importlib.import_module(".rules", __name__)
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'dfcheck' has no attribute {name!r}")
