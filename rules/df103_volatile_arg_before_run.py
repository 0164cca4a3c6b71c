import re
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Option, Finding, Fix, Options, rule

from ._fixes import delete_lines, insert_after, insert_lines, insertion_line, lines_text

VOLATILE = [
    "BUILD_DATE", "BUILDDATE", "BUILD_TIME", "BUILD_TIMESTAMP", "BUILDTIME", "BUILD_NUMBER", "BUILD_ID", "BUILD_REF",
    "VCS_REF", "VCS_REVISION", "GIT_SHA", "GIT_COMMIT", "GIT_COMMIT_SHA", "GIT_HASH", "GIT_REVISION", "GIT_REF",
    "COMMIT", "COMMIT_SHA", "COMMIT_HASH", "SOURCE_COMMIT", "SOURCE_DATE_EPOCH", "REVISION", "CACHEBUST", "CACHE_BUST",
    "CACHEBUSTER", "CACHE_BUSTER", "TIMESTAMP", "CI_COMMIT_SHA", "CI_PIPELINE_ID", "CI_JOB_ID", "GITHUB_SHA",
    "GITHUB_RUN_ID", "GITHUB_RUN_NUMBER", "REF", "CODEBUILD_RESOLVED_SOURCE_VERSION",
]


MOVABLE = ("LABEL",)
# A name whose parts (split at `_`, `-` and case changes) join one of each set, such as CI_JOB_ID or BUILD_NUMBER,
# names a value that changes with every build.
WHAT_CHANGES = {"JOB", "BUILD", "RUN", "PIPELINE", "CI", "COMMIT", "GIT", "VCS", "SOURCE", "WORKFLOW"}
HOW_IT_CHANGES = {"NUMBER", "NUM", "ID", "SHA", "REF", "DATE", "TIME", "TIMESTAMP", "HASH", "REVISION", "REV", "EPOCH"}
# Parts that name the commit of the sources being built, per-build on their own (DOCKER_GITCOMMIT, APP_REVISION,
# CIRCLE_SHA1): unless a default pins them to a commit or a number (GOLANG_COMMIT='72aa6db...', PKG_REVISION=1).
REVISION = {"COMMIT", "GITCOMMIT", "SHA", "GITSHA", "REVISION", "REV", "GITREV"}
# CI services: the variables they set for each build (TRAVIS_COMMIT, BITBUCKET_BUILD_NUMBER, CI_COMMIT_BRANCH) come
# in as build arguments, and differ between the pipelines that share a cache.
CI_SERVICES = {"CI", "TRAVIS", "DRONE", "CIRCLE", "GITHUB", "GITLAB", "BUILDKITE", "JENKINS", "BITBUCKET", "TEAMCITY",
               "AZURE", "CODEBUILD", "APPVEYOR", "SEMAPHORE", "BUILDKITE"}
CI_CHANGES = HOW_IT_CHANGES | {"COMMIT", "BRANCH", "TAG"}
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_PINNED = re.compile(r"[0-9a-fA-F]{7,64}|v?[0-9][0-9.]*")


def parts(name: str) -> list[str]:
    """`DOCKER_GITCOMMIT` -> DOCKER, GITCOMMIT; `gitCommit` -> GIT, COMMIT; `CIRCLE_SHA1` -> CIRCLE, SHA, 1."""
    return [p.upper() for p in _PART.findall(name)]


def per_build(name: str, default: str | None = None) -> bool:
    """Whether a name reads as a per-build value by its parts: CI_PIPELINE_ID, BUILD_NUM, GIT_COMMIT_SHA,
    DOCKER_GITCOMMIT, TRAVIS_BRANCH, ... `default`: the ARG's default value, when it has one."""
    upper = name.upper()
    if "CACHEBUST" in upper.replace("_", "").replace("-", ""):
        return True
    found = parts(name)
    words = set(found)
    if words & CI_SERVICES and words & CI_CHANGES and found[0] in CI_SERVICES:
        return True
    # SHA256 and the like are checksums, not commits.
    revision = {p for i, p in enumerate(found) if p in REVISION and not (
        p == "SHA" and i + 1 < len(found) and found[i + 1] in ("224", "256", "384", "512"))}
    if revision and not (default and _PINNED.fullmatch(default.strip("'\"") or "-")):
        return True
    return bool(words & WHAT_CHANGES) and bool(words & (HOW_IT_CHANGES - {"SHA"} if not revision else HOW_IT_CHANGES))


@rule("DF103", "volatile-arg-before-run", "warning", fixable="unsafe",
      options=[Option("names", list[str], VOLATILE, "ARG names taken to change on every build (any case)")])
def volatile_arg_before_run(model: Model, options: Options) -> Iterator[Finding]:
    """An ARG whose value changes on every build is declared before RUN instructions that do not need it.

    ## What it does
    Reports an `ARG` named like a per-build value that is declared in a stage before RUN
    instructions that come before its first use. A per-build name is one the `names` option lists
    (BUILD_DATE, VCS_REF, GIT_SHA, REF, ...), one that holds CACHEBUST, or one recognised by its
    parts (split at `_`, `-` and case changes):

    - a part that names the commit being built: COMMIT, GITCOMMIT, SHA, REVISION, REV
      (DOCKER_GITCOMMIT, gitCommit, APP_REVISION, CIRCLE_SHA1), unless the default pins it to a
      commit hash or a number (`GOLANG_COMMIT=72aa6db...` pins a dependency; `NODE_SHA256` is a
      checksum);
    - a CI service's prefix (CI, TRAVIS, DRONE, CIRCLE, GITHUB, GITLAB, BUILDKITE, JENKINS,
      BITBUCKET, TEAMCITY, AZURE, CODEBUILD, ...) with ID, NUMBER, NUM, SHA, REF, COMMIT or BRANCH:
      the variables a pipeline passes for each build (TRAVIS_BRANCH, CI_COMMIT_BRANCH);
    - what changes (JOB, BUILD, RUN, PIPELINE, CI, GIT, VCS, SOURCE, WORKFLOW) with how (NUMBER, NUM,
      ID, REF, DATE, TIME, HASH, EPOCH): CI_JOB_ID, BUILD_NUM, RUN_ID, PIPELINE_TIMESTAMP.

    Names of values that stay the same from one build to the next are not per-build: VERSION and
    anything `_VERSION` (a release changes it, not a build), GIT_REPO, BRANCH and GIT_BRANCH alone
    (every build of a branch passes the same value), BUILD_TYPE, BUILD_TAGS, USER_ID.

    Declaring it right before the instruction that first uses it, or after the last RUN (for a
    LABEL, which can move to the end of the stage with it), is fine. An ENV that takes its value
    (`ENV GIT_COMMIT_HASH=$COMMIT`) is not a use that ends the matter: it carries the value into
    the environment of every later RUN, also in the stages built on the stage, so the RUN
    instructions up to the first one that mentions the ARG or the ENV are reported, and the advice
    is to declare both just before it.

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
    that use it. No fix is offered when an ENV carries the value (both would have to move). It is
    unsafe: a script run by one of the RUN instructions in between may read the
    variable from its environment without naming it in the Dockerfile. No fix is offered for an
    ARG that declares several names or whose default value uses variables (it could expand
    differently further down), nor when a LABEL that moves would then expand differently (an ARG
    or ENV in between sets a variable it uses) or set its keys in another order (another LABEL in
    between sets one of them).
    """
    names = {n.upper() for n in options.names}
    stages = model.built_stages
    for stage in stages:
        instructions = stage.instructions
        for index, node in enumerate(instructions):
            if node.keyword != "ARG":
                continue
            for pair in node.pairs:
                if pair.key.upper() not in names and not per_build(pair.key, pair.value):
                    continue
                later = instructions[index + 1:]
                # A LABEL can move to the end of the stage with the ARG; other uses pin the ARG before them. An ENV
                # that takes its value is no use: it carries the value into the environment of every later RUN.
                carriers = _carriers(later, pair.key)
                names_used = [pair.key] + [p.key for n in carriers for p in n.pairs]
                use = next((n for n in later if n.keyword not in MOVABLE and n not in carriers and
                            any(_mentions(n, name) for name in names_used)), None)
                before = [n for n in later if n.keyword == "RUN" and (use is None or n.span.line < use.span.line)]
                # The ENV goes on in the stages built on this one: their RUNs up to a use miss the cache too.
                inherited = _inherited(model, stage, names_used) if carriers and use is None else []
                before += inherited
                if not before:
                    continue
                lines = ", ".join(str(n.span.line) for n in before[:5]) + (" ..." if len(before) > 5 else "")
                plural = "s" if len(before) > 1 else ""
                labels = [n for n in later if n.keyword in MOVABLE and _mentions(n, pair.key)]
                if use is None and labels and labels[0].span.line > before[-1].span.line:
                    use = labels[0]
                if carriers:
                    envs = ", ".join(f"{' '.join(p.key for p in n.pairs)} (line {n.span.line})" for n in carriers)
                    both = "the ARG and the ENV" + ("s" if len(carriers) > 1 else "")
                    where = (f"ENV {envs} carries its value into the environment of every later RUN"
                             + (", also in the stages built on this one" if inherited else "")
                             + f"; declare {both} "
                             + (f"right before their first use at line {use.span.line}" if use is not None else
                                "in the stage that needs them, right before their first use" if inherited else
                                "after the last RUN"))
                elif use is not None:
                    where = f"declare it right before its first use at line {use.span.line}"
                elif labels:
                    where = (f"declare it after the last RUN (line {before[-1].span.line}), with the LABEL that "
                             f"uses it (line {labels[0].span.line})")
                else:
                    where = "declare it after the last RUN, or drop it if nothing uses it"
                if len(node.pairs) != 1 or carriers:
                    fix = None
                elif use is not None:
                    fix = None if any(n.span.line < use.span.line for n in labels) else _move(model, node, use)
                else:
                    fix = _move_after(model, stage, node, before[-1], labels)
                yield Finding(pair.key_span, (
                    f"ARG {pair.key} changes on every build, so the RUN instruction{plural} after it (line{plural} "
                    f"{lines}) {'miss' if plural else 'misses'} the cache each time, though {'they do' if plural else 'it does'} "
                    f"not mention it; {where}"), fix)


def _inherited(model, stage, names):
    """The RUN instructions of the built stages built on `stage`, each stage's up to the first instruction that
    mentions one of `names` (an ENV of `stage` holding a per-build value is in their environment)."""
    built = {id(s) for s in model.built_stages}
    found = []
    for child in model.built_on(stage):
        if id(child) not in built:
            continue
        for node in child.instructions:
            if node.keyword not in MOVABLE and any(_mentions(node, name) for name in names):
                break
            if node.keyword == "RUN":
                found.append(node)
    return found


def _carriers(later, name):
    """The ENV instructions among `later` that take the ARG's value, directly or through an earlier one of them
    (`ENV GIT_COMMIT_HASH=$COMMIT`): every RUN after them has it in its environment."""
    found, names = [], [name]
    for node in later:
        if node.keyword == "ENV" and any(_mentions(node, n) for n in names):
            found.append(node)
            names.extend(p.key for p in node.pairs)
    return found


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
               f"Move the ARG to line {use.span.line}", changes=_moved_past(node))


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
    return Fix("unsafe", edits, f"Move {what} after the last RUN (line {run.span.line})", changes=_moved_past(node))


def _moved_past(node):
    """What the move changes on purpose: the instructions it passes no longer see the ARG (their text does not
    name it)."""
    return tuple(f"ARG {pair.key}" for pair in node.pairs)
