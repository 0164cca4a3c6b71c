"""The shell inside RUN, as plain data: `parse_shell(text)` gives a `Script` of `Command`s with argv words.

`data` holds the data classes, `builder` makes them from tree-sitter-bash's tree (tree-sitter is imported on the
first parse, for start-up time), `quoting` works out the literal value of quoted and escaped words.

Quick tour::

    script = parse_shell("sudo apt-get install -y curl && rm -rf /var/lib/apt/lists/*")
    [c.name for c in script.commands]          # ['sudo', 'rm']
    install = script.find("apt-get")[0]        # sudo stripped, see Command.effective()
    install.has_option("-y")                   # True
    [w.value for w in install.operands()]      # ['install', 'curl']
"""

from .builder import parse_shell
from .data import Command, Expansion, Redirect, Script, Word
from .data import _scan  # noqa: F401  (the command catalog reads options with it)

__all__ = ["Command", "Expansion", "Redirect", "Script", "Word", "parse_shell"]
