"""dfcheck: a Dockerfile linter and static analyzer that understands layers and the build cache."""

import os as _os

__version__ = "0.1.0"

# The built-in rules live in rules/ beside this package and are installed as dfcheck.rules (see
# pyproject.toml). In a source checkout, let the package find them there as well, so that running
# `python -m dfcheck` or `python -m pytest` from the repository root imports a complete dfcheck.
_checkout = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if _os.path.isfile(_os.path.join(_checkout, "rules", "__init__.py")) and _os.path.isfile(
    _os.path.join(_checkout, "pyproject.toml")
):
    __path__.append(_checkout)
