"""DF101 and DF105: a broad COPY before an install, which every change to a copied file runs again.

DF101 is the install from manifests (copy the manifests first), DF105 the install of named packages from a
registry (move the install above the COPY). Well over the usual length: the judgement and its fix (which moves
the manifests and the install) read the same sources and steps, and stay together.
"""

import posixpath
import re
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Fix, Options, rule

from ._fixes import command_text, delete_lines, flags_text, insert_lines, insertion_line, lines_text, \
    remove_command, sequenced


@rule("DF101", "copy-before-dependency-install", "warning", fixable="unsafe", reads=("COPY", "ADD"))
def copy_before_dependency_install(model: Model, options: Options) -> Iterator[Finding]:
    """The whole context is copied before the dependencies are installed, so any change reinstalls them.

    ## What it does
    Reports a COPY or ADD of broad content (`.`, `./`, `*`, or a whole directory) that brings in
    the manifest files a later RUN installs dependencies from: `pip install -r` (also `pip wheel`
    and `pip download`), `pip install .` (also with extras: `".[server]"`, `-e ".[all]"`, `./[x]`),
    `python setup.py install`, poetry, pipenv, uv, pdm, conda environments, npm, yarn,
    pnpm, bun, bundler, composer (also `composer.phar`), `go mod download` and `go build` (in module
    mode: a go.mod in the context, or a Go 1.16 or later image, but not a GOPATH-era stage that
    fetches with `go get` under `/go/src/...` with no go.mod in sight), cargo, Maven, Gradle,
    `dotnet restore` and mix, in shell or exec form. Requirement files a loop finds (`for r in
    extensions/*/requirements.txt; do pip install -r "$r"; done`, also with `cd "$(dirname
    "$r")"`) count, the finding saying it assumed the install reads only the files the pattern
    matches. The finding is at the broad COPY and names the
    manifest files to copy first (those the build context has, when it is at hand). Without the
    build context, a source named without a trailing slash (`COPY app /deploy/app`) is a whole
    directory when the install reads its manifest from under the destination. An install that runs
    in a working directory the Dockerfile does not write down (no WORKDIR, no `cd`, a base image
    whose working directory is not known) is taken to run where a COPY put the project (`COPY .
    /srv/app`, then `RUN composer install`), when that is the only place its manifest can be; the
    finding says so, and offers no fix.

    A `COPY --from` of the directory another stage copied the whole context to (`COPY --from=frontend
    /app .` after that stage's `COPY . .`) is as broad as a copy of the context, and reported the
    same way, naming the stage; not when that stage pruned the tree to what the install needs
    (`find . -type f ! -name 'requirements*.txt' -delete`), nor when it is a stage this one is
    built on (its own COPY is reported). It gets no fix.

    A COPY of the manifests that also copies the project's code by a pattern (`COPY package*.json
    *.js ./`, `COPY go.mod go.sum *.go ./`: a pattern with a code extension, not one of other
    manifests, build scripts, dotfiles or tools' configuration such as `vite.config.*`) is
    reported at the pattern, advising to copy the manifests alone. A file named one by one next to
    the manifests (`COPY requirements.txt app.py ./`) is not broad content, and is left alone.

    Any other COPY between the stage start and an install that reads its manifests from another
    COPY is reported too, before or after that COPY, when it is broad for that install: the whole
    context, a whole directory copied to the project directory or above it, or a directory the
    usual layout of projects names for their own code (`src`, `app`, `web`, `public`, `cmd`,
    `internal`, `tests`, ...) copied into the project or right under it (without the build context
    the finding says it assumed the directory holds code). The rest is assumed to be
    what the install may read, or none of its business, and is left alone: local packages or
    workspace members copied into the project (`COPY packages ./packages`, `COPY apps/web
    apps/web`, whose manifests a workspace install reads; also a code directory the build context
    shows to hold a manifest of the install's kind, `api/Cargo.toml`) and directories outside the
    project (the project being the manifest's directory when it is named like an application of
    its own: `pip install -r backend/requirements.txt` is for `backend`, so `COPY static ./static`
    is not its code). An install that reads its manifests through bind mounts
    (`RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync --no-install-project`) needs no
    COPY at all: the whole context or a code directory copied before it is reported. A RUN that
    only installs named packages from a registry (`apt-get install -y curl`, `pip install flask`,
    `npm install -g typescript`) reads no manifest: it is no dependency install from manifests, and
    a COPY before it is not reported for it.

    Build commands that fetch dependencies while building (`go build`, `cargo build`,
    `mvn package`, `./gradlew build`, `dotnet publish`, `poetry install`, `pip install .`, ...)
    are reported only when no earlier RUN of the stage fetched the dependencies on their own
    (`go mod download`, `cargo fetch`, `cargo chef cook`, `mvn dependency:go-offline`,
    `gradle dependencies`, `dotnet restore`, `poetry install --no-root`), nor after an install of
    the same language (`pip install .` or `python setup.py install` after `pip install -r
    requirements.txt` or `poetry install --no-root` builds the project itself; so does one after an
    install of wheels built elsewhere, `pip install /wheels/*`; an install from the manifests a COPY of a
    whole directory brought, `COPY orange3 /orange3`, is for that project and what is inside it, not for a
    later `pip install -e /biodepot`), nor after a build that ran when only the manifests had
    been copied (the dummy-source trick: `echo 'fn main() {}' > src/main.rs && cargo build`, or
    `cargo new --bin /app` first, fetches and builds the dependencies alone; the directories
    copied before it are local crates those need). Nor is an install from a manifest the
    Dockerfile created after the COPY (`go mod init`, `npm init -y`): there is none to copy
    first; nor from one under a build's output directory (`dist`, `build`, `out`, `target`, ...)
    after a RUN that ran since the COPY (`cd dist/packages/server/api && bun install --production`
    installs what the build wrote), unless the build context shows that file there. An install from a manifest an earlier install of the stage already read (`npm ci`
    after the manifests, then `npm install` after `COPY . .`; `pnpm install --prefer-offline`
    after `pnpm fetch`, which reads only pnpm-lock.yaml) is not reported
    either: the manifests were copied first (a manifest the RUN wrote itself, such as a
    skeleton's composer.json it downloaded, does not stand for the project's). Nor is an install into a node_modules copied from
    another stage (`COPY --from=deps /app/node_modules ./node_modules`), which finds the packages in
    place (unless it is `npm ci`, which deletes them and installs everything again), nor a build of
    a Python project after a copy of the environment another stage installed its dependencies into
    from manifests (`COPY --from=deps /opt/venv /opt/venv`, `~/.local`, site-packages; `pip install
    -e '.[pg]' -c requirements.txt` then builds the project: a constraints file only pins), nor one that
    runs `--offline`. Then every source
    directory copied before the build into the project (`COPY src ./src`, `COPY ./src ./`, also
    named without a slash) is reported too, wherever the manifests come from: the build needs
    it, but a change to it runs the download again. For the modules of a Maven or Gradle build
    (`COPY module-a module-a`, one COPY per module) the message names the module's build file
    (`module-a/pom.xml`): the dependency step needs the build files alone. A .NET build reads the
    projects beside its own too (they reference each other by relative path): a directory copied
    beside the project, under a common directory other than / (`COPY src/Paprika src/Paprika` before
    `dotnet publish src/Nethermind/Nethermind.Runner`), is reported the same way. Directories of dependencies or of the build
    tool's setup (`vendor`, `gradle`, `.mvn`) are not sources. Builds that fetch nothing
    (`python setup.py bdist_wheel`, `sdist` or `build`, `pip install --no-deps .`,
    `go build -mod=vendor`, also a Go 1.14 or later build of a project seen to vendor its
    dependencies: an earlier go command ran with `-mod=vendor`, a COPY brings `vendor`, or the
    context holds vendor/modules.txt; GOPATH mode with `GO111MODULE=off`; `cargo build --offline`,
    `mvn -o`, `gradle --offline`), or that fetch
    into a cache mount where earlier builds left the dependencies
    (`RUN --mount=type=cache,target=/go/pkg/mod go build`), are not reported.

    A source named like a manifest, a lock file or a wrapper script (`Gemfile`, `gradlew`,
    `rust-toolchain`) is a file, never a directory; without the build context, a name without an
    extension copied under another name (`COPY scripts .`) is not taken for a source directory unless
    it is named like one (`src`); a directory that holds none of the install's manifests
    (`COPY vendor ./vendor` before `bundle install`) is not what busts an install, and a directory
    named for the manifests it holds (`COPY requirements ./requirements`, whose files include each
    other) is the copy of the manifests.

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
    The fix copies the manifests the install reads into the directory it reads them from, before
    the broad COPY, and runs the install there: a RUN that only installs (and installs packages
    from a registry, or cleans outside the project) moves whole; from a RUN that does more, the
    install is taken out (it must be its first step) and runs in a RUN of its own with the same
    flags; a build that fetches while building (`go build`, not from a vendor directory) gets
    `go mod download` first. The manifests are the main one and what goes with it: lock files,
    settings (`.npmrc`, `poetry.toml`) and the requirement files a requirements file includes.
    With the build context only the files it has are copied, and a manifest that needs more of
    the project (`-e .`, workspaces, npm install scripts, a Gemfile's `gemspec`, a go.mod's local
    `replace`) gets no fix. Without it, the optional files are copied by a wildcard that copies
    nothing when the file is missing (`COPY package.json package-lock.json* ./`), and the fix
    assumes the manifests name no other local file.

    The fix is unsafe: the install no longer sees the rest of the project. No fix is offered when
    anything but metadata instructions (LABEL, EXPOSE, CMD, ...) stands between the COPY and the
    install, when they are in different stages, for a directory only guessed from its name, or
    for installs that need the project itself: `pip install .`, poetry without `--no-root`, uv
    without `--no-install-project`, cargo (even `cargo fetch` needs the crate's targets), Maven,
    Gradle, .NET, composer, mix and conda, and Yarn and pnpm without the build context (Yarn 2
    settings and pnpm workspaces need more than the manifests).
    """
    from dfcheck.model import CREATED, LANGUAGE, MANIFESTS, PLACEHOLDERS, PREFETCH

    suffixes = tuple(s for found in PLACEHOLDERS.values() for s in found)  # of placeholder sources: `main.rs`

    fs = model.filesystem
    stages = model.built_stages
    # A stage's walk is the beginning of the walk of each stage built on it: walking those alone finds the
    # same (a FROM chain of n stages is then walked once, not n times).
    bases = {id(s.base_stage) for s in stages if s.base_stage is not None}
    reported = set()
    projects = {}  # (stage name, directory) -> the COPY of the whole context there (see _stage_project)
    lacking = {}  # (stage name, path) -> that stage has nothing there (see _lacks)
    for stage in stages:
        if id(stage) in bases:
            continue
        copies = []
        seen = set()  # the COPY instructions so far
        # id(source) -> the other stage's COPY of the whole context that a `COPY --from` of it brings; None when that
        # COPY is in this lineage (from a stage this one is built on: its own COPY brought the tree already)
        wholes = {}
        prefetched = set()
        homes = {}  # language -> the project directories an install of it fetched the dependencies of
        unknown = False  # a COPY or ADD whose source or destination a variable hides
        workdir_set = False  # a WORKDIR so far: the working directory is the Dockerfile's, not the base image's
        at = {}  # id(instruction) -> its place in the walk
        created = {}  # path -> the place of the RUN that last created it as a manifest (`go mod init`, `cargo new`)
        placeholders = {}  # path -> the place of the RUN that wrote it as a placeholder source (`> src/main.rs`)
        last_run = -1  # the place of the last RUN so far
        for place, node in enumerate([n for s in model.lineage(stage) for n in s.layers]):
            at[id(node)] = place
            if node.keyword in ("COPY", "ADD"):
                every = model.sources(node)
                found = [s for s in every if s.dest is not None and s.kind is not None]
                unknown = unknown or len(found) < len(every)
                copies.extend(found)
                seen.add(id(node))
                for source in found:
                    copied = _stage_project(model, source, projects) if source.kind == "stage" else None
                    if copied is not None:
                        wholes[id(source)] = copied if id(copied) not in seen else None
                # Installed packages from another stage (`COPY --from=deps /app/node_modules ./node_modules`): an
                # install into that project finds them in place and fetches nothing.
                prefetched.update(("installed", posixpath.dirname(s.dest.rstrip("/"))) for s in found
                                  if s.kind == "stage" and posixpath.basename(s.dest.rstrip("/")) == "node_modules")
                # Python packages another stage installed from its manifests (`COPY --from=deps /opt/venv /opt/venv`,
                # `/root/.local`): a build of the project itself after it finds its dependencies in place.
                if any(s.kind == "stage" and _python_environment(model, s) for s in found):
                    prefetched.add("python")
                continue
            workdir_set = workdir_set or node.keyword == "WORKDIR"
            if node.keyword != "RUN":
                continue
            ran, last_run = last_run, place  # the place of the RUN before this one
            effects = fs.effects(node)
            created.update((a.path, place) for a in effects.added if a.what == CREATED)
            placeholders.update((a.path, place) for a in effects.added + [a for a, _ in effects.cleaned]
                                if not a.tree and a.path.endswith(suffixes))  # (also one the RUN deleted after)
            for dep in effects.dependencies:
                language = LANGUAGE.get(dep.ecosystem, dep.ecosystem)
                if dep.step == "prebuilt":
                    prefetched.add(language)  # packages built elsewhere: the project's build finds them in place
                    continue
                assumed = "" if workdir_set or unknown else \
                    _unwritten_workdir(model, stage, dep, copies, effects, wholes) or ""
                if assumed:
                    dep = _moved(dep, assumed)
                    assumed = (f" (assuming the {'build' if dep.step == 'build' else 'install'} runs in {assumed}, "
                               f"where the COPY put the project: the base image's working directory is not known)")
                main = dep.path(dep.manifests[0])
                if dep.step == "build" and (language in prefetched or any(
                        _related(home, dep.project) for home in homes.get(language, ()))) or \
                        (language, main) in prefetched or any(
                        (language, dep.path(name)) in prefetched for name in dep.optional) or \
                        language == "node" and ("installed", dep.project) in prefetched and not _clean(dep):
                    # The dependencies are in place: the build fetches none of them, and an install from the same
                    # manifest or lock file again (`npm ci` after the manifests, then after `COPY . .`; `pnpm
                    # install` after `pnpm fetch`), or into node_modules copied from a stage, is not what DF101 is
                    # about.
                    continue
                if dep.step == "install" and (unknown or fs.mounted(effects, main) or _brought(copies, main)):
                    # Not a manifest the RUN wrote itself (`php -r "copy('https://.../composer.json', ...)"`, a
                    # skeleton's): the project's own comes with the broad COPY, and its install is what counts.
                    # The project those dependencies are for: the directory a COPY of a whole directory brought the
                    # manifest with (`ADD web /web/` for /web/requirements.txt: a build of /biodepot needs its own),
                    # else any of the language's (`COPY requirements.txt /tmp/`, then `pip install -e /app`).
                    home = _home_copy(copies, main)
                    if home is None:
                        prefetched.add(language)
                    else:
                        homes.setdefault(language, []).append(home)
                    prefetched.add((language, main))
                if fs.mounted(effects, main):
                    # The manifests come from a bind mount (`--mount=type=bind,source=uv.lock,target=uv.lock`): an
                    # install reads nothing a COPY brought, so the whole context copied before it only busts it.
                    mount = _mount_of(effects, main, dep.project)
                    if dep.step != "install" or mount is None:
                        continue
                    for other in copies:
                        if id(other.node) in reported or not (
                                other.kind == "context" and _related(other.dest, dep.project) or
                                _code(other, dep.project)):
                            continue
                        reported.add(id(other.node))
                        yield Finding(other.span, (
                            f"{other.node.keyword} {other.text} copies {_whole(other)} before `{_short(dep.command)}` "
                            f"at line {dep.node.span.line} installs the dependencies from the manifests it mounts "
                            f"({posixpath.relpath(mount, dep.project) if _related(mount, dep.project) else mount}): "
                            f"a change to any copied file runs it again; move the {other.node.keyword} after the "
                            f"install"))
                    continue
                source, through = _covering(model, copies, dep, main, wholes, lacking)
                if source is None and dep.step == "build":
                    # A build reads its companions too: `pip install .` with a setup.py and no pyproject.toml.
                    for name in dep.optional:
                        if not any(c in name for c in "*?[") and source is None:
                            main = dep.path(name)
                            source, through = _covering(model, copies, dep, main, wholes, lacking)
                if source is not None and created.get(main, -1) > at[id(source.node)]:
                    continue  # the manifest a RUN created after the COPY (`go mod init`): no project file to copy first
                if source is not None and ran > at[id(source.node)] and _built(model, source, main):
                    continue  # the manifest of a build's output (`cd dist/server && bun install --production`)
                what_for = (f"before `{_short(dep.command)}` at line {dep.node.span.line} "
                            f"{'fetches' if dep.step == 'build' else 'installs'} the dependencies")
                # A stage's copy of the whole context (`COPY --from=frontend /app .` after its `COPY . .`) is as
                # broad as copying the context (_covering returns no other copy from a stage).
                wide = source is not None and (_broad(source, main) or source.kind == "stage")
                if wide and id(source.node) not in reported:
                    reported.add(id(source.node))
                    # Manifests a loop or a glob finds (`for r in extensions/*/requirements.txt`): what it reads is
                    # taken to be each file the pattern matches.
                    pattern = source.brings(main) or main if any(c in posixpath.dirname(main) for c in "*?[") else None
                    yield Finding(source.span, (
                        f"{_copy_text(source)} copies {_whole(source, model, wholes)} {what_for}: a change to any "
                        f"copied file runs it again; {_then(model, source, dep, MANIFESTS, PREFETCH)}, then copy "
                        f"the rest" + (f" (assuming it reads only the files {pattern} matches)" if pattern else "") +
                        assumed), None if assumed or source.kind == "stage" else _fix(model, source, dep))
                if source is None:
                    continue
                # The manifests copied together with the project's code (`COPY package*.json *.js ./`): a change to
                # the code runs the install again as surely as a copy of the context would.
                mixed = _code_along(model, source) if not wide else None
                if mixed is not None and id(source.node) not in reported:
                    reported.add(id(source.node))
                    yield Finding(mixed.span, (
                        f"{source.node.keyword} {mixed.text} copies source files together with "
                        f"{posixpath.basename(main)} {what_for}: a change to any of them runs it again; "
                        f"{_then(model, source, dep, MANIFESTS, PREFETCH, alone=True)}, then copy the rest{assumed}"))
                if dep.step == "build" and mixed is None and not wide and _placeholder(dep, placeholders, copies, at):
                    # Built with placeholder sources the RUNs wrote (`cargo new --bin /app`, `echo 'fn main() {}' >
                    # src/main.rs`): the dependencies alone, and the directories copied before are local crates they
                    # need, not the project's code.
                    prefetched.add(language)
                    continue
                if dep.step == "build" and mixed is None and not wide and not any(
                        o is not source and (o.broad or _source_directory(o, dep.project)) and
                        _related(o.dest, dep.project) for o in copies):
                    # A build after only the manifests were copied (with placeholder sources it writes itself:
                    # `echo "fn main() {}" > src/main.rs && cargo build`) fetches and builds the dependencies
                    # alone: the later broad COPY and build are the usual order.
                    prefetched.add(language)
                    continue
                if dep.step == "build":
                    # Nothing fetched the dependencies on their own: every source directory copied before the
                    # build runs the download again when it changes.
                    for other in copies:
                        if other is source or id(other.node) in reported or not (
                                _source_directory(other, dep.project) or _sibling(other, dep)):
                            continue
                        reported.add(id(other.node))
                        yield Finding(other.span, (
                            f"{other.node.keyword} {other.text} copies {_whole(other)} {what_for} (it reads "
                            f"{posixpath.basename(main)} from the {source.node.keyword} at line "
                            f"{source.node.span.line}): a change to any copied file runs the download again; "
                            f"{_then(model, source, dep, MANIFESTS, PREFETCH, other, wide=wide)}, then copy the rest"
                            f"{assumed}"))
                    continue
                # Any other broad copy between the stage start and an install that reads its manifests elsewhere
                # runs the install again on every change, before or after the copy of the manifests.
                for other in copies:
                    if other is source or id(other.node) in reported:
                        continue
                    # Broad for this install: the whole context, a directory copied to the project or above it
                    # (holding its manifests), or a code directory of the project; not a workspace member
                    # (`COPY apps/web apps/web`) nor a directory of another project.
                    home = _home(dep, main)
                    holds = _holds(other, through)
                    if not (other.kind == "context" or other.broad and _above(other.dest, home) or holds or
                            _code(other, home) or wholes.get(id(other)) is not None and _above(other.dest, home)) or \
                            _member(model, other, dep) and not holds:
                        continue
                    reported.add(id(other.node))
                    # A directory chosen by its name, the context unknown: what it holds is assumed.
                    guess = "" if other.kind in ("context", "stage") or model.context is not None or holds or \
                        other.broad and _above(other.dest, home) else (
                            f" (assuming {other.text.rstrip('/')} holds the project's own code, which the install "
                            f"does not read)")
                    yield Finding(other.span, (
                        f"{_copy_text(other)} copies {_whole(other, model, wholes)} {what_for} (it reads "
                        f"{posixpath.basename(main)} from the {source.node.keyword} at line {source.node.span.line}): "
                        f"a change to any copied file runs it again; copy it after the install{guess}{assumed}"))


@rule("DF105", "install-after-broad-copy", "warning", fixable="unsafe", reads=("COPY", "ADD"))
def install_after_broad_copy(model: Model, options: Options) -> Iterator[Finding]:
    """A broad COPY before a RUN that installs named packages from a registry (`apt-get install -y curl`):
    every change to a copied file runs the install again.

    ## What it does
    Reports a COPY or ADD of the whole build context or a whole directory before a RUN made only of
    installs of named packages from a registry and housekeeping (`apt-get update && apt-get install
    -y curl && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache git`, `pip install flask`, `npm
    install -g typescript`), which reads nothing the COPY brought. Not reported: a stage whose
    lineage installs dependencies from manifests (DF101 judges the copies before such an install);
    a copy into `/` or `/etc`, which may configure the package manager; a directory of configuration
    or of requirement files (`config/`, `requirements/`), which rarely changes; a COPY in the stage
    the install's stage is built on (the install cannot move above it); a RUN that reads a file
    (`xargs apt-get install -y < packages.txt`) or does anything else.

    DF101 is the same mistake before an install that reads manifests; this rule is kept apart
    because its advice differs (move the install, not copy the manifests first) and because the
    cache family DF101 to DF103 is measured on labelled real files as installs from manifests.

    ## Why is this bad?
    A RUN's cache is reused only when every layer before it is: after `COPY . .`, an edit to any
    file of the project invalidates the install, and every build downloads and installs the
    packages again.

    ## Example
    ```dockerfile
    FROM debian:12
    WORKDIR /app
    COPY . .
    RUN apt-get update && apt-get install -y curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    WORKDIR /app
    RUN apt-get update && apt-get install -y curl
    COPY . .
    ```

    ## Fix safety
    The fix moves the RUN above the COPY when nothing but metadata instructions (LABEL, EXPOSE,
    CMD, ...) stands between them and the RUN does nothing but install, update and clean outside
    the copied directory. It is unsafe: a package's install scripts may still read the project.
    """
    fs = model.filesystem
    stages = model.built_stages
    bases = {id(s.base_stage) for s in stages if s.base_stage is not None}
    reported = set()
    installs = {}  # id(RUN) -> _registry_install's answer: a chain of stages walks the same RUNs again
    for stage in stages:
        if id(stage) in bases:
            continue
        layers = [n for s in model.lineage(stage) for n in s.layers]
        copies = []
        found = []  # (RUN, the broad copies before it)
        for node in layers:
            if node.keyword in ("COPY", "ADD"):
                copies.extend(s for s in model.sources(node) if s.dest is not None and s.kind is not None and s.broad)
            elif node.keyword == "RUN" and copies:
                found.append((node, list(copies)))
        if not found or any(node.keyword == "RUN" and fs.effects(node).dependencies for node in layers):
            continue  # no broad copy before a RUN, or an install from manifests: DF101's
        for node, before in found:
            if id(node) not in installs:
                installs[id(node)] = _registry_install(model, node)
            install = installs[id(node)]
            if install is None:
                continue
            for other in before:
                if id(other.node) in reported or _configures_system(other.dest) or _rarely_changes(other) or \
                        model.stage_of(other.node) is not model.stage_of(node):
                    continue
                reported.add(id(other.node))
                yield Finding(other.span, (
                    f"{other.node.keyword} {other.text} copies {_whole(other)} before `{_short(install)}` at line "
                    f"{node.span.line} installs packages from a registry, which reads none of it: a change to any "
                    f"copied file runs the install again; move the install above the {other.node.keyword}"),
                    _install_first(model, other, node))


def _registry_install(model, node):
    """The text of the first install of a RUN made only of installs of named packages from a registry and
    housekeeping (`apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*`), else None."""
    from dfcheck.model import HOUSEKEEPING, action, executed, registry_install

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
        if any(r.op in ("<", "<&") for r in list(command.redirects) + list(command.group_redirects)):
            return None  # reads a file, maybe a copied one (`xargs apt-get install -y < packages.txt`)
        if registry_install(inner) is not None:
            found = found or " ".join(w.text for w in inner.argv)
            continue
        other = action(inner)
        if (other is None or other.role not in ("update", "clean", "remove")) and inner.basename not in HOUSEKEEPING:
            return None  # something else, that may read the copied files
    return found


def _install_first(model, source, run):
    """The RUN that installs packages from a registry moved before the broad COPY, or None."""
    copy = source.node
    if not _inert_between(model, copy, run):
        return None
    steps = _steps(model, run, [], source)
    if not steps or any(kind != "aside" for kind, _, _, _ in steps):
        return None
    first = insertion_line(run)
    return Fix("unsafe", [insert_lines(insertion_line(copy), lines_text(model, first, run.span.end_line)),
                          delete_lines(model, first, run.span.end_line)],
               f"Move the RUN at line {run.span.line} before the {copy.keyword} at line {copy.span.line}")


def _placeholder(dep, placeholders, copies, at):
    """A placeholder source of the build's kind (`src/main.rs` for cargo) that a RUN wrote in the project and no
    later COPY replaced."""
    from dfcheck.model import PLACEHOLDERS

    suffixes = PLACEHOLDERS.get(dep.ecosystem)
    top = dep.project.rstrip("/") + "/"
    return bool(suffixes) and any(
        path.startswith(top) and path.endswith(suffixes) and not any(
            at[id(s.node)] > place and s.brings(path) is not None for s in copies)
        for path, place in placeholders.items())


def _unwritten_workdir(model, stage, dep, copies, effects, wholes):
    """Where an install that runs in a working directory nobody wrote down most likely runs: the one directory a
    COPY put the project in (`COPY . /srv/app`, then `RUN composer install` in an unknown image with no WORKDIR;
    `COPY --from=src /src /app/shop`, then `RUN cd shop && composer install`, the unknown working directory being
    /app); None when the base image's working directory is known, the install names its directory, or the project
    may be in more than one place."""
    from dfcheck.model import MANIFESTS

    node = dep.node
    if model.workdir(node) != "/" or dep.manifests[0].startswith("/"):
        return None
    under = "" if dep.project == "/" else _entered(model, node, dep.project)
    if under is None:
        return None
    facts = model.base_facts(stage)
    if facts is not None and facts.workdir is not None or model.root(stage).is_scratch:
        return None
    main = dep.path(dep.manifests[0])
    if _brought(copies, main) or model.filesystem.mounted(effects, main):
        return None
    names = set(dep.manifests) | set(dep.optional) | set(MANIFESTS.get(dep.ecosystem, ((), ()))[0])
    places, staged = set(), set()
    for source in copies:
        if source.kind in ("context", "dir") and not (_configures_system(source.dest) or _rarely_changes(source)):
            # (configuration copied into /etc, `COPY conf /etc/nginx`, holds no project)
            places.add(source.dest.rstrip("/") or "/")
        elif source.kind in ("file", "glob") and posixpath.basename(source.text) in names:
            places.add(posixpath.dirname(source.landing(single=False).path))
        elif wholes.get(id(source)) is not None:  # another stage's copy of the whole context
            places.add(source.dest.rstrip("/") or "/")
            staged.add(source.dest.rstrip("/") or "/")
    if under:  # the directory the RUN went into, under the unknown working directory
        places = {p for p in places if p.endswith("/" + under) and p != "/" + under}
    if len(places) != 1 or places == {"/"}:
        return None
    [place] = places
    if place in staged:
        return place
    brought = next((s.brings(posixpath.join(place, dep.manifests[0])) for s in copies
                    if s.brings(posixpath.join(place, dep.manifests[0])) is not None), None)
    if brought is None or model.context is not None and not any(c in brought for c in "*?[") and \
            model.context.kind(brought) != "file":
        return None  # the build context shows the manifest is not where the COPY put the project
    return place


def _entered(model, node, project):
    """The relative directory a `cd` of the RUN goes into (`cd shop`) that makes `project` its directory when the
    working directory is /: the install runs there, under whatever the working directory really is; else None."""
    for _, _, command in model.commands(node):
        words = [w.value for w in command.operands()] if command.basename == "cd" else []
        if len(words) == 1 and words[0] and not words[0].startswith(("/", "~", "-", "$", "..")) and \
                posixpath.normpath("/" + words[0]) == project:
            return posixpath.normpath(words[0])
    return None


def _moved(dep, project):
    """The install `dep` as if it ran in `project`."""
    import copy

    moved = copy.copy(dep)
    moved.project = project
    return moved


def _code_along(model, source):
    """A source of the COPY or ADD that brings `source` (a manifest) that is the project's code by a pattern with a
    code extension (`*.go`), not one of manifests, build scripts, dotfiles or a tool's configuration (`*.config.js`);
    the first one, or None. A file named alone (`app.py`) is not broad content."""
    from dfcheck.model import CODE_SUFFIXES, known_file

    for other in model.sources(source.node):
        if other is source or other.kind != "glob" or other.dest is None or other.guessed:
            continue
        name = posixpath.basename(other.text)
        tail = re.split(r"[*?\[\]]", name)[-1].lower()
        if not tail.endswith(CODE_SUFFIXES) or name.startswith(".") or "config" in name.lower() or known_file(name):
            continue
        if model.context is not None and not other.matches:
            continue  # not in the build context: not what the build copies
        return other
    return None


def _brought(copies, path):
    """Some COPY or ADD (of the context, a stage, a URL) puts `path` in place; for a pattern (`/src/*.csproj`), a
    file it matches (`COPY app/App.csproj App.csproj`)."""
    import fnmatch

    pattern = any(c in path for c in "*?[")
    for source in copies:
        if source.kind in ("url", "git", "stage"):
            if source.dest == path or path.startswith(source.dest.rstrip("/") + "/"):
                return True
        elif source.brings(path) is not None:
            return True
        elif pattern and source.kind == "file":
            landed = source.landing(single=False)
            if landed is not None and not landed.tree and posixpath.dirname(landed.path) == posixpath.dirname(path) \
                    and fnmatch.fnmatchcase(posixpath.basename(landed.path), posixpath.basename(path)):
                return True
    return False


def _built(model, source, path):
    """`path` is under a build's output directory within what `source` copied (`dist/packages/api/package.json` after
    `COPY . .`), and the build context does not show it there: a manifest the build wrote."""
    from dfcheck.model import BUILD_OUTPUT_DIRS

    origin = source.brings(path)
    if origin is None or not BUILD_OUTPUT_DIRS.intersection(posixpath.dirname(origin).split("/")):
        return False
    return model.context is None or model.context.kind(posixpath.normpath(origin)) != "file"


def _home_copy(copies, path):
    """The destination of the last COPY of a whole directory (or of the context) that brings `path`, else None."""
    for source in reversed(copies):
        if source.kind in ("dir", "context") and source.dest is not None and source.brings(path) is not None:
            return source.dest.rstrip("/") or "/"
    return None


def _clean(dep):
    """An install that deletes node_modules first and installs everything again (`npm ci`)."""
    return dep.ecosystem == "npm" and any(w in ("ci", "install-clean") for w in dep.command.split())


def _mount_of(effects, path, project):
    """The target of the bind mount that holds `path`, when it mounts some files, not the whole project (whose
    every file the install then reads anyway), or None."""
    for kind, target in effects.mounts:
        if kind == "bind" and (path == target or path.startswith(target.rstrip("/") + "/")):
            return None if _above(target, project) else target
    return None


def _python_environment(model, source):
    """A `COPY --from` of a Python environment (a virtualenv, site-packages, `~/.local`, a `--target` or `--prefix`
    tree) from a stage that installed dependencies there from manifests (or wheels built elsewhere)."""
    from dfcheck.model import LANGUAGE, PYTHON_ENVIRONMENT_DIRS, PYTHON_ENVIRONMENTS

    stage = model.stage_named(source.stage) if source.value and not source.glob else None
    if stage is None:
        return False
    root = posixpath.normpath("/" + source.value.strip("/"))
    environment = posixpath.basename(root) in PYTHON_ENVIRONMENT_DIRS or root.startswith("/usr/local/lib")
    installed = False
    for node in [n for s in model.lineage(stage) for n in s.layers if n.keyword == "RUN"]:
        effects = model.filesystem.effects(node)
        installed = installed or any(LANGUAGE.get(d.ecosystem) == "python" and d.step in ("install", "prebuilt")
                                     for d in effects.dependencies)
        environment = environment or any(
            a.what in PYTHON_ENVIRONMENTS and (a.what != "global packages" or "/python" in a.path) and
            _related(root, a.path) for a in effects.added)
    return installed and environment


def _related(dest, project):
    """`dest` is the project directory, inside it or above it."""
    dest, project = dest.rstrip("/") or "/", project.rstrip("/") or "/"
    return dest == project or dest.startswith(project + "/") or project.startswith(dest.rstrip("/") + "/")


def _rarely_changes(source):
    """A directory of configuration or of requirement files (`COPY config/ /config`, `ADD requirements/ ...`)."""
    from dfcheck.model import CONFIG_DIRS, MANIFEST_DIRS

    name = posixpath.basename(posixpath.normpath(source.text.rstrip("/") or "."))
    return source.kind == "dir" and (name in CONFIG_DIRS or name in MANIFEST_DIRS)


def _configures_system(dest):
    """A copy into / or /etc may set up the package manager (sources lists, keys) the install needs."""
    return dest == "/" or dest == "/etc" or dest.startswith("/etc/")


def _broad(source, main):
    """A whole directory or the context; without the context, a directory guessed from its name counts when the
    manifest comes from it (`COPY app /deploy/app` for /deploy/app/requirements.txt). A directory named for the
    manifests it holds (`COPY requirements ./requirements`) is their copy."""
    from dfcheck.model import MANIFEST_DIRS

    if source.kind == "dir" and posixpath.basename(posixpath.normpath(source.text.rstrip("/"))) in MANIFEST_DIRS:
        return False
    return source.broad or (source.guessed and source.brings(main) is not None)


def _then(model, source, dep, manifests, prefetch, broad=None, alone=False, wide=False):
    """What to do instead: copy the manifests first (`alone`: in a COPY of their own) and fetch the dependencies
    alone (right after the copy of the manifests when it comes before the `broad` one already; with the manifests
    `broad` holds, when the copy of the manifests is `wide` itself)."""
    step = prefetch.get(dep.ecosystem) if dep.step == "build" else None
    if broad is not None and wide:
        fetch = f"run `{step}`" if step else "install the dependencies"
        return f"copy the {posixpath.basename(dep.manifests[0])} files it holds first too and {fetch}"
    # A module of a multi-module JVM build (`COPY module-a module-a`): resolving the dependencies reads its build
    # file too, and nothing else of it.
    module = _module_manifest(model, broad, dep, manifests) if broad is not None else None
    if broad is not None and source.node.span.line < broad.node.span.line:
        fetch = f"run `{step}`" if step else "install the dependencies alone"
        return f"{fetch} after the {source.node.keyword} at line {source.node.span.line}" + (
            f" with {module} copied too (it needs only the build files)" if module else "")
    names = _manifests(model, source, dep, manifests) + (f" and {module}" if module else "")
    names += " alone" if alone else ""
    return f"copy {names} first and run `{step}`" if step else f"copy {names} first and install"


# Builds whose modules are directories with a build file each, which the dependency resolution reads.
_MODULES = ("maven", "gradle")


def _module_manifest(model, source, dep, manifests):
    """The build file of the module a directory copy brings (`module-a/pom.xml`), for Maven and Gradle: a directory
    the build context shows to hold one, or without the context one not named like the project's own code (`src`)."""
    from dfcheck.model import SOURCE_DIRS

    if source.kind != "dir" or dep.ecosystem not in _MODULES:
        return None
    name = posixpath.join(source.text.rstrip("/"), manifests[dep.ecosystem][0][0])
    if model.context is not None:
        return name if model.context.kind(posixpath.normpath(name)) == "file" else None
    return None if posixpath.basename(posixpath.normpath(source.text.rstrip("/"))) in SOURCE_DIRS else name


def _source_directory(source, project):
    """The whole context, or a directory (also one named without a slash, `COPY src ./src`) copied into the project,
    to it (`COPY ./src ./`) or above it: the sources a build reads."""
    from dfcheck.model import DEPENDENCY_DIRS, SOURCE_DIRS

    if source.kind not in ("context", "dir") or source.dest is None:
        return False
    name = posixpath.basename(source.text.rstrip("/"))
    if name in DEPENDENCY_DIRS:
        return False
    if source.guessed and name not in SOURCE_DIRS and posixpath.basename(source.dest.rstrip("/")) != name:
        # Only its name without an extension says it may be a directory (`COPY rust-toolchain .`): nothing tells
        # it is one, as a code directory's name or a destination of the same name would (`COPY lib ./lib`).
        return False
    dest, project = source.dest.rstrip("/") or "/", project.rstrip("/") or "/"
    return dest == project or dest.startswith(project + "/") or project.startswith(dest.rstrip("/") + "/")


def _sibling(source, dep):
    """A source directory copied beside the project of a build that reads the projects beside its own (`COPY
    src/Paprika src/Paprika` before `dotnet publish src/Nethermind/Nethermind.Runner`), under a directory other
    than /."""
    from dfcheck.model import SIBLING_PROJECTS

    if dep.ecosystem not in SIBLING_PROJECTS or source.dest is None or source.dest == "/":
        return False
    common = posixpath.commonpath([source.dest.rstrip("/") or "/", dep.project])
    return common != "/" and _source_directory(source, common)


def _code(source, project):
    """A directory of the project's own code by its name (`COPY src ./src`, `COPY ./app ./`), copied into the project
    or right under it: no dependency install reads it (`COPY packages ./packages` may hold local packages, and is left
    alone; `COPY apps/web apps/web` is a workspace member, whose manifest a workspace install reads)."""
    from dfcheck.model import SOURCE_DIRS

    name = posixpath.normpath(source.text.strip("/") or ".")  # (`COPY /server ...` copies the context's server/)
    if source.kind != "dir" or "/" in name or name not in SOURCE_DIRS:
        return False
    dest, project = source.dest.rstrip("/") or "/", project.rstrip("/") or "/"
    return dest == project or posixpath.dirname(dest) == project


def _holds(source, through):
    """A directory of the build context that holds the directory the install's manifest comes from (`through`, its
    context path): `COPY ./src /app/src` holds `src/frontend/package.json`, wherever either goes in the image. A change
    to any of its files (the backend's) runs the install again."""
    if source.kind != "dir" or through is None or source.stage is not None or any(c in through for c in "*?["):
        return False
    top = posixpath.normpath(source.text.strip("/") or ".")
    return top != "." and posixpath.dirname(posixpath.normpath(through)).startswith(top + "/")


def _member(model, source, dep):
    """A directory the build context shows to hold a manifest of the install's kind (`api/Cargo.toml`,
    `apps/web/package.json`): a workspace member, whose manifest the install reads."""
    context = model.context
    if context is None or source.kind != "dir" or any(c in dep.manifests[0] for c in "*?["):
        return False
    return context.kind(posixpath.join(posixpath.normpath(source.text.strip("/") or "."), dep.manifests[0])) == "file"


def _home(dep, main):
    """The directory of the project an install is for: its manifest's, when that is a directory of the project named
    like an application of its own (`pip install -r backend/requirements.txt` run in /app is for /app/backend, which
    /app/static is none of; `requirements/prod.txt` is the project's own), else the install's project."""
    from dfcheck.model import SOURCE_DIRS

    directory = posixpath.dirname(main)
    inside = directory.startswith(dep.project.rstrip("/") + "/")
    return directory if inside and posixpath.basename(directory) in SOURCE_DIRS else dep.project


def _above(dest, project):
    """`dest` is the project directory or one above it."""
    dest, project = dest.rstrip("/") or "/", project.rstrip("/") or "/"
    return dest == project or project.startswith(dest.rstrip("/") + "/")


def _whole(source, model=None, wholes=None):
    copied = wholes.get(id(source)) if wholes else None
    if copied is not None:
        return (f"the whole build context {model.stage_of(copied).label} copied to {source.text} at line "
                f"{copied.span.line}")
    return "the whole build context" if source.kind == "context" else f"the whole directory {source.text}"


def _copy_text(source):
    """How a message names a COPY source: with the stage it copies from."""
    flag = f"--from={source.stage} " if source.kind == "stage" else ""
    return f"{source.node.keyword} {flag}{source.text}"


def _stage_project(model, source, projects):
    """The COPY of the whole build context (`COPY . .`) in the stage a `COPY --from` copies from, when the
    `--from` copies the directory it went to (`COPY --from=frontend /app .`), else None. `projects` keeps the
    answers by stage and directory: each stage's lineage is walked once for a directory."""
    if source.kind != "stage" or source.value is None or source.glob:
        return None
    root = posixpath.normpath("/" + source.value.strip("/"))
    key = (source.stage, root)
    if key not in projects:
        stage = model.stage_named(source.stage)
        projects[key] = None  # what a question asked while this one is answered gets (stages that copy in a cycle)
        projects[key] = None if stage is None else _whole_copy(model, stage, root, projects)
    return projects[key]


def _whole_copy(model, stage, root, projects):
    """The last COPY of the whole build context to `root` in `stage`'s lineage (also a `COPY --from` of a tree that
    is one, from a stage before: `COPY --from=docs /src /app`), unless a later RUN prunes it."""
    found = None
    for node in [n for s in model.lineage(stage) for n in s.layers]:
        if node.keyword in ("COPY", "ADD") and any(
                s.kind in ("context", "stage") and s.dest is not None and (s.dest.rstrip("/") or "/") == root and
                (s.kind == "context" or _stage_project(model, s, projects) is not None)
                for s in model.sources(node)):
            found = node
        elif found is not None and node.keyword == "RUN" and any(
                o.kind == "remove" and _above(o.path, root) for o in model.filesystem.effects(node).operations):
            # The tree pruned as a whole (`find . -type f ! -name 'requirements*.txt' -delete`): what is left is
            # the manifests, not the project.
            return None
    return found


def _short(text):
    return text if len(text) <= 50 else text[:47] + "..."


def _covering(model, copies, dep, main, wholes, lacking):
    """The latest COPY source that puts the main manifest in place, and its context path; a copy of the whole
    context from another stage (`wholes`), with no context path. `lacking` keeps what `_lacks` found."""
    glob = any(c in dep.manifests[0] for c in "*?[")
    for source in reversed(copies):
        if source.kind in ("url", "git", "stage"):
            if source.dest == main or main.startswith(source.dest.rstrip("/") + "/"):
                if id(source) in wholes:
                    if wholes[id(source)] is not None:
                        return source, None
                    continue  # from a stage this one is built on: its own COPY, further back, brought the tree
                key = (source.stage, source.origin(main))
                if not glob and key not in lacking:
                    lacking[key] = _lacks(model, *key)
                if not glob and lacking[key]:
                    continue  # (`COPY --from=base /var/www/html .` of what composer installed there)
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


def _lacks(model, name, origin):
    """The stage `name` of this Dockerfile has nothing at `origin` for a `COPY --from` of it to bring: no instruction
    of its lineage puts anything there (a COPY, an extraction, a tree a RUN writes), nor may (a RUN that writes where
    the Dockerfile does not say). A project's manifest is taken to come from the Dockerfile, not from the image the
    stage starts from."""
    stage = model.stage_named(name) if name else None
    if stage is None or origin is None:
        return False
    for node in [n for s in model.lineage(stage) for n in s.layers]:
        if node.keyword in ("COPY", "ADD"):
            for other in model.sources(node):
                if other.dest is None or other.kind is None:
                    return False
                by_name = other.local and other.kind != "heredoc"
                if by_name and other.brings(origin) is not None or not by_name and (
                        origin == other.dest or origin.startswith(other.dest.rstrip("/") + "/")):
                    return False
        elif node.keyword == "RUN":
            effects = model.filesystem.effects(node)
            if effects.unknown or effects.builds or effects.programs or not _known_writes(model, node) or any(
                    a.path == origin or a.tree and origin.startswith(a.path.rstrip("/") + "/") for a in effects.added):
                return False
    return True


def _known_writes(model, node):
    """Every command of the RUN is one whose writes the command catalog knows (a package manager, a file tool) or
    writes nothing (`cd`, `echo`): no script or interpreter that may write anything."""
    from dfcheck.model import DIRECTORY_MOVES, HOUSEKEEPING, NOT_USES, lookup

    for _, _, command in model.commands(node):
        name = command.basename
        if not command.argv or name in HOUSEKEEPING or name in NOT_USES or name in DIRECTORY_MOVES:
            continue
        found = lookup(command)
        if found is None or found[0].kind in ("installer", "shell", "wrapper"):
            return False
    return True


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
        # Through this source, or another of its COPY (`COPY go.mod go.sum *.go ./`); from a stage that copied the
        # whole context, the project's own.
        path = next((p for p in (s.brings(dep.path(name)) for s in [source] + model.sources(source.node))
                     if p is not None), None) if source.kind != "stage" else posixpath.normpath(name)
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


# -- the fix -------------------------------------------------------------------------------------------------

# Instructions that may stand between the broad COPY and the install: they read no file and change nothing a
# RUN sees, so the install can run before them.
_INERT = ("LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER", "ONBUILD")
# Flags of the broad COPY that the COPY of the manifests takes too (the owner and mode of what it creates).
_COPY_FLAGS = ("chown", "chmod", "link")
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.@%+,:/-]+")
_MANIFEST_LIMIT = 1 << 18  # a manifest larger than this is not read: no fix


def _fix(model, source, dep):
    """The manifests copied and the install run before the broad COPY (see Fix safety), or None."""
    from dfcheck.model import PREFETCH
    from dfcheck.model import ALONE, PREFETCH_ALONE

    copy, run = source.node, dep.node
    if source.guessed or not _inert_between(model, copy, run) or any(f.name not in _COPY_FLAGS for f in copy.flags):
        return None
    flags = flags_text(model, run)
    if flags is None:
        return None
    installs = [d for d in model.filesystem.effects(run).dependencies
                if d.step == "install" and d.ecosystem in ALONE and source.brings(d.path(d.manifests[0]))]
    steps = _steps(model, run, installs, source)
    if steps is None:
        return None
    if dep.step == "build":
        if dep.ecosystem not in PREFETCH_ALONE or installs or dep.project != model.workdir(run) or \
                _vendored(model, source, dep, run):
            return None
        chosen, text, keep = [dep], PREFETCH[dep.ecosystem], None
    elif all(kind != "more" for kind, _, _, _ in steps):
        chosen, text, keep = installs, None, None  # the whole RUN moves
    else:
        kind, d, code, command = steps[0]
        if kind != "install" or code.parent is not None or d.project != model.workdir(run):
            return None
        found = sequenced(code, command)
        text = command_text(code, command)
        if found is None or found[1] is None or text is None:
            return None
        chosen, keep = [d], remove_command(code, command)
        if keep is None:
            return None
    copies = _copies(model, source, chosen) if chosen else None
    if copies is None:
        return None
    lines, names, wildcard = copies
    at = insertion_line(copy)
    if text is None:
        first = insertion_line(run)
        edits = [insert_lines(at, "".join(lines) + lines_text(model, first, run.span.end_line)),
                 delete_lines(model, first, run.span.end_line)]
        what = f"move the install (line {run.span.line}) before it"
    else:
        edits = [insert_lines(at, "".join(lines) + f"RUN{flags} {text}\n")] + ([keep] if keep else [])
        what = f"run `{text}` before it" + (f"; the RUN at line {run.span.line} keeps the rest" if keep else "")
    note = ""
    if model.context is None:  # what the manifests hold is unknown
        note = (" (without the build context: the manifests are taken to name no other file of the project"
                f"{', and `*` copies a file only when the project has it' if wildcard else ''})")
    return Fix("unsafe", edits, f"Copy {_listed(names)} before the {copy.keyword} at line {copy.span.line} and "
                                f"{what}{note}")


def _vendored(model, source, dep, run):
    """A Go build from the project's vendor directory (`-mod=vendor`, or a vendor/ the context has): it fetches
    nothing, and a fetch first could not run offline."""
    settings = " ".join([run.original] + [v for k, v in model.scope(run).values().items() if k == "GOFLAGS"])
    if "-mod=vendor" in settings:
        return True
    vendor = source.brings(dep.path("vendor"))
    return model.context is not None and vendor is not None and model.context.kind(vendor) == "dir"


def _inert_between(model, copy, run):
    stage = model.stage_of(copy)
    if stage is None or stage is not model.stage_of(run):
        return False
    nodes = stage.instructions
    if copy not in nodes or run not in nodes:
        return False
    start, end = nodes.index(copy), nodes.index(run)
    return start < end and all(n.keyword in _INERT for n in nodes[start + 1:end])


def _steps(model, run, installs, source):
    """What each command of the RUN does, in order: ("install", Dependencies, code, command) for an install the
    fix handles, ("aside", ...) for one that reads and writes nothing of the project (a package-manager command,
    settings, a clean outside the copied directory), ("more", ...) for anything else; None when the RUN's code
    cannot be read."""
    from dfcheck.model import action
    from dfcheck.model import HOUSEKEEPING
    from dfcheck.model import executed

    codes = model.shell_code(run)
    if not codes or run.json:
        return None
    out = []
    for code, command in executed(codes):
        if command.in_function or code.nested(command) is not None:
            continue  # `sh -c '...'`: its commands follow
        span = code.span(command.start, command.end)
        found = next((d for d in installs if d.span == span), None)
        if found is not None:
            out.append(("install", found, code, command))
            continue
        inner = command.effective()
        writes = any(r.writes for r in inner.redirects)
        other = action(inner) if inner.argv else None
        if not inner.argv:
            aside = not command.redirects
        elif inner.basename == "rm":
            aside = _outside(inner, source.dest)
        elif inner.basename == "cd":  # into the directory the manifests are copied to: it exists by then
            target = [w.value for w in inner.operands()]
            aside = len(target) == 1 and target[0] is not None and \
                posixpath.normpath(posixpath.join(model.workdir(run), target[0])) in {d.project for d in installs}
        else:
            aside = not writes and ((other is not None and other.role in ("update", "clean", "remove", "install",
                                                                          "upgrade") and _registry(inner))
                                    or inner.basename in HOUSEKEEPING and inner.basename != "rm")
        out.append(("aside" if aside else "more", None, code, command))
    return out


def _registry(command):
    """A package-manager command that reads nothing of the project (an install of named packages, an update)."""
    from dfcheck.model import action, registry_install

    found = action(command)
    return found.role not in ("install", "upgrade") or registry_install(command) is not None


def _outside(command, dest):
    """An `rm` of absolute paths outside the copied directory (`rm -rf /var/lib/apt/lists/*`)."""
    paths = [w.value for w in command.operands()]
    top = (dest or "/").rstrip("/") + "/"
    return bool(paths) and all(p and p.startswith("/") and not (p + "/").startswith(top) and not top.startswith(
        posixpath.normpath(p).rstrip("/") + "/") for p in paths)


def _copies(model, source, deps):
    """(the COPY lines of the manifests, whether one names a file by a `*` that tolerates its absence), or None
    when a manifest cannot be copied alone."""
    from dfcheck.model import ALONE, MORE, NEED_CONTEXT

    context = model.context
    by_directory: dict = {}
    wildcard = False
    for d in deps:
        main = source.brings(d.path(d.manifests[0]))
        if main is None or (context is None and d.ecosystem in NEED_CONTEXT):
            return None
        base = posixpath.dirname(main)
        if context is not None and any(context.kind(posixpath.join(base, n)) for n in MORE.get(d.ecosystem, ())):
            return None
        todo = [d.path(name) for name in d.manifests]
        seen = set()
        while todo:  # the manifests, and the files they include (`-r base.txt`)
            image = todo.pop(0)
            if image in seen:
                continue
            if len(seen) == 16:
                return None  # includes that go on and on
            seen.add(image)
            path = source.brings(image)
            if path is None or any(c in image for c in "*?["):
                return None
            if context is not None:
                included = _read(context, d.ecosystem, path)
                if included is None:
                    return None
                todo.extend(posixpath.normpath(posixpath.join(posixpath.dirname(image), i)) for i in included)
            by_directory.setdefault(posixpath.dirname(image), []).append(path)
        for name in tuple(d.optional) + ALONE.get(d.ecosystem, ()):
            image = d.path(name)
            path = source.brings(image)
            if path is None or name in MORE.get(d.ecosystem, ()) or any(c in name for c in "*?["):
                continue
            if context is None:
                path, wildcard = path + "*", True
            elif context.kind(path) != "file":
                continue
            by_directory.setdefault(posixpath.dirname(image), []).append(path)
    lines, names = [], []
    flags = "".join(f" {_flag_source(model, f)}" for f in source.node.flags)
    for directory, paths in by_directory.items():
        dest = _dest(model, source, directory)
        unique = list(dict.fromkeys(paths))
        if dest is None or not all(_PLAIN_PATH.fullmatch(p.rstrip("*")) for p in unique):
            return None
        lines.append(f"COPY{flags} {' '.join(unique)} {dest}\n")
        names.extend(unique)
    return lines, names, wildcard


def _listed(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _read(context, ecosystem, path):
    """The files a manifest in the context includes, or None when it is missing, too large, or needs more of the
    project."""
    from dfcheck.model import references

    if context.kind(path) != "file":
        return None
    data = context.head(path, _MANIFEST_LIMIT)
    if data is None or len(data) >= _MANIFEST_LIMIT:
        return None
    included, why = references(ecosystem, path, data.decode("utf-8", "replace"))
    return None if why else included


def _dest(model, source, directory):
    """The destination of the COPY of the manifests: the broad COPY's own, as written, when they go where it
    copies; a directory under it or an absolute path otherwise; None when it cannot be written plainly."""
    written = source.node.args[-1].value
    top = source.dest
    if top is None or any(c in written for c in "\"' \t\\`"):
        return None
    if directory == top:
        text = written
    elif directory.startswith(top.rstrip("/") + "/"):
        text = written.rstrip("/") + "/" + directory[len(top.rstrip("/")) + 1:]
    else:
        text = directory
    return text if text.endswith("/") else text + "/"


def _flag_source(model, flag):
    span = flag.span
    return model.dockerfile.lines[span.line - 1][span.column - 1:span.end_column - 1]
