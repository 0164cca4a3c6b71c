from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

# Set by most base images; using them without declaring them is normal.
COMMON_IMAGE_ENV = {"PATH", "HOME", "HOSTNAME", "TERM", "LANG", "LC_ALL", "USER", "PWD", "SHELL"}


@rule("DF004", "undefined-variable", "warning", hadolint=("DL3044",),
      buildkit=("UndefinedVar", "UndefinedArgInFrom"))
def undefined_variable(model: Model, options: Options) -> Iterator[Finding]:
    """A variable is used in an instruction but nothing declares it where it is used.

    ## What it does
    Checks every `$NAME` and `${NAME...}` that BuildKit expands (in FROM, COPY, ADD, ENV, LABEL,
    WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, ARG defaults and the flags of COPY, ADD, FROM and RUN)
    against the ARG and ENV declarations visible at that point, with BuildKit's scoping.

    It reports a use when it is certainly wrong: in FROM (only global ARGs are visible there), in a
    stage built `FROM scratch` (no base image can provide it), when the name is declared elsewhere
    in the file but not visible here (a global ARG used in a stage without `ARG NAME`, an ARG of
    another stage, or a name set by an earlier pair of the same ENV instruction), or when it looks like a typo of a
    declared name. A name that a base image may define (`$PATH`, `$JAVA_HOME`) is not reported.

    ## Why is this bad?
    An undefined variable expands to an empty string without any error: `COPY app-$VERSION.jar`
    quietly becomes `COPY app-.jar`, `WORKDIR $APP_HOME` becomes `WORKDIR /`.

    ## Example
    ```dockerfile
    ARG VERSION=1.2
    FROM alpine
    RUN wget https://example.com/tool-$VERSION.tgz
    COPY tool-$VERSION.tgz /opt/
    ```

    ## Use instead
    ```dockerfile
    ARG VERSION=1.2
    FROM alpine
    ARG VERSION
    COPY tool-$VERSION.tgz /opt/
    ```

    ## Fix safety
    No automatic fix: whether to declare the variable or correct a typo is the author's call.
    """
    declared = _declarations(model)
    for use in model.undefined:
        node, name = use.node, use.name
        stage = model.stage_of(node)
        reason = None
        if node.keyword == "FROM":
            if name in declared:
                reason = f"only global ARGs (declared before the first FROM) can be used in FROM; ${name} is declared at line {declared[name]}"
            else:
                reason = "FROM sees only global ARGs declared before the first FROM"
        elif any(p.key == name and _before(p.span, use.span) for p in node.pairs):
            reason = f"it is set in this same {node.keyword}, whose expansions all see the values from before it"
        elif name in model.global_args:
            reason = f"the global ARG {name} is not visible in a stage until the stage declares it again with `ARG {name}`"
        elif name in declared:
            reason = f"the ARG at line {declared[name]} is not in scope here (each stage must declare the ARGs it uses)"
        elif use.suggestion:
            reason = f"did you mean ${use.suggestion}?"
        elif stage is not None and model.root(stage).is_scratch and name not in COMMON_IMAGE_ENV:
            reason = "the stage is built FROM scratch, so no base image defines it"
        if reason:
            yield Finding(use.span, f"${name} is not defined here: {reason}")


def _before(a, b):
    return (a.end_line, a.end_column) <= (b.line, b.column)


def _declarations(model):
    """Name -> line of its first ARG anywhere in the file.

    Only ARGs count: a name some other stage sets with ENV may just as well come from this stage's
    base image, but no base image provides build arguments.
    """
    found = {}
    for node in model.instructions:
        if node.keyword == "ARG":
            for pair in node.pairs:
                found.setdefault(pair.key, node.span.line)
    return found
