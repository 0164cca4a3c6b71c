"""`python -m dfcheck`: the same as the `dfcheck` command."""

from .cli import run

run()
