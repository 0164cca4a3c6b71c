import re

from dfcheck.rule import Finding, Fix, rule

from ._fixes import delete_lines, insert_after, insert_lines, insertion_line, lines_text

VOLATILE = [
    "BUILD_DATE", "BUILDDATE", "BUILD_TIME", "BUILD_TIMESTAMP", "BUILDTIME", "BUILD_NUMBER", "BUILD_ID", "BUILD_REF",
    "VCS_REF", "VCS_REVISION", "GIT_SHA", "GIT_COMMIT", "GIT_COMMIT_SHA", "GIT_HASH", "GIT_REVISION", "GIT_REF",
    "COMMIT", "COMMIT_SHA", "COMMIT_HASH", "SOURCE_COMMIT", "SOURCE_DATE_EPOCH", "REVISION", "CACHEBUST", "CACHE_BUST",
    "CACHEBUSTER", "CACHE_BUSTER", "TIMESTAMP", "CI_COMMIT_SHA", "CI_PIPELINE_ID", "CI_JOB_ID", "GITHUB_SHA",
    "GITHUB_RUN_ID", "GITHUB_RUN_NUMBER",
]


MOVABLE = ("LABEL",)
# A name made of one part of each set (split at `_`), such as CI_JOB_ID or BUILD_NUMBER, or holding CACHEBUST,
# names a value that changes with every build.
WHAT_CHANGES = {"JOB", "BUILD", "RUN", "PIPELINE", "CI", "COMMIT", "GIT", "VCS", "SOURCE", "WORKFLOW", "GITHUB",
                "GITLAB", "DRONE", "CIRCLE", "TRAVIS", "JENKINS", "BUILDKITE"}
HOW_IT_CHANGES = {"NUMBER", "NUM", "ID", "SHA", "REF", "DATE", "TIME", "TIMESTAMP", "HASH", "REVISION", "REV", "EPOCH"}


def per_build(name: str) -> bool:
    """Whether a name reads as a per-build value by its parts: CI_PIPELINE_ID, BUILD_NUM, GIT_COMMIT_SHA, ..."""
    upper = name.upper()
    if "CACHEBUST" in upper.replace("_", ""):
        return True
    parts = set(upper.split("_"))
    return bool(parts & WHAT_CHANGES) and bool(parts & HOW_IT_CHANGES)


@rule("DF103", "volatile-arg-before-run", "warning", fixable="unsafe", options={"names": VOLATILE})
def volatile_arg_before_run(model, options):
    """An ARG whose value changes on every build is declared before RUN instructions that do not need it.

    ## What it does
    Reports an `ARG` named like a per-build value that is declared in a stage before RUN
    instructions that come before its first use. A per-build name is one the `names` option lists
    (BUILD_DATE, VCS_REF, GIT_SHA, REVISION, ...), one that holds CACHEBUST, or one whose parts
    (split at `_`) join what changes (JOB, BUILD, RUN, PIPELINE, CI, COMMIT, GIT, VCS, SOURCE and
    CI services such as GITHUB) with how (NUMBER, NUM, ID, SHA, REF, DATE, TIME, HASH, REVISION):
    CI_JOB_ID, BUILD_NUM, GITHUB_RUN_ID, PIPELINE_TIMESTAMP. Declaring it right before the
    instruction that first uses it, or after the last RUN (for a LABEL, which can move to the end of
    the stage with it), is fine.

    ## Why is this bad?
    Every build argument in scope is part of the environment of every later RUN, so BuildKit keys
    those RUN steps on its value. A value that changes on every build (a date, a commit) makes each
    of them miss the cache, and with them every later step of the stage: the build cache is never
    used after that ARG.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ARG VCS_REF
    RUN apk add --no-cache curl
    LABEL org.opencontainers.image.revision=$VCS_REF
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ARG VCS_REF
    LABEL org.opencontainers.image.revision=$VCS_REF
    ```

    ## Options
    - `names`: more ARG names taken to change on every build (matched without regard to case), besides
      those recognised by their parts.

    ## Fix safety
    The fix moves the ARG (with the comments above it) right before the first instruction that
    mentions the variable, above that instruction's comments. When only LABELs use it, or nothing
    does, the ARG moves right after the last RUN of the stage, with the LABELs before that RUN
    that use it. It is unsafe: a script run by one of the RUN instructions in between may read the
    variable from its environment without naming it in the Dockerfile. No fix is offered for an
    ARG that declares several names or whose default value uses variables (it could expand
    differently further down), nor when a LABEL that moves would then expand differently (an ARG
    or ENV in between sets a variable it uses) or set its keys in another order (another LABEL in
    between sets one of them).
    """
    names = {n.upper() for n in options.get("names", VOLATILE)}
    stages = model.dependencies(model.target) if model.target else model.stages
    for stage in stages:
        instructions = stage.instructions
        for index, node in enumerate(instructions):
            if node.keyword != "ARG":
                continue
            for pair in node.pairs:
                if pair.key.upper() not in names and not per_build(pair.key):
                    continue
                later = instructions[index + 1:]
                # A LABEL can move to the end of the stage with the ARG; other uses pin the ARG before them.
                use = next((n for n in later if n.keyword not in MOVABLE and _mentions(n, pair.key)), None)
                before = [n for n in later if n.keyword == "RUN" and (use is None or n.span.line < use.span.line)]
                if not before:
                    continue
                lines = ", ".join(str(n.span.line) for n in before[:5]) + (" ..." if len(before) > 5 else "")
                plural = "s" if len(before) > 1 else ""
                labels = [n for n in later if n.keyword in MOVABLE and _mentions(n, pair.key)]
                if use is None and labels and labels[0].span.line > before[-1].span.line:
                    use = labels[0]
                if use is not None:
                    where = f"declare it right before its first use at line {use.span.line}"
                elif labels:
                    where = (f"declare it after the last RUN (line {before[-1].span.line}), with the LABEL that "
                             f"uses it (line {labels[0].span.line})")
                else:
                    where = "declare it after the last RUN, or drop it if nothing uses it"
                if len(node.pairs) != 1:
                    fix = None
                elif use is not None:
                    fix = None if any(n.span.line < use.span.line for n in labels) else _move(model, node, use)
                else:
                    fix = _move_after(model, stage, node, before[-1], labels)
                yield Finding(pair.key_span, (
                    f"ARG {pair.key} changes on every build, so the RUN instruction{plural} after it (line{plural} "
                    f"{lines}) {'miss' if plural else 'misses'} the cache each time, though {'they do' if plural else 'it does'} "
                    f"not mention it; {where}"), fix)


def _mentions(node, name):
    pattern = re.compile(r"\$(\{)?" + re.escape(name) + r"\b")
    texts = [node.original] + [h.content for h in node.heredocs]
    return any(pattern.search(t) for t in texts)


def _block(model, node):
    """(first line, last line) of an instruction with the comment block above it, which moves with it."""
    return insertion_line(node), node.span.end_line


def _movable_arg(node):
    # A default made of variables could expand differently further down.
    return not any(pair.value and "$" in pair.value for pair in node.pairs)


def _move(model, node, use):
    """The ARG (and its comments) moved right before its first use (above the use's comments)."""
    if not _movable_arg(node):
        return None
    first, last = _block(model, node)
    return Fix("unsafe", [delete_lines(model, first, last), insert_lines(insertion_line(use), lines_text(model, first,
                                                                                                        last))],
               f"Move the ARG to line {use.span.line}")


def _move_after(model, stage, node, run, labels):
    """The ARG, and the LABELs before `run` that use it, moved right after `run` (the last RUN of the stage);
    None when a LABEL would then expand differently or set its keys in another order."""
    if not _movable_arg(node):
        return None
    moved = [node] + [n for n in labels if n.span.line < run.span.line]
    name = node.pairs[0].key
    mentioned = {m for n in moved[1:] for m in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", n.original)}
    keys = {p.key for n in moved[1:] for p in n.pairs}
    for other in stage.instructions:
        if other in moved or not node.span.line < other.span.line < run.span.line:
            continue
        declared = {p.key for p in other.pairs} if other.keyword in ("ARG", "ENV") else set()
        if name in declared or declared & mentioned or other.keyword == "ONBUILD" or (
                other.keyword == "LABEL" and keys & {p.key for p in other.pairs}):
            return None
    blocks = []
    for n in moved:
        first, last = _block(model, n)
        if blocks and first == blocks[-1][1] + 1:
            blocks[-1] = (blocks[-1][0], last)
        else:
            blocks.append((first, last))
    text = "".join(lines_text(model, first, last) for first, last in blocks)
    edits = [delete_lines(model, first, last) for first, last in blocks] + [insert_after(model, run, text)]
    what = "the ARG" + (" and the LABEL that uses it" if len(moved) == 2 else
                        " and the LABELs that use it" if len(moved) > 2 else "")
    return Fix("unsafe", edits, f"Move {what} after the last RUN (line {run.span.line})")
