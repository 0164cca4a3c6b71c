from dfcheck.rule import Finding, rule


@rule("DF101", "copy-before-dependency-install", "warning")
def copy_before_dependency_install(model, options):
    """The whole context is copied before the dependencies are installed, so any change reinstalls them.

    ## What it does
    Reports a COPY or ADD of broad content (`.`, `./`, `*`, or a whole directory) that brings in
    the manifest files a later RUN installs dependencies from: `pip install -r`, `pip install .`,
    poetry, pipenv, uv, pdm, npm, yarn, pnpm, bun, bundler, composer, `go mod download` and
    `go build`, cargo, Maven, Gradle, `dotnet restore` and mix. The finding is at the broad COPY
    and names the manifest files to copy first (those the build context has, when it is at hand).

    Build commands that fetch dependencies while building (`go build`, `cargo build`,
    `mvn package`, `dotnet publish`, ...) are reported only when no earlier RUN of the stage
    fetched the dependencies on their own (`go mod download`, `cargo fetch`,
    `mvn dependency:go-offline`, `dotnet restore`).

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
    from dfcheck.model.cache import MANIFESTS, PREFETCH, brings, copy_sources

    fs = model.filesystem
    stages = model.dependencies(model.target) if model.target else model.stages
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
                copies.extend(copy_sources(model, node))
                continue
            if node.keyword != "RUN":
                continue
            effects = fs.effects(node)
            for dep in effects.dependencies:
                if dep.step == "build" and dep.ecosystem in prefetched:
                    continue
                if dep.step == "install":
                    prefetched.add(dep.ecosystem)
                main = dep.path(dep.manifests[0])
                if fs.mounted(effects, main):
                    continue
                source, through = _covering(model, copies, dep, main, brings)
                if source is None or not source.broad or id(source.node) in reported:
                    continue
                reported.add(id(source.node))
                names = _manifests(model, copies, source, dep, brings, MANIFESTS)
                what = "the whole build context" if source.kind == "context" else f"the whole directory {source.text}"
                if dep.step == "build":
                    prefetch = PREFETCH.get(dep.ecosystem)
                    then = f"copy {names} first and run `{prefetch}`" if prefetch else f"copy {names} first and install"
                    why = f"before `{_short(dep.command)}` at line {dep.node.span.line} fetches the dependencies"
                else:
                    then = f"copy {names} first and install"
                    why = f"before `{_short(dep.command)}` at line {dep.node.span.line} installs the dependencies"
                yield Finding(source.span, (
                    f"{source.node.keyword} {source.text} copies {what} {why}: a change to any copied file "
                    f"runs it again; {then}, then copy the rest"))


def _short(text):
    return text if len(text) <= 50 else text[:47] + "..."


def _covering(model, copies, dep, main, brings):
    """The latest COPY source that puts the main manifest in place, and its context path."""
    glob = any(c in dep.manifests[0] for c in "*?[")
    for source in reversed(copies):
        if source.kind in ("url", "stage"):
            if source.dest == main or main.startswith(source.dest.rstrip("/") + "/"):
                return None, None
            continue
        if glob:
            if source.broad and (dep.project == source.dest or dep.project.startswith(source.dest.rstrip("/") + "/")):
                return source, None
            if source.kind in ("file", "glob") and source.dest.rstrip("/") == dep.project.rstrip("/"):
                return source, None
            continue
        through = brings(model, source, main)
        if through is not None:
            return source, through
    return None, None


def _manifests(model, copies, source, dep, brings, manifests):
    main, optional = (dep.manifests, dep.optional) if dep.optional or dep.manifests else manifests[dep.ecosystem]
    context = model.context
    names = []
    for index, name in enumerate(tuple(main) + tuple(optional)):
        if any(c in name for c in "*?["):
            prefix = brings(model, source, dep.path("x"))
            base = prefix[:-1] if prefix else ""
            if context is not None:
                found = [f.path for f in context.files(base + name)]
                names.extend(found[:3])
            elif index < len(main):
                names.append(base + name)
            continue
        path = brings(model, source, dep.path(name))
        if path is None:
            continue
        if context is not None:
            if context.kind(path) == "file":
                names.append(path)
        elif index < len(main) + 1:
            names.append(path)
    if not names:
        names = [brings(model, source, dep.path(dep.manifests[0])) or dep.manifests[0]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
