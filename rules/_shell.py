"""Helpers shared by the DF5xx shell and package rules and DF204 (this module defines no rule).

They read the shell commands the model parsed out of each RUN (`model.shell_code(node)`): never the
RUN's text.
"""

from dfcheck.syntax.nodes import Span


def runs(model):
    """Every RUN of the file with its stage, in file order."""
    for stage in model.stages:
        for node in stage.instructions:
            if node.keyword == "RUN":
                yield stage, node


def commands(model, node):
    """(shell code, command as written, command with wrappers such as sudo and env stripped) for each
    command of a RUN, heredoc bodies run by a shell and `sh -c '...'` strings included, in the order they run."""
    return model.commands(node)


def answered(command):
    """Whether something feeds a command's standard input (`yes | apt-get ...`, `dnf ... < answers`, a
    here-document): a prompt then reads its answer there."""
    if command.pipeline is not None and command.pipeline_index > 0:
        return True
    for redirect in command.redirects:
        if redirect.op in ("<<", "<<-", "<<<"):
            return True
        if redirect.reads and redirect.fd in (None, 0) and redirect.path != "/dev/null":
            return True
    return False


def verb(command, takes_value=()):
    """The first operand (`install` in `apt-get -y install curl`) as a Word, or None."""
    operands = command.operands(takes_value=takes_value)
    return operands[0] if operands else None


def point_after(code, word):
    """An empty span right after `word`, where an edit inserts text."""
    span = code.span(word.end - 1, word.end)
    return Span(span.end_line, span.end_column, span.end_line, span.end_column)


def editable(node, code):
    """Whether edits at the positions of `code` land exactly: not in exec form (JSON escapes shift columns), nor
    in a `sh -c "..."` string with escapes."""
    return not node.json and code.exact and not code.script.has_errors


def listing(names, limit=3):
    """`a`, `a and b`, `a, b and c`, `a, b, c and 4 more`."""
    names = list(dict.fromkeys(names))
    if len(names) > limit + 1:
        shown = names[:limit]
        return ", ".join(shown) + f" and {len(names) - limit} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def literal(word):
    """The literal characters of a word, expansions left out (`curl=${V}` -> `curl=`)."""
    return "".join(p for p in word.parts if isinstance(p, str))


def only_expansions(word):
    """True for a word made of expansions alone (`$PACKAGES`, `"${pkg}"`): its value is anyone's guess."""
    return word.value is None and not literal(word)


def user_at(model, stage, node):
    """The USER in effect when `node` runs, as (name, USER instruction), or None when the Dockerfile sets
    none in the stage's lineage (the base image's user applies)."""
    user = model.user(node)  # indexed by the model: scanning the lineage for each RUN was quadratic
    return (user.value, user.node) if user is not None else None


def is_root(user):
    name = user.split(":", 1)[0]
    return name in ("root", "0")
