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
HOW_IT_CHANGES = {"NUMBER", "NUM", "ID", "SHA", "REF", "DATE", "TIME", "TIMESTAMP", "HASH", "REVISION", "REV", "EPOCH",
                  "ATTEMPT"}
# Parts that name the commit of the sources being built, per-commit on their own (DOCKER_GITCOMMIT, APP_REVISION,
# CIRCLE_SHA1): unless a default pins them to a commit or a number (GOLANG_COMMIT='72aa6db...', PKG_REVISION=1).
REVISION = {"COMMIT", "GITCOMMIT", "SHA", "GITSHA", "REVISION", "REV", "GITREV", "HASH"}
# Parts of a per-commit value that would otherwise read as per-build: the commit's date (COMMIT_DATE,
# CI_COMMIT_TIMESTAMP), a reference to it (VCS_REF, GIT_REF).
WHEN = {"DATE", "TIME", "TIMESTAMP", "EPOCH"}
# Parts of a value that changes only with the branch, tag, release or pull request built (TRAVIS_BRANCH,
# CI_COMMIT_TAG, DRONE_PULL_REQUEST, GITHUB_REF_NAME): every build of that branch passes the same value.
PER_BRANCH = {"BRANCH", "TAG", "TAGS", "PULL", "PR", "MR", "VERSION", "RELEASE"}
# CI services: the variables they set for each build (TRAVIS_JOB_ID, BITBUCKET_BUILD_NUMBER, CI_COMMIT_SHA) come
# in as build arguments, and differ between the pipelines that share a cache.
CI_SERVICES = {"CI", "TRAVIS", "DRONE", "CIRCLE", "GITHUB", "GITLAB", "BUILDKITE", "JENKINS", "BITBUCKET", "TEAMCITY",
               "AZURE", "CODEBUILD", "APPVEYOR", "SEMAPHORE"}
# Listed names (the `names` option) that the parts read as something else: the commit CodeBuild resolved, the
# commit's time reproducible builds pin files to.
PER_COMMIT_NAMES = {"CODEBUILD_RESOLVED_SOURCE_VERSION", "SOURCE_DATE_EPOCH"}
# The time the image is built, as OCI's `org.opencontainers.image.created` names it (CREATED, IMAGE_CREATED,
# CREATION_DATE, CREATED_AT); not who or what created something (CREATED_BY, CREATED_DIR).
CREATION = {"CREATED", "CREATION"}
# Image labels whose value is, by their specification, the build's date or the commit built (OCI annotations,
# label-schema.org): an ARG that gives them their value changes that often, whatever its name.
LABEL_VOLATILITY = {
    "org.opencontainers.image.created": "build", "org.label-schema.build-date": "build",
    "org.opencontainers.image.revision": "commit", "org.label-schema.vcs-ref": "commit",
}
_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_PINNED = re.compile(r"[0-9a-fA-F]{7,64}|v?[0-9][0-9.]*")


def parts(name: str) -> list[str]:
    """`DOCKER_GITCOMMIT` -> DOCKER, GITCOMMIT; `gitCommit` -> GIT, COMMIT; `CIRCLE_SHA1` -> CIRCLE, SHA, 1."""
    return [p.upper() for p in _PART.findall(name)]


def volatility(name: str, default: str | None = None) -> str | None:
    """How often a value changes, read from its name's parts: "build" for every build (BUILD_DATE, CI_JOB_ID,
    GITHUB_RUN_NUMBER, CACHEBUST, CI_JOB_TOKEN), "commit" for every commit (GIT_SHA, VCS_REF, COMMIT_DATE,
    TRAVIS_COMMIT), None for a value that stays the same from one build to the next of a branch, tag, release or
    pull request (TRAVIS_BRANCH, CI_COMMIT_TAG, VERSION) or is no build's at all. `default`: the ARG's default."""
    upper = name.upper()
    if "CACHEBUST" in upper.replace("_", "").replace("-", ""):
        return "build"
    found = parts(name)
    words = set(found)
    # SHA256 and the like are checksums, not commits.
    revision = {p for i, p in enumerate(found) if p in REVISION and not (
        p == "SHA" and i + 1 < len(found) and found[i + 1] in ("224", "256", "384", "512"))}
    # The commit itself, written as a tag or a ref (COMMIT_TAG, GIT_COMMIT_REF: `git describe`, a short hash): per
    # commit. A CI service's own names keep their meaning (CI_COMMIT_TAG, CI_COMMIT_REF_NAME: the tag or branch built).
    commit_named = revision & {"COMMIT", "GITCOMMIT"} and found[0] not in CI_SERVICES and \
        not words & (PER_BRANCH - {"TAG"} | {"NAME", "SLUG"})
    if not commit_named and (words & PER_BRANCH or "REF" in words and (words & {"NAME", "SLUG"} or
                                                                       found[0] in CI_SERVICES)):
        # The head commit of a pull request (TRAVIS_PULL_REQUEST_SHA) changes with every commit pushed to it.
        return "commit" if revision & {"SHA", "GITSHA", "HASH"} and "VERSION" not in words else None
    if "TOKEN" in words and "JOB" in words:
        return "build"  # CI_JOB_TOKEN: a new one for every job
    if revision:
        pinned = default and _PINNED.fullmatch(default.strip("'\"") or "-")
        return None if pinned else "commit"
    if "REF" in words and (words & WHAT_CHANGES - {"BUILD", "JOB", "RUN", "PIPELINE", "WORKFLOW"} or found == ["REF"]):
        return "commit"  # VCS_REF, GIT_REF: the commit built
    if words & WHEN and words & {"SOURCE", "GIT", "VCS"}:
        return "commit"  # GIT_DATE, SOURCE_TIMESTAMP: the time of the commit
    if found and (found[-1] in CREATION or len(found) > 1 and found[-2] in CREATION and found[-1] in WHEN | {"AT"}):
        return "build"  # CREATED, IMAGE_CREATED, CREATION_DATE: when the image was built
    if words & WHAT_CHANGES and words & HOW_IT_CHANGES or words & CI_SERVICES and found[0] in CI_SERVICES and \
            words & (HOW_IT_CHANGES | {"BUILD"}) and len(found) > 1:
        return "build"
    return None


@rule("DF103", "volatile-arg-before-run", "warning", fixable="unsafe",
      options=[Option("names", list[str], VOLATILE, "ARG names taken to change on every build (any case)")])
def volatile_arg_before_run(model: Model, options: Options) -> Iterator[Finding]:
    """An ARG whose value changes on every build is declared before RUN instructions that do not need it.

    ## What it does
    Reports an `ARG` named like a value that changes with every build or every commit, declared in
    a stage before RUN instructions that come before its first use. Names are read by their parts
    (split at `_`, `-` and case changes), and the `names` option lists more (per build unless their
    parts say commit):

    - *every build*: a date or time (BUILD_DATE, BUILD_TIMESTAMP), a build, job, run or pipeline
      number or id (BUILD_NUMBER, CI_JOB_ID, CI_PIPELINE_ID, GITHUB_RUN_ID, TRAVIS_JOB_NUMBER,
      BUILDKITE_BUILD_NUMBER, CIRCLE_BUILD_NUM), a job's token (CI_JOB_TOKEN), the image's
      creation time (CREATED, IMAGE_CREATED, CREATION_DATE, but not CREATED_BY), anything holding
      CACHEBUST;
    - *every commit*: a part that names the commit being built (COMMIT, GITCOMMIT, SHA, HASH,
      REVISION, REV: DOCKER_GITCOMMIT, gitCommit, APP_REVISION, CIRCLE_SHA1, TRAVIS_COMMIT), a
      reference to it (VCS_REF, GIT_REF), the commit written as a tag or ref (COMMIT_TAG,
      GIT_COMMIT_REF) or its date (COMMIT_DATE, SOURCE_DATE_EPOCH), unless the
      default pins it to a commit hash or a number (`GOLANG_COMMIT=72aa6db...` pins a dependency;
      `NODE_SHA256` is a checksum).

    An ARG without a default that gives its value to a LABEL whose specification says it holds the
    build's date or the commit built (`org.opencontainers.image.created`,
    `org.opencontainers.image.revision`, label-schema's `build-date` and `vcs-ref`) is taken to
    change as often, whatever its name (`ARG STAMP` then `LABEL
    org.opencontainers.image.created=$STAMP`).

    Values that change only with the branch, tag, release or pull request built are not reported:
    every build of it passes the same value (TRAVIS_BRANCH, CI_COMMIT_TAG, CI_COMMIT_REF_NAME,
    GITHUB_REF, DRONE_PULL_REQUEST, VERSION and anything `_VERSION`); nor are GIT_REPO, BUILD_TYPE,
    BUILD_TAGS, USER_ID.

    A per-commit value is reported like a per-build one, also for the RUN instructions after a copy
    of the whole build context: a commit that changes nothing the build copies (CI settings, files
    the `.dockerignore` leaves out) or a build run again for the same context would find them
    cached but for the ARG. An ENV of the same name that does not take the ARG's value (`ARG
    VITE_COMMIT_HASH` then `ENV VITE_COMMIT_HASH=unknown`) overrides it: no RUN after that ENV
    sees the ARG.

    Declaring it right before the instruction that first uses it, or after the last RUN (for a
    LABEL, which can move to the end of the stage with it), is fine. An ENV that takes its value
    (`ENV GIT_COMMIT_HASH=$COMMIT`) is not a use that ends the matter: it carries the value into
    the environment of every later RUN, also in the stages built on the stage, so the RUN
    instructions up to the first one that uses the ARG or the ENV are reported, and the advice is
    to declare both just before it. A RUN uses a variable when it names it, or when it runs a build
    that reads variables of that name without naming them: `npm run build` (or `vite`, `next
    build`...) reads `VITE_*`, `REACT_APP_*`, `NEXT_PUBLIC_*` and the like, which the bundler
    embeds, and `cargo build` reads vergen's `VERGEN_*`.

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
        labelled = _labelled(instructions)
        for index, node in enumerate(instructions):
            if node.keyword != "ARG":
                continue
            for pair in node.pairs:
                kind = volatility(pair.key, pair.value)
                if kind is None and pair.key.upper() in names:
                    kind = "commit" if pair.key.upper() in PER_COMMIT_NAMES else "build"
                if kind is None and not pair.value:
                    kind = labelled.get(pair.key)  # `LABEL org.opencontainers.image.created=$STAMP`
                if kind is None:
                    continue
                later = instructions[index + 1:]
                # An ENV of the same name that does not take the ARG's value overrides it: no RUN after it sees it.
                override = next((i for i, n in enumerate(later) if n.keyword == "ENV" and any(
                    p.key == pair.key for p in n.pairs) and not _mentions(n, pair.key)), None)
                if override is not None:
                    later = later[:override]
                # A LABEL can move to the end of the stage with the ARG; other uses pin the ARG before them. An ENV
                # that takes its value is no use: it carries the value into the environment of every later RUN.
                carriers = _carriers(later, pair.key)
                names_used = [pair.key] + [p.key for n in carriers for p in n.pairs]
                use = next((n for n in later if n.keyword not in MOVABLE and n not in carriers and
                            any(_mentions(n, name) or _reads(model, n, name) for name in names_used)), None)
                before = [n for n in later if n.keyword == "RUN" and (use is None or n.span.line < use.span.line)]
                # The ENV goes on in the stages built on this one: their RUNs up to a use miss the cache too.
                inherited = _inherited(model, stage, names_used) if carriers and use is None and \
                    override is None else []
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
                what = "changes on every build" if kind == "build" else "changes with every commit"
                yield Finding(pair.key_span, (
                    f"ARG {pair.key} {what}, so the RUN instruction{plural} after it (line{plural} "
                    f"{lines}) {'miss' if plural else 'misses'} the cache each time, though {'they do' if plural else 'it does'} "
                    f"not mention it; {where}"), fix)


def _labelled(instructions):
    """name -> how often it changes, for the variables a LABEL of the stage gives to a label whose specification says
    it holds the build's date or the commit (`LABEL org.opencontainers.image.created=${CREATED}`)."""
    found = {}
    for node in instructions:
        if node.keyword == "LABEL":
            for pair in node.pairs:
                kind = LABEL_VOLATILITY.get(pair.key.strip("'\"").lower())
                if kind is not None and pair.value:
                    found.update((name, kind) for name in _REFERENCE.findall(pair.value))
    return found


def _inherited(model, stage, names):
    """The RUN instructions of the built stages built on `stage`, each stage's up to the first instruction that
    mentions one of `names` (an ENV of `stage` holding a per-build value is in their environment)."""
    built = {id(s) for s in model.built_stages}
    found = []
    for child in model.built_on(stage):
        if id(child) not in built:
            continue
        for node in child.instructions:
            if node.keyword not in MOVABLE and any(_mentions(node, name) or _reads(model, node, name)
                                                   for name in names):
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


def _reads(model, node, name):
    """A RUN that runs a build reading `name` from its environment without naming it (`npm run build` and
    VITE_SHA: the bundler embeds it)."""
    from dfcheck.model import reads_env

    return node.keyword == "RUN" and any(reads_env(command, name) for _, _, command in model.commands(node))


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
