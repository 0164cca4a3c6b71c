import posixpath

from dfcheck.rule import Finding, rule


@rule("DF101", "copy-before-dependency-install", "warning")
def copy_before_dependency_install(model, options):
    """The whole context is copied before the dependencies are installed, so any change reinstalls them.

    ## What it does
    Reports a COPY or ADD of broad content (`.`, `./`, `*`, or a whole directory) that brings in
    the manifest files a later RUN installs dependencies from: `pip install -r` (also `pip wheel`
    and `pip download`), `pip install .`, poetry, pipenv, uv, pdm, conda environments, npm, yarn,
    pnpm, bun, bundler, composer (also `composer.phar`), `go mod download` and `go build` (in module
    mode: a go.mod in the context, or a Go 1.16 or later image, but not a GOPATH-era stage that
    fetches with `go get` under `/go/src/...` with no go.mod in sight), cargo, Maven, Gradle,
    `dotnet restore` and mix, in shell or exec form. The finding is at the broad COPY and names the
    manifest files to copy first (those the build context has, when it is at hand). Without the
    build context, a source named without a trailing slash (`COPY app /deploy/app`) is a whole
    directory when the install reads its manifest from under the destination.

    Any other broad COPY between the stage start and an install that reads its manifests from
    another COPY is reported too, before or after that COPY: it runs the install again on every
    change (a copy into a directory of the project, `COPY packages ./packages`, may hold local
    packages the install needs, and is left alone, unless the usual layout of projects names it
    for their own code: `src`, `app`, `web`, `public`, `cmd`, `internal`, `tests`, ...). So is a broad COPY before a RUN that only
    installs named packages from a registry (`apt-get install -y curl`, `pip install flask`,
    `npm install -g typescript`) and reads nothing of the project, unless it copies into `/` or
    `/etc`, where it may configure the package manager.

    Build commands that fetch dependencies while building (`go build`, `cargo build`,
    `mvn package`, `./gradlew build`, `dotnet publish`, `poetry install`, `pip install .`, ...)
    are reported only when no earlier RUN of the stage fetched the dependencies on their own
    (`go mod download`, `cargo fetch`, `cargo chef cook`, `mvn dependency:go-offline`,
    `gradle dependencies`, `dotnet restore`, `poetry install --no-root`). Then every source
    directory copied before the build into the project (`COPY src ./src`, `COPY ./src ./`, also
    named without a slash) is reported too, wherever the manifests come from: the build needs
    it, but a change to it runs the download again. Directories of dependencies or of the build
    tool's setup (`vendor`, `gradle`, `.mvn`) are not sources. Builds that fetch nothing
    (`go build -mod=vendor`, `cargo build --offline`, `mvn -o`, `gradle --offline`), or that fetch
    into a cache mount where earlier builds left the dependencies
    (`RUN --mount=type=cache,target=/go/pkg/mod go build`), are not reported.

    A source named like a manifest, a lock file or a wrapper script (`Gemfile`, `gradlew`) is a
    file, never a directory; a directory that holds none of the install's manifests
    (`COPY vendor ./vendor` before `bundle install`) is not what busts an install.

    ## Why is this bad?
    BuildKit keys a COPY on the content of every file it copies, and once a step misses the cache
    every later step of the stage runs again. After `COPY . .`, editing one source file makes the
    dependency install run from scratch: minutes of downloads on every build. Copying the
    manifests alone first keeps the install cached until the dependencies really change.

    ## Example
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    COPY . .
    RUN npm ci
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
    ```

    ## Fix safety
    No automatic fix: which files the install needs (workspaces, local packages, patches) is the
    author's knowledge.
    """
    from dfcheck.model.commands.languages import MANIFESTS, PREFETCH

    fs = model.filesystem
    stages = model.built_stages
    # A stage's walk is the beginning of the walk of each stage built on it: walking those alone finds the
    # same (a FROM chain of n stages is then walked once, not n times).
    bases = {id(s.base_stage) for s in stages if s.base_stage is not None}
    reported = set()
    for stage in stages:
        if id(stage) in bases:
            continue
        copies = []
        prefetched = set()
        for node in [n for s in model.lineage(stage) for n in s.layers]:
            if node.keyword in ("COPY", "ADD"):
                copies.extend(s for s in model.sources(node) if s.dest is not None and s.kind is not None)
                continue
            if node.keyword != "RUN":
                continue
            effects = fs.effects(node)
            install = None if effects.dependencies else _registry_install(model, node)
            if install is not None:
                # Packages from a registry, in a RUN that reads nothing of the project: no copy is needed first.
                for other in copies:
                    if not other.broad or id(other.node) in reported or _configures_system(other.dest):
                        continue
                    reported.add(id(other.node))
                    yield Finding(other.span, (
                        f"{other.node.keyword} {other.text} copies {_whole(other)} before `{_short(install)}` at "
                        f"line {node.span.line} installs packages that need none of it: a change to any copied file "
                        f"runs the install again; copy it after the install"))
            for dep in effects.dependencies:
                if dep.step == "build" and dep.ecosystem in prefetched:
                    continue
                if dep.step == "install":
                    prefetched.add(dep.ecosystem)
                main = dep.path(dep.manifests[0])
                if fs.mounted(effects, main):
                    continue
                source, through = _covering(copies, dep, main)
                if source is None and dep.step == "build":
                    # A build reads its companions too: `pip install .` with a setup.py and no pyproject.toml.
                    for name in dep.optional:
                        if not any(c in name for c in "*?[") and source is None:
                            main = dep.path(name)
                            source, through = _covering(copies, dep, main)
                what_for = (f"before `{_short(dep.command)}` at line {dep.node.span.line} "
                            f"{'fetches' if dep.step == 'build' else 'installs'} the dependencies")
                if source is not None and _broad(source, main) and id(source.node) not in reported:
                    reported.add(id(source.node))
                    yield Finding(source.span, (
                        f"{source.node.keyword} {source.text} copies {_whole(source)} {what_for}: a change to any "
                        f"copied file runs it again; {_then(model, source, dep, MANIFESTS, PREFETCH)}, then copy "
                        f"the rest"))
                if source is None:
                    continue
                if dep.step == "build":
                    # Nothing fetched the dependencies on their own: every source directory copied before the
                    # build runs the download again when it changes.
                    for other in copies:
                        if other is source or id(other.node) in reported or not _source_directory(other, dep.project):
                            continue
                        reported.add(id(other.node))
                        yield Finding(other.span, (
                            f"{other.node.keyword} {other.text} copies {_whole(other)} {what_for} (it reads "
                            f"{posixpath.basename(main)} from the {source.node.keyword} at line "
                            f"{source.node.span.line}): a change to any copied file runs the download again; "
                            f"{_then(model, source, dep, MANIFESTS, PREFETCH, other)}, then copy the rest"))
                    continue
                # Any other broad copy between the stage start and an install that reads its manifests elsewhere
                # runs the install again on every change, before or after the copy of the manifests.
                for other in copies:
                    if other is source or id(other.node) in reported:
                        continue
                    if not (other.broad and not _inside(other.dest, dep.project) or _code(other, dep.project)):
                        continue
                    reported.add(id(other.node))
                    yield Finding(other.span, (
                        f"{other.node.keyword} {other.text} copies {_whole(other)} {what_for} (it reads "
                        f"{posixpath.basename(main)} from the {source.node.keyword} at line {source.node.span.line}): "
                        f"a change to any copied file runs it again; copy it after the install"))


def _registry_install(model, node):
    """The text of the first install of a RUN made only of installs of named packages from a registry and
    housekeeping (`apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*`), else None."""
    from dfcheck.model.commands import action, registry_install
    from dfcheck.model.commands.files import HOUSEKEEPING
    from dfcheck.model.scripts import executed

    found = None
    codes = model.shell_code(node)
    if not codes:
        return None
    for code, command in executed(codes):
        inner = command.effective()
        if not inner.argv:
            if command.assignments and not command.redirects:
                continue  # DEBIAN_FRONTEND=noninteractive
            return None
        if code.nested(command) is not None:
            continue  # `sh -c '...'`: its commands follow
        if registry_install(inner) is not None:
            found = found or " ".join(w.text for w in inner.argv)
            continue
        other = action(inner)
        if (other is None or other.role not in ("update", "clean", "remove")) and inner.basename not in HOUSEKEEPING:
            return None  # something else, that may read the copied files
    return found


def _configures_system(dest):
    """A copy into / or /etc may set up the package manager (sources lists, keys) the install needs."""
    return dest == "/" or dest == "/etc" or dest.startswith("/etc/")


def _broad(source, main):
    """A whole directory or the context; without the context, a directory guessed from its name counts when the
    manifest comes from it (`COPY app /deploy/app` for /deploy/app/requirements.txt)."""
    return source.broad or (source.guessed and source.brings(main) is not None)


def _then(model, source, dep, manifests, prefetch, broad=None):
    """What to do instead: copy the manifests first and fetch the dependencies alone (right after the copy of the
    manifests when it comes before the `broad` one already)."""
    step = prefetch.get(dep.ecosystem) if dep.step == "build" else None
    if broad is not None and source.node.span.line < broad.node.span.line:
        fetch = f"run `{step}`" if step else "install the dependencies alone"
        return f"{fetch} after the {source.node.keyword} at line {source.node.span.line}"
    names = _manifests(model, source, dep, manifests)
    return f"copy {names} first and run `{step}`" if step else f"copy {names} first and install"


def _source_directory(source, project):
    """The whole context, or a directory (also one named without a slash, `COPY src ./src`) copied into the project,
    to it (`COPY ./src ./`) or above it: the sources a build reads."""
    from dfcheck.model.sources import DEPENDENCY_DIRS

    if source.kind not in ("context", "dir") or source.dest is None:
        return False
    if posixpath.basename(source.text.rstrip("/")) in DEPENDENCY_DIRS:
        return False
    dest, project = source.dest.rstrip("/") or "/", project.rstrip("/") or "/"
    return dest == project or dest.startswith(project + "/") or project.startswith(dest.rstrip("/") + "/")


def _code(source, project):
    """A directory of the project's own code by its name (`COPY src ./src`, `COPY ./app ./`), copied into the project:
    no dependency install reads it (`COPY packages ./packages` may hold local packages, and is left alone)."""
    from dfcheck.model.sources import SOURCE_DIRS

    if source.kind != "dir" or posixpath.basename(source.text.rstrip("/")) not in SOURCE_DIRS:
        return False
    dest, project = source.dest.rstrip("/") or "/", project.rstrip("/") or "/"
    return dest == project or dest.startswith(project + "/")


def _whole(source):
    return "the whole build context" if source.kind == "context" else f"the whole directory {source.text}"


def _inside(dest, project):
    """A copy into a directory of the project (`COPY packages ./packages`): maybe local packages the install reads."""
    return dest != project and dest.startswith(project.rstrip("/") + "/")


def _short(text):
    return text if len(text) <= 50 else text[:47] + "..."


def _covering(copies, dep, main):
    """The latest COPY source that puts the main manifest in place, and its context path."""
    glob = any(c in dep.manifests[0] for c in "*?[")
    for source in reversed(copies):
        if source.kind in ("url", "git", "stage"):
            if source.dest == main or main.startswith(source.dest.rstrip("/") + "/"):
                return None, None
            continue
        if glob:
            if source.broad and (dep.project == source.dest or dep.project.startswith(source.dest.rstrip("/") + "/")):
                return source, None
            if (source.kind in ("file", "glob") or source.guessed) and \
                    source.dest.rstrip("/") == dep.project.rstrip("/"):
                return source, None
            continue
        through = source.brings(main)
        if through is not None and not source.guessed:
            return source, through
    # Only a directory guessed from its name brings it (`COPY app /srv/app` for /srv/app/requirements.txt).
    for source in reversed(copies):
        through = source.brings(main) if source.guessed else None
        if through is not None:
            return source, through
    return None, None


def _manifests(model, source, dep, manifests):
    main, optional = (dep.manifests, dep.optional) if dep.optional or dep.manifests else manifests[dep.ecosystem]
    context = model.context
    names = []
    for index, name in enumerate(tuple(main) + tuple(optional)):
        if any(c in name for c in "*?["):
            prefix = source.brings(dep.path("x"))
            base = prefix[:-1] if prefix else ""
            if context is not None:
                found = [f.path for f in context.files(base + name)]
                names.extend(found[:3])
            elif index < len(main):
                names.append(base + name)
            continue
        path = source.brings(dep.path(name))
        if path is None:
            continue
        if context is not None:
            if context.kind(path) == "file":
                names.append(path)
        elif index < len(main) + 1:
            names.append(path)
    if not names:
        names = [source.brings(dep.path(dep.manifests[0])) or dep.manifests[0]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
