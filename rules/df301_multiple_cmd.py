"""DF301 multiple-cmd, DF302 multiple-entrypoint, DF303 multiple-healthcheck: settings that a later
instruction of the same stage overrides."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span


def _overridden(model, keyword):
    """(overridden instruction, the one that wins) for every stage; instructions of different stages,
    and ONBUILD triggers, never conflict."""
    for stage in model.stages:
        nodes = stage.find(keyword)
        for node in nodes[:-1]:
            yield node, nodes[-1]


def _delete(model, node):
    """An edit removing `node`'s lines (continuations included)."""
    lines = model.dockerfile.lines
    end = node.span.end_line
    if end < len(lines):
        span = Span(node.span.line, 1, end + 1, 1)
    else:
        span = Span(node.span.line, 1, end, len(lines[end - 1]) + 1)
    return Edit(span, "")


def _findings(model, keyword, what):
    for node, winner in _overridden(model, keyword):
        fix = Fix("safe", [_delete(model, node)], f"Remove the overridden {keyword}")
        yield Finding(
            node.keyword_span,
            f"{what} is overridden by the {keyword} at line {winner.span.line}; "
            f"only the last {keyword} in a stage takes effect",
            fix,
        )




@rule("DF301", "multiple-cmd", "warning", hadolint=("DL4003",), buildkit=("MultipleInstructionsDisallowed",),
      fixable="safe", reads=("CMD",))
def multiple_cmd(model: Model, options: Options) -> Iterator[Finding]:
    """More than one CMD in a stage: all but the last are dead.

    ## What it does
    Reports every CMD that a later CMD of the same stage overrides, at the overridden one, and names
    the line of the CMD that wins. `HEALTHCHECK CMD ...` and `ONBUILD CMD ...` are not CMDs, and CMDs
    in different stages never conflict (each stage is its own image).

    ## Why is this bad?
    Only the last CMD of a stage ends up in the image. An earlier one looks like it does something and
    does not: often two alternatives were left in, or a command meant for a RUN was written as CMD.

    ## Example
    ```dockerfile
    FROM python:3.12
    CMD ["python", "-m", "migrate"]
    CMD ["python", "-m", "app"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12
    RUN python -m migrate
    CMD ["python", "-m", "app"]
    ```

    ## Fix safety
    The fix deletes the overridden CMD. It is safe: the later CMD of the same stage replaces the value
    it sets, so the image configuration is the same without it. Comments above it are kept.
    """
    yield from _findings(model, "CMD", "this CMD")


@rule("DF302", "multiple-entrypoint", "warning", hadolint=("DL4004",),
      buildkit=("MultipleInstructionsDisallowed",), fixable="safe", reads=("ENTRYPOINT",))
def multiple_entrypoint(model: Model, options: Options) -> Iterator[Finding]:
    """More than one ENTRYPOINT in a stage: all but the last are dead.

    ## What it does
    Reports every ENTRYPOINT that a later ENTRYPOINT of the same stage overrides, at the overridden
    one, and names the line of the ENTRYPOINT that wins. ENTRYPOINTs in different stages never
    conflict, and `ONBUILD ENTRYPOINT` is a trigger for another build, not this stage's setting.

    ## Why is this bad?
    Only the last ENTRYPOINT of a stage ends up in the image; the others only mislead the reader.

    ## Example
    ```dockerfile
    FROM alpine
    ENTRYPOINT ["/docker-entrypoint.sh"]
    ENTRYPOINT ["tini", "--"]
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    ENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]
    ```

    ## Fix safety
    The fix deletes the overridden ENTRYPOINT. It is safe: the later ENTRYPOINT replaces the value it
    sets, and it also clears a CMD inherited from the base image exactly when the earlier one would
    have (when the stage has set no CMD before it), so the image configuration is the same without
    it. Comments above it are kept.
    """
    yield from _findings(model, "ENTRYPOINT", "this ENTRYPOINT")


@rule("DF303", "multiple-healthcheck", "warning", hadolint=("DL3012",),
      buildkit=("MultipleInstructionsDisallowed",), fixable="safe", reads=("HEALTHCHECK",))
def multiple_healthcheck(model: Model, options: Options) -> Iterator[Finding]:
    """More than one HEALTHCHECK in a stage: all but the last are dead.

    ## What it does
    Reports every HEALTHCHECK that a later HEALTHCHECK of the same stage overrides, at the overridden
    one, and names the line of the one that wins. `HEALTHCHECK NONE` counts: it is a HEALTHCHECK
    that switches the check off. HEALTHCHECKs in different stages never conflict.

    ## Why is this bad?
    Only the last HEALTHCHECK of a stage ends up in the image. A check written above a later
    `HEALTHCHECK NONE`, or replaced by a second check, never runs.

    ## Example
    ```dockerfile
    FROM nginx
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    HEALTHCHECK --interval=5s CMD curl -f http://localhost/health || exit 1
    ```

    ## Use instead
    ```dockerfile
    FROM nginx
    HEALTHCHECK --interval=5s CMD curl -f http://localhost/health || exit 1
    ```

    ## Fix safety
    The fix deletes the overridden HEALTHCHECK. It is safe: the later HEALTHCHECK of the same stage
    replaces it, so the image configuration is the same without it. Comments above it are kept.
    """
    yield from _findings(model, "HEALTHCHECK", "this HEALTHCHECK")
