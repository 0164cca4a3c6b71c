from dfcheck.model.commands import action
from dfcheck.model.scripts import executed
from dfcheck.rule import Finding, rule

# Roles of the package-manager verbs that read the package index.
INSTALLS = ("install", "upgrade")


@rule("DF102", "apt-update-in-separate-layer", "warning")
def apt_update_in_separate_layer(model, options):
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
    No automatic fix: merging two RUN instructions changes the layers of the image.
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
                    f"stale lists; update and install in the same RUN"))


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
