"""Rules made up for the engine's tests, registered through the engine's API instead of dfcheck.rules."""

from dfcheck.engine import load_rules
from dfcheck.rule import Finding, Fix, Edit, rule


@rule("DF901", "every-run", "warning", hadolint=("DL3020",), buildkit=("JSONArgsRecommended",))
def every_run(model, options):
    """Reports every RUN instruction (at its keyword)."""
    for node in model.dockerfile.instructions:
        if node.keyword == "RUN":
            yield Finding(node.keyword_span, "a RUN")


@rule("DF902", "every-from", "style", hadolint=("DL3006",), buildkit=("StageNameCasing",), fixable=True)
def every_from(model, options):
    """Reports every FROM instruction, with a fix that lower-cases the keyword."""
    for node in model.dockerfile.instructions:
        if node.keyword == "FROM":
            yield Finding(node.keyword_span, "a FROM", fix=Fix("safe", [Edit(node.keyword_span, "from")]))


@rule("DF903", "run-words", "info", options={"word": "echo", "limit": 3, "loud": False})
def run_words(model, options):
    """Reports each RUN whose text contains the configured word (an option)."""
    for node in model.dockerfile.instructions:
        if node.keyword == "RUN" and options["word"] in node.args_text:
            yield Finding(node.span, f"RUN mentions {options['word']} (limit {options['limit']})")


@rule("DF904", "boom", "error")
def boom(model, options):
    """Always fails."""
    yield from ()
    raise ValueError("kaboom\nsecond line")


@rule("DF905", "off-by-default", "warning", enabled=False)
def off_by_default(model, options):
    """Reports the first instruction, when selected."""
    for node in model.dockerfile.instructions[:1]:
        yield Finding(node.keyword_span, "first instruction")


THROWAWAY = [every_run, every_from, run_words, off_by_default]


def rule_set(*extra):
    """The built-in DF001 and DF003, the throwaway rules above, and any extra ones."""
    builtin = [r for r in load_rules() if r.code in ("DF001", "DF003")]
    return builtin + THROWAWAY + list(extra)

