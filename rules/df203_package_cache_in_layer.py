import re
from collections.abc import Iterator

from dfcheck.model import CACHES, TOOLS, Model, action, executed
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

from ._fixes import after_keyword, frontend_accepts, runs_as_root


@rule("DF203", "package-cache-in-layer", "info",
      hadolint=("DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060", "DL3069", "DL3070",
                "DL3071", "DL3072", "DL3073", "DL3074", "DL3075", "DL3076", "DL3077"), fixable="depends")
def package_cache_in_layer(model: Model, options: Options) -> Iterator[Finding]:
    """A package manager leaves its cache or package lists in the layer that created them.

    ## What it does
    In the stages that ship (the final or `--target` stage and the stages it is built `FROM`),
    reports a RUN whose package manager writes its lists or download cache and does not remove
    them in the same RUN: `apt-get update` (the lists in `/var/lib/apt/lists`), `apk add` without
    `--no-cache`, yum, dnf, microdnf, tdnf and zypper without `clean`, pacman's databases and
    package cache, `pip install` without `--no-cache-dir`, uv, poetry and composer without
    `--no-cache`, npm, yarn, pnpm and bun, conda and mamba's package cache, nvm's downloads, the Go
    build and module caches (`go build`, `go mod download`, `go get` in a module), the Cargo registry, NuGet's
    packages (`dotnet restore` and `nuget restore`), Maven's and Gradle's repositories, Hex's
    package cache (`mix deps.get`), and the `.gem` files `gem install` and `bundle install` keep in
    the gem directory's `cache/` (where the gem directory is known: `GEM_HOME`, `--install-dir`,
    `/usr/local/bundle` in the ruby image). Nothing is reported when the cache directory is a
    `RUN --mount=type=cache` (or `type=tmpfs`) target, when the cache is turned off by environment
    (`PIP_NO_CACHE_DIR`, `UV_NO_CACHE`), or in builder stages the image copies only files from.
    Composer keeps its cache in `~/.cache/composer` where XDG is in use and in `~/.composer/cache`
    otherwise: a mount over either counts. Go has two caches, the build cache
    (`/root/.cache/go-build`) and the module cache (`$GOPATH/pkg/mod`): a build needs a mount over
    each to keep both out.
    A cache a later layer deletes is reported by DF201 instead.

    The Debian and Ubuntu images delete downloaded `.deb` files after each install themselves
    (`/etc/apt/apt.conf.d/docker-clean`), so only the apt lists count, until a RUN deletes that
    file (as BuildKit's documentation suggests for cache mounts): then apt-get's installs leave
    their `.deb` files in `/var/cache/apt/archives` too, and a cache mount on `/var/lib/apt` alone
    does not cover them.

    A cache is looked for where the RUN's environment puts it: the variables the Dockerfile sets,
    or the official base image does (`CARGO_HOME=/usr/local/cargo` of the rust images, `GOPATH=/go`
    of golang's, `COMPOSER_HOME=/tmp` of composer's), such as `PIP_CACHE_DIR`, `GOMODCACHE`,
    `GRADLE_USER_HOME` or `XDG_CACHE_HOME` (for the caches kept under `~/.cache`), else its default
    under the home of the USER the RUN runs as (or `HOME`). Messages and fixes name that path.

    A cache is where its manager keeps it: dnf's in `/var/cache/dnf` (dnf5's, Fedora's dnf since
    41, in `/var/cache/libdnf5`), yum's and microdnf's in `/var/cache/yum`. `PIP_NO_CACHE_DIR`
    turns pip's cache off whatever valid value it has, `0`, `false` and `no` included: pip, for
    compatibility, disables the cache for every value its option parser accepts.

    ONBUILD triggers are looked at where they run: at the start of each stage of the file built
    FROM the stage that registers them (what they leave ships when that stage does), and, for a
    stage no stage builds on, in the build of an image FROM it.

    ## Why is this bad?
    Package lists and download caches are only useful while installing. Left in a layer they add
    tens to hundreds of megabytes to every pull of the image, and a later `rm` cannot take them
    back out of that layer.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    RUN pip install -r requirements.txt
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    RUN pip install --no-cache-dir -r requirements.txt
    ```
    Or keep the cache out of the layer and reuse it between builds:
    `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt` (or discard
    it: `--mount=type=tmpfs,target=...`). The message names the directory to mount for each tool:
    `/root/.cargo/registry`, `/root/.cache/go-build` and `/go/pkg/mod`, `/root/.m2/repository`,
    `/root/.gradle/caches`, the Composer cache, `/root/.nuget/packages`, the pnpm store
    (`/root/.local/share/pnpm/store`), `/root/.hex/packages`, the gem directory's `cache/`.

    ## Fix safety
    The fix adds the manager's no-cache flag (`--no-cache-dir`, `--no-cache`) or appends its clean
    command to the RUN. It is safe: the image differs only by the cache. The package lists are not
    removed (no fix) when a later RUN of the image installs with the same manager without updating
    first: that install needs them, and would fail.

    A cache its manager has no flag or command for (the pnpm store, the Go module cache, Maven's,
    Gradle's and Cargo's) gets a cache mount instead: `RUN --mount=type=cache,target=PATH`. That
    fix is unsafe: what the RUN downloads there is kept between builds, outside the image, where
    no later instruction sees it, and the mount hides what an earlier layer put there. It is
    offered only when no earlier layer wrote to that path, nothing later in the file runs that
    tool or names the cache's path, the RUN runs as root (a cache mount belongs to root: a cache
    outside /root needs USER root, or a base image known to run as root), and the Dockerfile
    frontend accepts `RUN --mount` (docker/dockerfile 1.2 and later; BuildKit is the default
    builder since Docker Engine 23).

    ## Relation to other linters
    hadolint's DL3009, DL3019, DL3032, DL3036, DL3040, DL3042 and DL3060 look for the clean command or
    flag in the RUN, and DL3069-DL3077 (its development branch: cargo, Go, Maven, Gradle, Composer,
    NuGet, pnpm, Mix/Hex, gem/bundler) for a cache mount; their suppressions silence this rule.
    Deliberate differences on the cache mounts: hadolint is content with one mount for Go, over
    either cache, where dfcheck reports the other cache left in the layer; it accepts a mount
    anywhere its path contains `.nuget/packages` (`/home/app/.nuget/packages` for a RUN as root,
    whose cache is `/root/.nuget/packages`) and a mount over `~/.mix` for Hex's packages (in
    `~/.hex`); it reports `mix compile`, which downloads nothing, and `go get` with no go.mod in sight
    (GOPATH-era use, into `$GOPATH/src`: no cache); and it reports `gem install` and
    `bundle install` where the gem directory is unknown (no `GEM_HOME`, not the ruby image), which
    dfcheck does not guess. Other deliberate differences: hadolint accepts
    `rm -rf /var/cache/yum` after a dnf install (it removes nothing of dnf's cache), reports
    `PIP_NO_CACHE_DIR=0`/`false` as leaving the cache (pip turns it off), and reports the triggers of a
    stage no stage builds on, and the caches of builder stages, as if they shipped (dfcheck reports a
    stage's triggers in the image built FROM it, and builder stages not at all).
    """
    stages = model.shipped_stages
    if not stages:
        return
    fs = model.filesystem
    later_removed = {id(w.added) for w in model.waste}
    layers = [n for s in stages for n in s.layers]
    for index, node in enumerate(layers):
        if node.keyword != "RUN":
            continue
        seen = set()
        for added in fs.effects(node).added:
            if not added.cache or added.path in seen or id(added) in later_removed:
                continue
            seen.add(added.path)
            cache = CACHES.get(added.cache)
            advice = cache.avoid if cache is not None else "clean it in the same RUN"
            where, command = _command_at(model, node, added.span)
            text = f"`{_short(command)}`" if command else "this RUN"
            assumed = f" (assuming {added.assumed})" if added.assumed else ""
            message = (f"{text} leaves the {added.what} ({added.path}) in this layer{assumed}; {advice}, "
                       f"or mount it with `RUN --mount=type=cache,target={added.path}`")
            fix = _fix(model, node, added, where, command, cache, layers[index + 1:]) if cache is not None else None
            yield Finding(added.span, message, fix)


def _short(command):
    text = " ".join(w.text for w in command.argv)
    return text if len(text) <= 60 else text[:57] + "..."


def _command_at(model, node, span):
    """(the shell code, the command, wrappers stripped) at `span`."""
    for code, command in executed(model.shell_code(node)):
        if code.span(command.start, command.end) == span:
            return code, command.effective()
    return None, None


def _fix(model, node, added, where, command, cache, later):
    codes = model.shell_code(node)
    if not codes or node.json:
        return None
    code = codes[0]
    flag, append = cache.flag, cache.clean
    if flag and command is not None:
        if not where.exact or where.script.has_errors:
            return None
        verbs = cache.flag_verbs
        anchor = None
        for word in command.argv[1:]:
            if word.value in verbs:
                anchor = word
                break
        if anchor is None or any(w.value == flag for w in command.argv):
            return None
        if any(_role(c, added.cache) == "update" for _, c in executed(codes)):
            return None  # `apk update` wrote the index too: dropping it is the author's call
        point = _point(where, anchor.end)
        if point is None:
            return None
        return Fix("safe", [Edit(point, f" {flag}")], f"Add {flag}")
    if append is None and flag is None:
        return _mount(model, node, added, cache)
    if append is None or node.heredocs:
        return None
    commands = [c for c in code.script.commands if not c.in_function]
    if not commands or code.script.has_errors:
        return None
    last = commands[-1]
    if code.text[last.end:].strip() or last.in_subshell or last.in_loop or last.in_condition or last.in_substitution \
            or last.background:
        return None
    if cache.index and _later_install_needs_lists(model, added.cache, later):
        return None  # the later install would fail without the index (DF102 reports the split)
    end = code.span(last.end - 1, last.end)
    point = Span(end.end_line, end.end_column, end.end_line, end.end_column)
    return Fix("safe", [Edit(point, f" && {append}")], f"Append `{append}`")


def _point(code, offset):
    span = code.span(offset - 1, offset)
    return Span(span.end_line, span.end_column, span.end_line, span.end_column)


def _role(command, manager):
    """The role of a command's verb when it runs `manager` ("update", "install", ...), else None."""
    act = action(command.effective())
    return act.role if act is not None and act.manager == manager else None


def _later_install_needs_lists(model, manager, later):
    """A later RUN installs with the same manager without refreshing its index first."""
    for node in later:
        if node.keyword != "RUN":
            continue
        updated = False
        for _, command in executed(model.shell_code(node)):
            role = _role(command, manager)
            if role == "update":
                updated = True
            elif role == "install" and not updated:
                return True
    return False


def _mount(model, node, added, cache):
    """The RUN given a cache mount at the cache's path, or None when a later instruction may need what the cache
    holds (see Fix safety)."""
    path = added.path
    if not path or not path.startswith("/") or any(c in path for c in ",\"'= \t$*?[") or \
            not frontend_accepts(model, "mount", node):
        return None
    if not path.startswith("/root/") and not runs_as_root(model, node):
        return None  # a user's own cache dfcheck found under /root is not where another user would write
    for stage in model.lineage(model.stage_of(node)):
        for layer in stage.layers:
            if layer.span.line >= node.span.line:
                break
            if any(a.path == path or a.path.startswith(path + "/") or path.startswith(a.path.rstrip("/") + "/")
                   for a in model.filesystem.effects(layer).added):
                return None  # the mount would hide what an earlier layer put there (`go mod download`)
    tool = next((t for t in set(TOOLS.values()) if cache in t.caches), None)
    names = "|".join(re.escape(n) for n in tool.names) if tool is not None else None
    uses = re.compile(rf"(?<![\w.-])({names})(?![\w.-])") if names else None
    parts = path.rstrip("/").split("/")
    tail = "/".join(parts[-2:])  # `.m2/repository`, `pkg/mod`: how a later instruction would name the path
    for other in model.instructions:
        if other.span.line <= node.span.end_line:
            continue
        texts = [other.original] + [h.content for h in other.heredocs]
        if any(tail in t or (uses is not None and uses.search(t)) for t in texts):
            return None
    flag = f"--mount=type=cache,target={path}"
    return Fix("unsafe", [after_keyword(node, flag)], f"Keep the {cache.what} in a cache mount: `RUN {flag}`")
