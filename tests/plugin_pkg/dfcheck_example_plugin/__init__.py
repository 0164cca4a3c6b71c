"""Example rules: a module whose Rule objects the `example` entry point registers."""

from dfcheck.rule import Finding, rule


@rule("XP001", "example-label", "warning")
def example_label(model, options):
    """Reports every LABEL instruction (an example plugin rule).

    ## What it does
    Nothing useful: it proves that third-party rules load and report.
    """
    for node in model.dockerfile.instructions:
        if node.keyword == "LABEL":
            yield Finding(node.keyword_span, "LABEL found by the example plugin")
