"""`python -m dfcheck`: the same as the `dfcheck` command."""

import os
import sys

# `python -m` puts the current directory first on sys.path, where the `dfcheck` command has its own bin
# directory: nothing may be imported from the directory being linted, nor plugins searched for there.
try:
    if sys.path and os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(os.getcwd()):
        del sys.path[0]
except OSError:  # the current directory is gone
    pass

from .cli import run  # noqa: E402

run()
