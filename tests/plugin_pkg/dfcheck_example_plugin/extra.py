"""An example rule registered as one object (`module:attribute`)."""

from dfcheck.rule import Finding, rule


@rule("XP002", "example-root-user", "error")
def root_user(model, options):
    """Reports `USER root` (an example plugin rule)."""
    for node in model.dockerfile.instructions:
        if node.keyword == "USER" and node.args_text.strip() in ("root", "0"):
            yield Finding(node.span, "USER root, says the example plugin")


@rule("XP003", "example-not-registered", "error")
def not_registered(model, options):
    """Not registered: the entry point names only `root_user` in this module."""
    return ()
