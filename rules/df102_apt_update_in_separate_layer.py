from dfcheck.rule import Finding, rule

# family -> (manager commands, verbs that refresh the lists, verbs that install)
FAMILIES = {
    "apt": (("apt-get", "apt", "aptitude"), ("update",), ("install", "upgrade", "dist-upgrade", "full-upgrade",
                                                          "build-dep", "reinstall")),
    "apk": (("apk",), ("update",), ("add", "upgrade")),
    "yum": (("yum", "dnf", "microdnf", "tdnf"), ("makecache",), ("install", "update", "upgrade", "groupinstall",
                                                                 "reinstall")),
    "zypper": (("zypper",), ("refresh", "ref"), ("install", "in", "update", "up", "dist-upgrade", "dup")),
}
# apk add and zypper install refresh the index themselves with these options.
REFRESHING = {"apk": ("--no-cache", "-U", "--update", "--update-cache"), "zypper": ("--refresh",),
              "yum": ("--refresh",)}


@rule("DF102", "apt-update-in-separate-layer", "warning")
def apt_update_in_separate_layer(model, options):
    """The package lists are refreshed in one RUN and used by an install in a later RUN.

    ## What it does
    Reports `apt-get update` (and `apk update`, `yum makecache`, `dnf makecache`, `zypper refresh`)
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
    stages = model.dependencies(model.target) if model.target else model.stages
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


def _commands(model, node):
    for code in model.shell_code(node):
        for command in code.script.commands:
            if command.in_function:
                continue
            yield code, command, command.effective()


def _verb(inner):
    for word in inner.argv[1:]:
        if word.value and not word.value.startswith("-"):
            return word.value
    return None


def _updates_alone(model, node):
    found = []
    for family, (names, updates, installs) in FAMILIES.items():
        update = None
        installed = False
        for code, command, inner in _commands(model, node):
            if inner.basename not in names:
                continue
            verb = _verb(inner)
            if verb in updates and update is None:
                update = (" ".join(w.text for w in inner.argv), code.span(command.start, command.end))
            elif verb in installs:
                installed = True
        if update is not None and not installed:
            found.append((family, update))
    return found


def _stale_install(model, family, following):
    names, updates, installs = FAMILIES[family]
    for node in following:
        if node.keyword != "RUN":
            continue
        for _, _, inner in _commands(model, node):
            if inner.basename not in names:
                continue
            verb = _verb(inner)
            if verb in updates:
                break  # this RUN refreshes the lists itself
            if verb in installs:
                if any(inner.has_option(o) for o in REFRESHING.get(family, ())):
                    break
                return node
    return None
