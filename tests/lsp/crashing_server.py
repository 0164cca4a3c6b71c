"""`dfcheck lsp` with a rule that always raises, a hover handler that always raises, and a model that cannot
be built for documents containing BREAK-THE-MODEL: for the robustness tests."""

import sys

import dfcheck.model
from dfcheck import engine, lsp
from dfcheck.rule import rule


@rule("DF999", "always-crashes", "warning")
def always_crashes(model, options):
    """Raises on every file."""
    raise RuntimeError("this rule fails on purpose")


def broken_hover(model, node):
    raise RuntimeError("hover failed on purpose")


def fragile_build_model(dockerfile, **options):
    if "BREAK-THE-MODEL" in dockerfile.text:
        raise RuntimeError("the model failed on purpose")
    return build_model(dockerfile, **options)


build_model = dfcheck.model.build_model
dfcheck.model.build_model = fragile_build_model
engine._loaded = sorted(engine.load_rules() + [always_crashes], key=lambda r: r.code)
lsp.instruction_hover = broken_hover

if __name__ == "__main__":
    from dfcheck.lsp import handlers

    handlers.instruction_hover = broken_hover
    sys.exit(lsp.main(sys.argv[1:]))
