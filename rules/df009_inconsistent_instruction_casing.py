"""DF009 inconsistent-instruction-casing."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule


@rule("DF009", "inconsistent-instruction-casing", "warning", buildkit=("ConsistentInstructionCasing",),
      fixable="safe")
def inconsistent_instruction_casing(model: Model, options: Options) -> Iterator[Finding]:
    """An instruction keyword is not written in the case most of the file uses.

    ## What it does
    Counts the instruction keywords written all in lower case and all in upper case (mixed-case ones such as
    `From` count for neither) and reports every keyword that does not follow the majority, upper case winning
    a tie, as BuildKit's ConsistentInstructionCasing check does ("Command 'copy' should match the case of the
    command majority (uppercase)"). A mixed-case keyword is always reported. Instructions inside `ONBUILD`
    are not counted, as in BuildKit.

    ## Why is this bad?
    Keywords are case-insensitive, so nothing breaks, but a file that mixes `RUN` and `run` is harder to scan,
    and `docker build` warns about every such line.

    ## Example
    ```dockerfile
    FROM alpine
    run apk add --no-cache curl
    COPY app /app
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    RUN apk add --no-cache curl
    COPY app /app
    ```

    ## Fix safety
    The fix rewrites the keyword in the majority's case. It is safe: keywords are case-insensitive.
    """
    nodes = [n for n in model.instructions if n.keyword_text]
    lower = sum(1 for n in nodes if n.keyword_text == n.keyword_text.lower() != n.keyword_text.upper())
    upper = sum(1 for n in nodes if n.keyword_text == n.keyword_text.upper() != n.keyword_text.lower())
    majority_lower = lower > upper
    for node in nodes:
        written = node.keyword_text
        wanted = written.lower() if majority_lower else written.upper()
        if written == wanted:
            continue
        casing = "lowercase" if majority_lower else "uppercase"
        fix = Fix("safe", [Edit(node.keyword_span, wanted)], f"Write `{wanted}`")
        yield Finding(node.keyword_span,
                      f"command '{written}' should match the case of the command majority ({casing})", fix)
