"""DF003 unused-suppression."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule


@rule("DF003", "unused-suppression", "warning", enabled=False)
def unused_suppression(model: Model, options: Options) -> Iterator[Finding]:
    """Reports a `# dfcheck: ignore=...` comment (or one of its codes) that silenced nothing.

    ## What it does
    Looks at every dfcheck suppression comment, line-level (`# dfcheck: ignore=DF401` above an instruction)
    and file-level (`# dfcheck: ignore-file=DF401`), and reports each code in it that did not silence a
    finding, each code or name that is not a known rule, each code naming a rule that is not selected,
    and each comment that does not parse as a suppression. It is off by default: select it
    (`--extend-select DF003`) or pass `--report-unused-suppressions`.

    The engine produces these findings itself, after every other rule has run, because only the engine
    sees which suppression silenced which finding; this rule's check yields nothing. Suppressions written
    for other tools (`# hadolint ignore=`, `# check=skip=`) are not reported: they may be meant for rules
    dfcheck does not have. In an editor, the diagnostics the language server publishes before ShellCheck
    (DF702) has run report no suppression of DF702, nor one of every rule, as unused: those that follow,
    with ShellCheck's findings, do.

    ## Why is this bad?
    A suppression left behind after the problem was fixed hides the next real problem on that
    instruction, and a misspelled code silences nothing while looking as if it did.

    ## Example
    ```dockerfile
    FROM alpine
    # dfcheck: ignore=DF401 -- ADD was replaced long ago
    COPY app /app
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    COPY app /app
    ```

    ## Fix safety
    No automatic fix yet.
    """
    yield from ()
