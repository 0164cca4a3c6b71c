"""`python -m dfcheck`: the same as the `dfcheck` command."""

import sys

from .cli import main

sys.exit(main())
