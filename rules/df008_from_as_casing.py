"""DF008 from-as-casing."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule


@rule("DF008", "from-as-casing", "warning", buildkit=("FromAsCasing",), fixable="safe")
def from_as_casing(model: Model, options: Options) -> Iterator[Finding]:
    """The `AS` of a FROM is not written in the case of its `FROM`.

    ## What it does
    Reports `FROM image as name` (and `from image AS name`): when the FROM keyword is all upper case, `AS`
    should be too, and when it is all lower case, `as` should be. This is BuildKit's FromAsCasing check
    ("'as' and 'FROM' keywords' casing do not match"); like BuildKit, it says nothing when the FROM keyword
    itself is in mixed case (DF009 reports that).

    ## Why is this bad?
    It is only style, but `docker build` prints this warning on every build of the file, which buries the
    warnings that matter.

    ## Example
    ```dockerfile
    FROM alpine:3.20 as base
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20 AS base
    ```

    ## Fix safety
    The fix rewrites the `AS` keyword in the case of `FROM`. It is safe: the keyword is case-insensitive.
    """
    for stage in model.stages:
        node = stage.node
        if len(node.args) != 3 or node.args[1].value.lower() != "as":
            continue
        keyword, word = node.keyword_text or node.keyword, node.args[1].value
        if keyword == keyword.upper():
            wanted = word.upper()
        elif keyword == keyword.lower():
            wanted = word.lower()
        else:
            continue
        if word != wanted:
            fix = Fix("safe", [Edit(node.args[1].span, wanted)], f"Write `{wanted}`")
            yield Finding(node.args[1].span, f"'{word}' and '{keyword}' keywords' casing do not match", fix)
