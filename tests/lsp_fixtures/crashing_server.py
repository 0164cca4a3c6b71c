"""`dfcheck lsp` with a rule that always raises and a hover handler that always raises, for the robustness test."""

import sys

from dfcheck import engine, lsp
from dfcheck.rule import rule


@rule("DF999", "always-crashes", "warning")
def always_crashes(model, options):
    """Raises on every file."""
    raise RuntimeError("this rule fails on purpose")


def broken_hover(model, node):
    raise RuntimeError("hover failed on purpose")


engine._loaded = sorted(engine.load_rules() + [always_crashes], key=lambda r: r.code)
lsp.instruction_hover = broken_hover

if __name__ == "__main__":
    from dfcheck import lsp_server

    lsp_server.instruction_hover = broken_hover
    sys.exit(lsp.main(sys.argv[1:]))
