from collections.abc import Iterator

from dfcheck.model import Model, action, executed
from dfcheck.rule import Finding, Fix, Options, rule

from ._fixes import command_text, delete_instruction, insert_before_command, names_set_between, \
    remove_command, run_user_and_shell_same, sequenced

# Roles of the package-manager verbs that read the package index.
INSTALLS = ("install", "upgrade")


@rule("DF102", "apt-update-in-separate-layer", "warning", fixable="unsafe")
def apt_update_in_separate_layer(model: Model, options: Options) -> Iterator[Finding]:
    """The package lists are refreshed in one RUN and used by an install in a later RUN.

    ## What it does
    Reports `apt-get update` (and `apk update`, `yum makecache`, `dnf makecache`, `zypper refresh`,
    `pacman -Sy` without packages, also followed by an upgrade)
    in a RUN that installs nothing with that package manager, when a later RUN of the stage (or of
    a stage built `FROM` it) installs with it without refreshing the lists itself.

    Trivy (DS017) and Checkov (CKV_DOCKER_5) check the same; hadolint and BuildKit have no such rule.

    ## Why is this bad?
    The update layer is cached on its text alone, which never changes. When the install line
    changes, the install runs again on top of the old cached lists: packages that moved on in the
    archive fail to download (404), or old versions get installed. Kept in one RUN, the update runs
    whenever the install does.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update
    RUN apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Fix safety
    The fix puts the update in front of the install (`apt-get update && apt-get install ...`) and
    removes the RUN that only updated (or just its update, when that RUN does other things that
    need no package lists; a RUN that also upgrades keeps its update). It is unsafe: the update
    now runs whenever the install does, and the install sees newer lists. No fix is offered when
    the install is in another stage, when a USER or SHELL instruction, an ARG or ENV setting a
    variable the update names, or different RUN flags (`--mount`) separate the two, or when the
    update or the install is not a plain step of its RUN (inside a condition, a subshell or a
    pipeline, or an exec-form RUN).
    """
    stages = model.built_stages
    for stage in stages:
        layers = stage.layers
        for index, node in enumerate(layers):
            if node.keyword != "RUN":
                continue
            for family, command in _updates_alone(model, node):
                following = layers[index + 1:] + [n for s in model.built_on(stage) for n in s.layers]
                install = _stale_install(model, family, following)
                if install is None:
                    continue
                code, span = command
                yield Finding(span, (
                    f"`{code}` refreshes the package lists in its own layer, and the install at line "
                    f"{install.span.line} runs in another: when only the install changes, it runs on the cached, "
                    f"stale lists; update and install in the same RUN"), _fix(model, node, family, span, install))


def _actions(model, node):
    """(shell code, command, package-manager action) for each package-manager command of a RUN."""
    for code, command in executed(model.shell_code(node)):
        if command.in_function:
            continue
        found = action(command.effective())
        if found is not None:
            yield code, command, found


def _updates_alone(model, node):
    """(family, (command text, span)) for each package family whose index the RUN refreshes without installing."""
    updates, installed = {}, set()
    for code, command, act in _actions(model, node):
        family = act.tool.family
        if act.role == "update" and family not in updates:
            updates[family] = (" ".join(w.text for w in command.effective().argv), code.span(command.start, command.end))
        elif act.role == "install":  # an upgrade alone installs nothing new: a later install still needs the lists
            installed.add(family)
    return [(family, update) for family, update in updates.items() if family not in installed]


def _stale_install(model, family, following):
    for node in following:
        if node.keyword != "RUN":
            continue
        for _, _, act in _actions(model, node):
            if act.tool.family != family:
                continue
            if act.role == "update":
                break  # this RUN refreshes the lists itself
            if act.role in INSTALLS:
                if act.refresh:
                    break
                return node
    return None


# -- the fix ------------------------------------------------------------------------------------------

def _fix(model, node, family, span, install):
    """The update moved in front of the install (see Fix safety), or None."""
    if node.json or install.json or not run_user_and_shell_same(model, node, install):
        return None
    if node.flags and [f.text for f in node.flags] != [f.text for f in install.flags]:
        return None  # a cache mount or network option the update needs, that the install's RUN lacks
    update = next(((code, command, act) for code, command, act in _actions(model, node)
                   if act.tool.family == family and act.role == "update"
                   and code.span(command.start, command.end) == span), None)
    target = next(((code, command) for code, command, act in _actions(model, install)
                   if act.tool.family == family and act.role in INSTALLS), None)
    if update is None or target is None or sequenced(update[0], update[1]) is None:
        return None  # `yum check-update || true`: the update cannot run alone in front of the install
    text = command_text(update[0], update[1])
    if text and names_set_between(model, node, install, text):
        return None  # an ARG or ENV on the way gives the update's variables other values
    insert = insert_before_command(target[0], target[1], text) if text else None
    if insert is None:
        return None
    removal = _removal(model, node, *update)
    edits = [insert] if removal is None else [removal, insert]
    return Fix("unsafe", edits, f"Run `{text}` in the RUN at line {install.span.line}, before its install")


def _removal(model, node, code, update, act):
    """How the update leaves its RUN: the whole RUN when it does nothing else (or only cleans the lists), the
    update alone when nothing else there reads the lists, else None (it stays)."""
    index = tuple(c.path for c in act.tool.caches if c.index)
    others = [(c, command) for c, command in executed(model.shell_code(node)) if command is not update]
    if all(_leftover(command, act.tool.family, index) for _, command in others):
        return delete_instruction(model, node)
    if code.parent is not None or any(_family_action(command, act.tool.family) for _, command in others):
        return None
    return remove_command(code, update)


def _family_action(command, family):
    found = action(command.effective())
    return found is not None and found.tool.family == family


def _leftover(command, family, index):
    """What a RUN that only updated may also hold: settings (`set -e`, `export DEBIAN_FRONTEND=...`) and a
    clean of the package lists the update wrote."""
    inner = command.effective()
    if not inner.argv:
        return True
    if inner.basename in ("set", "export", "true", ":"):
        return True
    found = action(inner)
    if found is not None:
        return found.tool.family == family and found.role == "clean"
    if inner.basename == "rm":
        paths = [w.value for w in inner.operands() if not (w.value or "").startswith("-")]
        return bool(paths) and all(p and p.startswith(index) for p in paths) if index else False
    return False
