"""Language package managers and build tools in the catalog: pip and the Python tools, the Node managers,
Ruby, PHP, Go, Rust, the JVM builds, .NET and Elixir.

For each: the options that take a value, the installs that read manifest files (and whether they
only fetch the dependencies or also build the project), the caches they leave and how to avoid them,
the packages they install and remove.

Longer than most modules: it is a catalog, one short reader per tool read top to bottom, and a new
package manager is meant to touch one place.
"""

from __future__ import annotations

import posixpath

from ..effects import REGENERATES
from ..paths import SHARED_DIRS, normalize
from .base import Action, Cache, Dependencies, Tool, cache_off, cache_path, clean, home_path, leave, operands, \
    package_names

PIP_VALUES = (
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src", "--upgrade-strategy", "--platform",
    "--python-version", "--implementation", "--abi", "--no-binary", "--only-binary", "--progress-bar",
    "--trusted-host", "--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--cert",
    "--client-cert", "--config-settings", "-C", "--global-option", "--install-option", "--report", "--python",
    "--root-user-action", "--use-feature", "--use-deprecated", "--keyring-provider", "--group",
)
NPM_VALUES = ("--prefix", "-C", "--cache", "--registry", "-w", "--workspace", "--omit", "--include", "--loglevel",
              "--userconfig", "--only", "--tag")
YARN_VALUES = ("--cache-folder", "--modules-folder", "--network-timeout", "--mutex", "--cwd", "--registry",
               "--global-folder")
GEM_VALUES = ("-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P",
              "--trust-policy", "--platform", "-g", "--file", "--build-root", "--config-file")
GO_VALUES = ("-o", "-C", "-p", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile", "-overlay",
             "-pkgdir", "-buildmode", "-compiler", "-installsuffix", "-toolexec", "-exec")

PIP_NAMES = ("pip", "pip3", "pip2", "pip2.7") + tuple(f"pip3.{minor}" for minor in range(6, 16))
PYTHON_NAMES = ("python", "python3", "python2", "python2.7") + tuple(f"python3.{minor}" for minor in range(6, 16))
# gem's options that take no value; a word after any other option dfcheck does not know may be its value
# (`gem install x --use-system-libraries true`), so it is not taken for a gem.
GEM_FLAGS = ("-N", "--no-document", "--document", "--user-install", "--no-user-install", "-f", "--force",
             "--no-force", "--minimal-deps", "--conservative", "--development", "--development-all", "--prerelease",
             "--pre", "--no-prerelease", "-E", "--env-shebang", "--no-env-shebang", "-w", "--wrappers",
             "--no-wrappers", "--no-ri", "--no-rdoc", "--ri", "--rdoc", "--ignore-dependencies", "--default",
             "--post-install-message", "--no-post-install-message", "--explain", "--lock", "--no-lock",
             "--suggestions", "--no-suggestions", "--clear-sources", "-l", "--local", "-r", "--remote", "-b",
             "--both", "-q", "--quiet", "-V", "--verbose", "--no-verbose", "--backtrace", "--debug", "--norc",
             "--update-sources", "--no-update-sources", "-u", "--vendor", "--install-as-default",
             "--no-install-as-default", "--format-executable", "--no-format-executable", "--silent", "--no-http-proxy")

# ecosystem -> (manifests, optional companions)
MANIFESTS = {
    "pip-project": (("pyproject.toml",), ("setup.py", "setup.cfg")),
    "poetry": (("pyproject.toml",), ("poetry.lock",)),
    "pipenv": (("Pipfile",), ("Pipfile.lock",)),
    "uv": (("pyproject.toml",), ("uv.lock",)),
    "pdm": (("pyproject.toml",), ("pdm.lock",)),
    "npm": (("package.json",), ("package-lock.json", "npm-shrinkwrap.json")),
    "yarn": (("package.json",), ("yarn.lock", ".yarnrc.yml", ".yarnrc")),
    "pnpm": (("package.json",), ("pnpm-lock.yaml", "pnpm-workspace.yaml")),
    "bun": (("package.json",), ("bun.lockb", "bun.lock")),
    "bundler": (("Gemfile",), ("Gemfile.lock",)),
    "composer": (("composer.json",), ("composer.lock",)),
    "go": (("go.mod",), ("go.sum",)),
    "cargo": (("Cargo.toml",), ("Cargo.lock",)),
    "maven": (("pom.xml",), ()),
    "gradle": (("build.gradle",), ("settings.gradle", "build.gradle.kts", "settings.gradle.kts", "gradle.properties")),
    "dotnet": (("*.csproj",), ("*.sln", "*.fsproj", "NuGet.Config", "nuget.config")),
    "mix": (("mix.exs",), ("mix.lock",)),
    "conda": (("environment.yml",), ("environment.yaml", "conda-lock.yml")),
    "setuptools": (("setup.py",), ("setup.cfg", "pyproject.toml")),
}
# The programs of each ecosystem (by the names a RUN calls them), and for each manifest or lock file the programs
# that read it.
PROGRAMS = {"pip-project": ("pip", "pip3"), "bundler": ("bundle", "bundler"), "maven": ("mvn", "mvnw"),
            "yarn": ("yarn", "yarnpkg"),  # yarnpkg: Debian's name for it
            "gradle": ("gradle", "gradlew"), "setuptools": ("python", "python3"), "conda": ("conda", "mamba")}
READERS = {name: tuple(program for ecosystem, (main, optional) in MANIFESTS.items() if name in main + optional
                       for program in PROGRAMS.get(ecosystem, (ecosystem,)))
           for files in MANIFESTS.values() for name in files[0] + files[1]}
# Files besides the manifests that an install reads, and the programs that read them: the package managers'
# settings, yarn's own release and plugins under .yarn/, patches applied while installing (patch-package, pnpm,
# yarn), the schema `prisma generate` reads when @prisma/client installs.
_NODE = ("npm", "yarn", "yarnpkg", "pnpm", "bun")
INSTALL_INPUTS = {".npmrc": _NODE, ".yarn": ("yarn", "yarnpkg"), ".pnpmfile.cjs": ("pnpm",), "patches": _NODE,
                  "schema.prisma": _NODE + ("prisma",), "pip.conf": ("pip", "pip3"), ".gemrc": ("gem", "bundle")}
for _name, _programs in INSTALL_INPUTS.items():
    READERS[_name] = READERS.get(_name, ()) + _programs
# Files of a project that have no extension, or whose name is known whatever its extension: manifests and lock
# files, the build tools' wrapper scripts and the build scripts a manifest goes with (Cargo's build.rs). A COPY source
# named so is a file, never a directory, nor the project's code.
PROJECT_FILES = frozenset(
    {name for main, optional in MANIFESTS.values() for name in main + optional if "*" not in name}
    | {"gradlew", "gradlew.bat", "mvnw", "mvnw.cmd", "composer.phar", "requirements.txt", "Rakefile", "Gemfile.lock",
       "Podfile", "Berksfile", "Cartfile", "Brewfile", "Procfile", "Makefile", "GNUmakefile", "Justfile", "justfile",
       "rust-toolchain", "build.rs", "Package.swift", "build.zig", "conanfile.py"}
)
# Ecosystems whose installs fill the same environment: after `poetry install --no-root` (or `pip install -r`),
# `pip install .` builds the project itself, its dependencies already in place.
LANGUAGE = {"pip-project": "python", "poetry": "python", "pipenv": "python", "uv": "python", "pdm": "python",
            "setuptools": "python", "npm": "node", "yarn": "node", "pnpm": "node", "bun": "node"}
# Where a Python install puts the packages, as the effects name it (a virtualenv, a --target or --prefix tree, the
# site-packages of the interpreter or of the user), and the directories named so: a copy of one from a stage that
# installed dependencies there brings them in place (`COPY --from=deps /opt/venv /opt/venv`, `/root/.local`).
PYTHON_ENVIRONMENTS = ("virtualenv", "pip --target", "pip --prefix", "global packages")
PYTHON_ENVIRONMENT_DIRS = frozenset({"venv", ".venv", "virtualenv", ".local", "site-packages", "dist-packages"})
# Environment variables a project's build reads without the Dockerfile naming them, by the prefixes the tools look
# for: those front-end bundlers embed into the bundle (Vite, Create React App, Next.js, Vue CLI, Gatsby, Nuxt, Expo,
# SvelteKit's and Astro's PUBLIC_), and vergen's VERGEN_* in a Rust build. By language, and the programs that run
# such a build besides the package managers' scripts (`npm run build`, `cargo build`).
BUILD_ENV = {"node": ("VITE_", "REACT_APP_", "NEXT_PUBLIC_", "VUE_APP_", "GATSBY_", "NUXT_", "EXPO_PUBLIC_", "PUBLIC_"),
             "cargo": ("VERGEN_",)}
NODE_BUILDERS = ("npx", "vite", "next", "react-scripts", "vue-cli-service", "nuxt", "nuxi", "astro", "gatsby",
                 "webpack", "turbo", "expo")
# The sources a build of the dependencies alone writes for itself (the dummy-main idiom: `cargo new --bin /app`, or
# `echo 'fn main() {}' > src/main.rs`, then `cargo build` with only the manifests copied), by their extension.
PLACEHOLDERS = {"cargo": (".rs",)}
# What a project's manifest is called when a command creates it (`go mod init`, `npm init -y`, `cargo new`): a RUN
# that made it, the install reads it, not one a COPY brought.
CREATED = "manifest created"
# Ecosystems whose projects name the projects they build with by a relative path (.NET's `<ProjectReference
# Include="../../Paprika/Paprika.csproj" />`): a restore reads the projects beside its own, under a common directory.
SIBLING_PROJECTS = ("dotnet",)
# The verbs of a package manager that install rather than build: `npm ci` reads no VITE_* variable.
INSTALL_VERBS = ("install", "i", "ci", "add", "install-clean", "isntall", "fetch", "update", "upgrade")
# The command that only fetches dependencies, suggested for ecosystems that otherwise fetch while building.
PREFETCH = {"go": "go mod download", "cargo": "cargo fetch", "maven": "mvn dependency:go-offline",
            "gradle": "gradle dependencies", "dotnet": "dotnet restore", "poetry": "poetry install --no-root",
            "uv": "uv sync --no-install-project"}

# A cache's variables, the first one set winning (`XDG_CACHE_HOME/pip`: under that variable's value), then its
# default under the home of the user the RUN runs as: see `Cache.env`.
PIP_CACHE = Cache("pip", "pip cache", "~/.cache/pip", env=("PIP_CACHE_DIR", "XDG_CACHE_HOME/pip"),
                  off_env=("PIP_NO_CACHE_DIR",), flag="--no-cache-dir", flag_verbs=("install",),
                  avoid="use `pip install --no-cache-dir`")
UV_CACHE = Cache("uv", "uv cache", "~/.cache/uv", env=("UV_CACHE_DIR", "XDG_CACHE_HOME/uv"), off_env=("UV_NO_CACHE",),
                 flag="--no-cache", flag_verbs=("install", "sync", "add"), avoid="use `--no-cache`")
POETRY_CACHE = Cache("poetry", "poetry cache", "~/.cache/pypoetry", env=("POETRY_CACHE_DIR", "XDG_CACHE_HOME/pypoetry"),
                     flag="--no-cache", flag_verbs=("install", "add"), avoid="use `poetry install --no-cache`")
NPM_CACHE = Cache("npm", "npm cache", "~/.npm", env=("npm_config_cache", "NPM_CONFIG_CACHE"),
                  clean="npm cache clean --force", avoid="run `npm cache clean --force` in the same RUN")
# yarn 1 running as root keeps it in /usr/local/share/.cache/yarn instead (see _yarn)
YARN_CACHE = Cache("yarn", "yarn cache", "~/.cache/yarn", env=("YARN_CACHE_FOLDER", "XDG_CACHE_HOME/yarn"),
                   clean="yarn cache clean", avoid="run `yarn cache clean` in the same RUN")
PNPM_STORE = Cache("pnpm", "pnpm store", "~/.local/share/pnpm/store",
                   env=("PNPM_STORE_DIR", "npm_config_store_dir", "PNPM_HOME/store", "XDG_DATA_HOME/pnpm/store"),
                   avoid="keep the store in a cache mount")
GO_CACHE = Cache("go", "Go build cache", "~/.cache/go-build", env=("GOCACHE", "XDG_CACHE_HOME/go-build"),
                 clean="go clean -cache", avoid="run `go clean -cache` in the same RUN")
GO_MODULES = Cache("gomod", "Go module cache", "~/go/pkg/mod", env=("GOMODCACHE", "GOPATH/pkg/mod"),
                   avoid="run `go clean -modcache` in the same RUN, or build in another stage")
# Moved only by `-Dmaven.repo.local` (see _mvn) or a settings.xml; not by MAVEN_CONFIG, which the maven images set to
# /root/.m2 for their entrypoint's copy of /usr/share/maven/ref and which `mvn` itself does not read.
MAVEN_REPOSITORY = Cache("maven", "Maven repository", "~/.m2/repository",
                         avoid="build in another stage and copy the artifact")
GRADLE_CACHE = Cache("gradle", "Gradle cache", "~/.gradle/caches", env=("GRADLE_USER_HOME/caches",),
                     avoid="build in another stage and copy the artifact")
BUN_CACHE = Cache("bun", "bun cache", "~/.bun/install/cache",
                  env=("BUN_INSTALL_CACHE_DIR", "BUN_INSTALL/install/cache"), flag="--no-cache",
                  flag_verbs=("install", "i", "add"), avoid="use `bun install --no-cache`")
# Composer keeps its cache in ~/.cache/composer where XDG is in use, else in $COMPOSER_HOME/cache (~/.composer/cache)
COMPOSER_CACHE = Cache("composer", "Composer cache", "~/.cache/composer",
                       env=("COMPOSER_CACHE_DIR", "COMPOSER_HOME/cache", "XDG_CACHE_HOME/composer"), flag="--no-cache",
                       flag_verbs=("install", "update", "require"), avoid="use `composer install --no-cache`",
                       also=("~/.composer/cache",))
CARGO_REGISTRY = Cache("cargo", "Cargo registry", "~/.cargo/registry", env=("CARGO_HOME/registry",),
                       avoid="build in another stage and copy the binary")
HEX_CACHE = Cache("hex", "Hex package cache", "~/.hex/packages", avoid="build the release in another stage and copy it")
GEM_CACHE = Cache("gem", "gem cache", "cache", env=("GEM_HOME/cache",),
                  avoid="delete the gem directory's `cache/` in the same RUN")  # left only where GEM_HOME is known
NUGET_CACHE = Cache("nuget", "NuGet package cache", "~/.nuget/packages", env=("NUGET_PACKAGES",),
                    clean="dotnet nuget locals all --clear",
                    avoid="run `dotnet nuget locals all --clear` in the same RUN, or build in another stage")
CONDA_CACHE = Cache("conda", "conda package cache", "/opt/conda/pkgs", env=("CONDA_PKGS_DIRS",),
                    clean="conda clean --all --yes", avoid="run `conda clean --all --yes` (or mamba's) in the same RUN")
NVM_CACHE = Cache("nvm", "nvm download cache", "~/.nvm/.cache", clean="nvm cache clear",
                  avoid="run `nvm cache clear` in the same RUN")


def _project_write(call, project: str | None, name: str, what: str, tree: bool = True) -> None:
    """What an install writes into the project: `node_modules`, `vendor`, `target`, a lock file..."""
    if project:
        call.add(normalize(posixpath.join(project, name)), what, tree=tree)


def _depends(call, ecosystem: str, step: str, project: str | None = None, manifests=None, fetched_into=None) -> None:
    """Record an install from manifest files (nothing when the working directory is unknown). A build that
    fetches into a cache mount (`RUN --mount=type=cache,target=/go/pkg/mod go build`) finds there what earlier
    builds fetched: `fetched_into`, where it keeps what it fetches (by default, the tool's caches). Not a Python
    install of the project (`pip install -e .`, `uv sync`): its cache spares the downloads, but every dependency is
    installed into the environment again."""
    cwd = call.cwd
    if cwd is None:
        return
    if step == "build" and LANGUAGE.get(ecosystem) != "python":
        places = fetched_into if fetched_into is not None else [cache_path(call, c) for c in call.tool.caches]
        if any(place and call.mounted(place) for place in places):
            return
    main, optional = MANIFESTS[ecosystem]
    call.depends(Dependencies(ecosystem, project or cwd, tuple(manifests or main), () if manifests else optional,
                              step, call.text, call.span, call.node))


# -- Python ------------------------------------------------------------------------------------------

def _pip_manifests(call, words: list) -> None:
    """pip (or `uv pip`) install, sync, wheel and download: from requirement files, or the project itself."""
    first = 0
    while first < len(words) and words[first] and words[first].startswith("-"):
        # general options before the verb (`pip --no-cache-dir install`)
        first += 2 if words[first] in PIP_VALUES else 1
    words = words[first:]
    if not words or words[0] not in ("install", "sync", "wheel", "download"):
        return
    requirements = []
    constraints = []  # they only pin what the rest installs: with the project (`-e .[extras] -c c.txt`), a build of it
    for i, word in enumerate(words):
        if word in ("-r", "--requirement") and i + 1 < len(words) and words[i + 1]:
            requirements.append(words[i + 1])
        elif word in ("-c", "--constraint") and i + 1 < len(words) and words[i + 1]:
            constraints.append(words[i + 1])
        elif word and word.startswith(("--requirement=", "--constraint=")):
            (requirements if word.startswith("--r") else constraints).append(word.split("=", 1)[1])
        elif word and word.startswith(("-r", "-c")) and len(word) > 2 and not word.startswith("--"):
            (requirements if word[1] == "r" else constraints).append(word[2:])
    if words[0] == "sync":
        requirements += [w for w in words[1:] if w and not w.startswith("-")]
    if requirements:
        _depends(call, "pip-project", "install", manifests=requirements + constraints)
        return
    if "--no-deps" in words or "--no-index" in words:
        return  # the project alone, or from local archives: nothing fetched
    built = None
    for before, word in zip(words, words[1:]):
        if before in PIP_VALUES and before not in ("-e", "--editable"):
            continue  # an option's value (`--target lib/site`)
        # The project itself, also with extras: `.`, `.[dev]`, `-e ".[all]"`, `./[x]`, a directory by path (`/code`,
        # `./src/pkg`); not an archive or wheel
        path = (word or "").split("[", 1)[0]
        if path and _pip_path(path) and (any(c in path for c in "*?[") or path.endswith(_PACKAGE_FILES)):
            # Packages built elsewhere (`pip install /wheels/*`, wheels a stage built from the requirements): the
            # dependencies come with them, none read from the project.
            built = built or path
        elif path in (".", "./") or (_pip_path(path) and "." not in posixpath.basename(path)) or \
                before in ("-e", "--editable") and path and ":" not in path and not path.startswith("-"):
            # (an editable install takes a local project or a VCS URL, never a name on PyPI: `-e biodepot`)
            _depends(call, "pip-project", "build", call.path(path))
            return
    if built is not None:
        _depends(call, "pip-project", "prebuilt", manifests=[built])
    elif constraints:
        _depends(call, "pip-project", "install", manifests=constraints)  # named packages, pinned by the file


_PACKAGE_FILES = (".whl", ".tar.gz", ".zip", ".tgz", ".egg")


def _pip_path(spec: str) -> bool:
    """A pip requirement that is a path (`/code`, `./src`, `foo/bar`): a name on PyPI has no slash, and a URL or
    `name @ url` has a colon."""
    return spec.startswith(("/", ".")) or ("/" in spec and ":" not in spec and not spec.startswith("-"))


def _global_packages(call, directory: str | None, names=()) -> None:
    """A global install writes into a directory the image shares (site-packages, the global node_modules, GEM_HOME,
    $GOPATH/bin): each named package a tree of its own under it when `names` are given (`typescript` of
    `npm install -g typescript@5`), else the directory as files merged among others."""
    if directory is None:
        return
    if names:
        for name in names:
            call.add(normalize(posixpath.join(directory, name)), "global packages", tree=True)
    else:
        call.add(directory, "global packages", tree=True, owned=False)


def _site_packages(call) -> str | None:
    """The site-packages a plain `pip install` writes to: the python image's (`python:3.12` ->
    /usr/local/lib/python3.12/site-packages), or ~/.local's for `--user`; None in a virtualenv or when the
    version is not known."""
    if call.env.get("VIRTUAL_ENV") or call.env.get("PIP_TARGET") or call.env.get("PIP_PREFIX"):
        return None
    image = call.base_image
    name, _, tag = image.rpartition("/")[2].partition("@")[0].partition(":")
    version = ".".join(tag.split("-")[0].split(".")[:2]) if name == "python" else ""
    if not version[:1].isdigit() or "." not in version:
        return None
    if call.command.has_option("--user", takes_value=PIP_VALUES) or call.env.get("PIP_USER"):
        return home_path(call, f"~/.local/lib/python{version}/site-packages")
    return f"/usr/local/lib/python{version}/site-packages"


def _node_global(call, prefix: str | None = None) -> None:
    """`npm install -g typescript@5`: <prefix>/lib/node_modules/typescript (the prefix /usr/local unless set)."""
    cmd = call.command
    prefix = call.path(prefix or call.env.get("npm_config_prefix") or call.env.get("NPM_CONFIG_PREFIX") or "/usr/local")
    if prefix is None:
        return
    names = []
    for word in cmd.operands(takes_value=_NODE_VALUES)[1:]:
        spec = call.value(word)
        if not spec or ":" in spec or spec.startswith((".", "/")) or "/" in spec and not spec.startswith("@"):
            continue  # a path, a URL or a git repository: its name is not known
        names.append(spec[0] + spec[1:].split("@", 1)[0])
    _global_packages(call, normalize(prefix + "/lib/node_modules"), names)


def _pip(call) -> None:
    cmd = call.command
    _pip_manifests(call, [call.value(w) for w in cmd.args])
    found = operands(cmd, call.tool)
    if not found:
        return
    verb = found[0].value
    if verb == "install":
        specs = [v for word in found[1:] for v in call.values(word)]
        has_requirements = cmd.has_option("-r", "--requirement", takes_value=PIP_VALUES)
        local_only = bool(specs) and all(_pip_path(v) or v.endswith((".whl", ".tar.gz")) for v in specs) \
            and not has_requirements
        disabled = (cmd.has_option("--no-cache-dir", takes_value=PIP_VALUES) or cache_off(call, PIP_CACHE)
                    or cmd.has_option("--no-index", takes_value=PIP_VALUES) or local_only)
        if not disabled:
            leave(call, PIP_CACHE, cache_path(call, PIP_CACHE, cmd.option_value("--cache-dir", takes_value=PIP_VALUES)))
        names = package_names(call, found[1:], "pip")
        if names:
            call.packages("pip", names, True)
        target = cmd.option_value("-t", "--target", takes_value=PIP_VALUES)
        if target:
            call.add(call.path(target), "pip --target", tree=True)
        prefix = cmd.option_value("--prefix", "--root", takes_value=PIP_VALUES)
        path = call.path(prefix) if prefix else None
        if path and path not in SHARED_DIRS:  # `--prefix=/install`: a tree of its own, to copy elsewhere
            call.add(path, "pip --prefix", tree=True)
        if not target and not prefix and not cmd.has_option("--dry-run", takes_value=PIP_VALUES):
            site = _site_packages(call)
            _global_packages(call, site)
            if site and site.startswith("/usr/local/lib/python") and "pip" in (names or ()) and call.user_root:
                # pip's own scripts, next to the python image's interpreter: pip, pip3, pip3.12 (another user than
                # root cannot write there: pip falls back to a user install)
                version = site.split("/")[4][len("python"):]
                for script in ("pip", "pip" + version.split(".")[0], "pip" + version):
                    call.add("/usr/local/bin/" + script, "global packages")
    elif verb == "uninstall":
        names = package_names(call, found[1:], "pip")
        if names:
            call.packages("pip", names, False)
    elif verb == "cache" and len(found) > 1 and found[1].value in ("purge", "remove"):
        clean(call, PIP_CACHE)


def _virtualenv(call) -> None:
    """`python -m venv /opt/venv`, `virtualenv env`: a tree of its own."""
    found = call.command.operands(takes_value=("-p", "--python", "--prompt"))
    if found:
        call.add(call.path(found[0]), "virtualenv", tree=True)


def _uv(call) -> None:
    texts = [a.value for a in call.command.args]
    if not texts:
        return
    if texts[0] == "venv":
        found = call.command.operands(takes_value=("-p", "--python", "--prompt"))
        call.add(call.path(found[1].value if len(found) > 1 else ".venv"), "virtualenv", tree=True)
    if texts[0] == "pip":
        _pip_manifests(call, [call.value(a) for a in call.command.args[1:]])
        found = call.command.operands(takes_value=PIP_VALUES)[2:]  # after `pip install`
        names = package_names(call, found, "pip") if texts[1:2] in (["install"], ["uninstall"]) else None
        if names:
            call.packages("pip", names, texts[1] == "install")
    elif texts[0] == "sync":
        project = call.command.option_value("--project", "--directory", takes_value=("--project", "--directory"))
        _depends(call, "uv", "install" if "--no-install-project" in texts else "build", _project_from(call, project))
    if texts[0] == "cache" and len(texts) > 1 and texts[1] in ("clean", "prune"):
        clean(call, UV_CACHE)
        return
    installs = texts[0] in ("sync", "add") or (texts[0] == "pip" and len(texts) > 1 and texts[1] in ("install", "sync"))
    if installs and "--no-cache" not in texts and "--no-cache-dir" not in texts and "-n" not in texts \
            and not cache_off(call, UV_CACHE):
        leave(call, UV_CACHE)


POETRY_VALUES = ("-C", "--directory", "-P", "--project", "--with", "--without", "--only", "-E", "--extras")


def _poetry(call) -> None:
    cmd = call.command
    texts = [w.value for w in cmd.operands(takes_value=POETRY_VALUES)] + [a.value for a in cmd.args
                                                                           if a.value and a.value.startswith("-")]
    project = _project_from(call, cmd.option_value("-C", "--directory", "-P", "--project", takes_value=POETRY_VALUES))
    if texts[:1] in (["install"], ["sync"]) and "--only-root" not in texts:  # --only-root: the project, no dependency
        _depends(call, "poetry", "build" if "--no-root" not in texts else "install", project)
    if texts[:1] in (["install"], ["add"], ["sync"], ["update"]) and "--no-cache" not in texts \
            and "--only-root" not in texts:  # installing the project alone downloads nothing
        leave(call, POETRY_CACHE)
    elif texts[:2] == ["cache", "clear"]:
        clean(call, POETRY_CACHE)


def _pipenv(call) -> None:
    texts = [a.value for a in call.command.args]
    if texts[:1] in (["install"], ["sync"]) and not [w for w in texts[1:] if w and not w.startswith("-")]:
        _depends(call, "pipenv", "install")


def _setup_py(call) -> None:
    """`python setup.py install` (or develop): installs the project, fetching what it requires. Building a
    distribution of it (`bdist_wheel`, `sdist`, `build`, `bdist_egg`) fetches none of its dependencies."""
    verbs = [a.value for a in call.command.args[1:] if a.value and not a.value.startswith("-")]
    if verbs[:1] and verbs[0] in ("install", "develop"):
        script = call.command.args[0].value
        _depends(call, "setuptools", "build", _project_from(call, script, ("setup.py",)))


def _pdm(call) -> None:
    if [a.value for a in call.command.args][:1] in (["install"], ["sync"]):
        _depends(call, "pdm", "build")


# -- Node ----------------------------------------------------------------------------------------------

_NODE_PROJECT = ("--prefix", "-C", "--cwd", "--dir")
_NODE_VALUES = _NODE_PROJECT + ("--registry", "--omit", "--network-timeout", "--cache-folder", "--modules-folder")
PNPM_VALUES = ("--filter", "-F", "--store-dir", "--virtual-store-dir", "--modules-dir", "--reporter",
               "--network-concurrency", "--child-concurrency")
_NODE_INSTALLS = {"npm": ("install", "i", "ci", "install-clean", "isntall"), "pnpm": ("install", "i"),
                  "yarn": ("install",), "bun": ("install", "i")}


def _node_values(call) -> tuple[str, ...]:
    """The options of a Node manager that take a value, its own with the shared ones (`npm ci --include dev`,
    `pnpm install --filter web`): their values are no package names."""
    return _NODE_VALUES + tuple(call.tool.values)


def _node_project(call) -> str | None:
    prefix = call.command.option_value(*_NODE_PROJECT, takes_value=_node_values(call))
    return call.path(prefix) if prefix else call.cwd


def _node_modules(call, verbs) -> None:
    """An install into the project writes its node_modules (a global one does not)."""
    _saved(call)
    cmd = call.command
    found = [w.value for w in cmd.operands(takes_value=_node_values(call))]
    if (found[:1] and found[0] in verbs or not found and call.tool.name == "yarn") and \
            not cmd.has_option("-g", "--global", takes_value=_NODE_VALUES):
        folder = cmd.option_value("--modules-folder", takes_value=_NODE_VALUES)
        if folder:
            call.add(call.path(folder), "node_modules", tree=True)
        else:
            _project_write(call, _node_project(call), "node_modules", "node_modules")


def _saved(call) -> None:
    """`npm install express`, `yarn add x`, `pnpm add x`: a package named for the project is saved into its
    package.json and lock file, which the RUN writes."""
    cmd = call.command
    found = [w.value for w in cmd.operands(takes_value=_node_values(call))]
    verbs = ("install", "i", "add") if call.tool.name == "npm" else ("add",)
    if len(found) < 2 or found[0] not in verbs or cmd.has_option("-g", "--global", "--no-save"):
        return
    project = _node_project(call)
    lock = MANIFESTS[call.tool.name][1][0]
    for name in ("package.json", lock):
        _project_write(call, project, name, "file written", tree=False)


def _node_manifests(call) -> None:
    """`npm ci`, `yarn`, `pnpm install`...: an install of what package.json lists (no package named)."""
    cmd = call.command
    name = call.tool.name
    project = _node_project(call)
    if project is None:
        return
    found = [w.value for w in cmd.operands(takes_value=_node_values(call))]
    if cmd.has_option("--offline", takes_value=_NODE_VALUES):
        return  # from the store or cache an earlier fetch filled (`pnpm fetch`, then `pnpm install --offline`)
    if name == "yarn" and not found:
        _depends(call, "yarn", "install", project)
    elif found and found[0] in _NODE_INSTALLS[name] and len(found) == 1 and not cmd.has_option("-g", "--global"):
        _depends(call, name, "install", project)
    elif name == "pnpm" and found[:1] == ["fetch"]:
        # Fetches what the lock file lists into the store, reading nothing else of the project.
        _depends(call, "pnpm", "install", project, manifests=["pnpm-lock.yaml"])


def _npm(call) -> None:
    cmd = call.command
    _node_manifests(call)
    found = operands(cmd, call.tool)
    if not found:
        return
    verb = found[0].value
    if verb in ("init", "create"):  # `npm init -y`: a package.json of its own
        _project_write(call, _node_project(call), "package.json", CREATED, tree=False)
        return
    base = cache_path(call, NPM_CACHE, cmd.option_value("--cache", takes_value=NPM_VALUES))
    if verb in ("install", "i", "ci", "add", "update", "install-clean", "isntall", "in"):
        leave(call, NPM_CACHE, base)
        _node_modules(call, ("install", "i", "ci", "add", "update", "install-clean", "isntall", "in"))
        if cmd.has_option("-g", "--global", takes_value=_NODE_VALUES):
            _node_global(call, cmd.option_value("--prefix", takes_value=_NODE_VALUES))
    elif verb == "cache" and len(found) > 1 and found[1].value in ("clean", "clear", "rm"):
        clean(call, NPM_CACHE, base)
        call.operate("remove", base + "/_cacache", "clean", recursive=True)
    elif verb in ("run", "run-script", "build", "exec", "test"):
        call.built(_node_project(call))  # a project script: it may write anything in the project
    elif verb == "prune":
        project = _node_project(call)
        if project:  # removes the packages package.json no longer lists (or the dev ones): some of node_modules
            call.operate("remove", normalize(posixpath.join(project, "node_modules")), "npm prune", recursive=True,
                         exact=False)


def _yarn(call) -> None:
    cmd = call.command
    _node_manifests(call)
    found = cmd.operands(takes_value=YARN_VALUES)
    if not found and cmd.has_option("--version", "-v", "--help", "-h"):
        return
    verb = found[0].value if found else "install"
    base = cache_path(call, YARN_CACHE, cmd.option_value("--cache-folder", takes_value=YARN_VALUES),
                      "/usr/local/share/.cache/yarn" if call.user_root else None)
    if verb in ("install", "add", "global"):
        leave(call, YARN_CACHE, base)
        _node_modules(call, ("install", "add"))
        if verb == "global" and len(found) > 1 and found[1].value == "add":  # `yarn global add x`
            folder = cmd.option_value("--global-folder", takes_value=YARN_VALUES)
            _global_packages(call, call.path(folder) if folder else "/usr/local/share/.config/yarn/global"
                             if call.user_root else home_path(call, "~/.config/yarn/global"))
    elif verb not in ("cache", "config", "remove", "upgrade", "info", "why", "list"):
        call.built(_node_project(call))  # `yarn build`, `yarn run x`: a project script
    elif verb == "cache" and len(found) > 1 and found[1].value == "clean":
        clean(call, YARN_CACHE, base)


def _pnpm(call) -> None:
    _node_manifests(call)
    texts = [a.value for a in call.command.args]
    if texts[:1] in (["install"], ["i"], ["add"], ["fetch"]):
        leave(call, PNPM_STORE)
        _node_modules(call, ("install", "i", "add"))
        if call.command.has_option("-g", "--global") and call.env.get("PNPM_HOME"):
            _global_packages(call, call.path(call.env["PNPM_HOME"]))
    elif texts[:2] == ["store", "prune"]:
        clean(call, PNPM_STORE)
    elif texts[:1] in (["run"], ["build"], ["exec"], ["test"]):
        call.built(_node_project(call))


def _bun(call) -> None:
    _node_manifests(call)
    cmd = call.command
    found = [w.value for w in cmd.operands(takes_value=_node_values(call))]
    if found[:1] in (["install"], ["i"], ["add"]):
        if not cmd.has_option("--no-cache", takes_value=_NODE_VALUES):
            leave(call, BUN_CACHE)
        _node_modules(call, ("install", "i", "add"))
    elif found[:3] == ["pm", "cache", "rm"]:
        clean(call, BUN_CACHE)


def _nvm(call) -> None:
    """nvm (a shell function, after `. $NVM_DIR/nvm.sh`): `nvm install` keeps the tarball it downloads."""
    texts = [a.value for a in call.command.args]
    base = call.path(call.env["NVM_DIR"]) if call.env.get("NVM_DIR") else home_path(call, "~/.nvm")
    if base is None:
        return
    if texts[:1] == ["install"]:
        leave(call, NVM_CACHE, base + "/.cache")
        call.add(base + "/versions/node", "node versions", tree=True)
    elif texts[:2] == ["cache", "clear"]:
        clean(call, NVM_CACHE, base + "/.cache")


# -- Ruby, PHP, Go, Rust, JVM, .NET, Elixir, conda ---------------------------------------------------------

BUNDLE_VALUES = ("--path", "--gemfile", "--jobs", "-j", "--retry", "--without", "--with", "--binstubs", "--shebang",
                 "--standalone", "--trust-policy")


def _bundle(call) -> None:
    cmd = call.command
    if [a.value for a in cmd.args][:1] != ["install"]:
        return
    _depends(call, "bundler", "install")
    path = cmd.option_value("--path", takes_value=BUNDLE_VALUES) or call.env.get("BUNDLE_PATH")
    if not path and cmd.has_option("--deployment", takes_value=BUNDLE_VALUES):
        path = "vendor/bundle"
    if path:
        call.add(call.path(path), "bundle --path", tree=True)
    elif call.env.get("GEM_HOME"):  # into GEM_HOME (the ruby image's is known), keeping the .gem files in cache/
        leave(call, GEM_CACHE)


COMPOSER_VALUES = ("-d", "--working-dir")
# pecl's global options (`-d key=value`, `-c file`) and those of `pecl install` that take a value (`-D 'opt="yes"'`)
PECL_VALUES = ("-c", "-C", "-d", "-D", "-P", "--packagingroot", "-r", "--installroot")


def _composer(call) -> None:
    cmd = call.command
    found = cmd.operands(takes_value=COMPOSER_VALUES)
    verb = found[0].value if found else None
    directory = cmd.option_value("-d", "--working-dir", takes_value=COMPOSER_VALUES)
    project = call.path(directory) if directory else call.cwd
    if verb in ("install", "update", "i", "u", "upgrade"):
        _depends(call, "composer", "install", project)
    if verb == "create-project" and len(found) > 1:  # a skeleton project, into the directory named or the package's
        name = call.value(found[2]) if len(found) > 2 else (call.value(found[1]) or "").split(":")[0].rsplit("/")[-1]
        if name:
            call.add(call.path(name), "skeleton project", tree=True)
    if verb == "global":  # `composer global require x`: into $COMPOSER_HOME
        home = call.env.get("COMPOSER_HOME")
        _global_packages(call, call.path(home) if home else home_path(call, "~/.composer"))
    if verb in ("install", "update", "require", "i", "u", "upgrade"):
        vendor = call.env.get("COMPOSER_VENDOR_DIR") or "vendor"
        _project_write(call, project, vendor, "vendor")
        if not cmd.has_option("--no-cache", takes_value=COMPOSER_VALUES) and not call.env.get("COMPOSER_NO_CACHE"):
            leave(call, COMPOSER_CACHE)
    elif verb in ("clear-cache", "clearcache", "cc"):
        clean(call, COMPOSER_CACHE)
    elif verb in ("dump-autoload", "dumpautoload") and project:
        # The autoloader it generates: vendor/autoload.php and vendor/composer/, rewritten whole (-o, -a or not).
        vendor = normalize(posixpath.join(project, call.env.get("COMPOSER_VENDOR_DIR") or "vendor"))
        call.operate("rewrite", vendor + "/autoload.php", REGENERATES)
        call.operate("rewrite", vendor + "/composer", REGENERATES, recursive=True)


def _go_module_mode(call) -> bool:
    """Whether `go` reads go.mod: GO111MODULE, a go.mod in the build context, or a Go 1.16 or later image
    unless the stage fetches with `go get` in a GOPATH layout (`/go/src/github.com/x/y`) with no go.mod copied in
    sight: a file of the GOPATH era, whose dependencies come from the imports of the sources."""
    mode = (call.env.get("GO111MODULE") or "").lower()
    if mode in ("on", "off"):
        return mode == "on"
    context = call.model.context
    if context is not None and context.kind("go.mod") == "file":
        return True
    gopath = (call.env.get("GOPATH") or "/go").split(":")[0].rstrip("/")
    if call.cwd and call.cwd.startswith(gopath + "/src/") and _gopath_era(call):
        return False
    image = call.base_image
    if not image.startswith("golang:"):
        return True  # a toolchain of unknown age: module mode has been the default since 2021
    digits = image.split(":", 1)[1].split("-", 1)[0].split(".")
    try:
        version = tuple(int(d) for d in digits[:2])
    except ValueError:
        return True  # `golang:latest`, `golang:alpine`
    return version >= (1, 16)


def _gopath_era(call) -> bool:
    """Whether the stage (with the stages it is built on) runs `go get` up to this RUN, and no COPY or ADD names a
    go.mod (`go.mod`, `go.*`)."""
    from ..paths import has_glob
    from ..scripts import executed

    model = call.model
    stage = model.stage_of(call.node)
    if stage is None:
        return False
    fetched = False
    for node in (n for s in model.lineage(stage) for n in s.layers):
        for source in model.sources(node):
            name = posixpath.basename(source.text.rstrip("/"))
            if name == "go.mod" or has_glob(name) and name.startswith("go"):
                return False
        if node.keyword == "RUN" and node.span.line <= call.node.span.line and not fetched:
            fetched = any(inner.basename == "go" and [a.value for a in inner.args[:1]] == ["get"]
                          for inner in (command.effective() for _, command in executed(model.shell_code(node))))
    return fetched


def _go_vendored(call, texts) -> bool:
    """Whether the build reads vendor/ and fetches nothing: `-mod=vendor` on the command line or in GOFLAGS; or,
    since Go 1.14 builds from a vendor/modules.txt by themselves, a project seen to vendor its dependencies: an
    earlier go command of the stage ran with `-mod=vendor`, a COPY brought a `vendor` directory, or the build
    context holds vendor/modules.txt."""
    if _mod_vendor(texts + (call.env.get("GOFLAGS") or "").split()):
        return True
    image = call.base_image
    if image.startswith("golang:"):
        digits = image.split(":", 1)[1].split("-", 1)[0].split(".")
        if all(d.isdigit() for d in digits[:2]) and len(digits) > 1 and (int(digits[0]), int(digits[1])) < (1, 14):
            return False
    from ..scripts import executed

    model = call.model
    context = model.context
    if context is not None and context.kind("vendor/modules.txt") == "file":
        return True
    stage = model.stage_of(call.node)
    if stage is None:
        return False
    for node in (n for s in model.lineage(stage) for n in s.layers):
        if node.span.line > call.node.span.line and model.stage_of(node) is stage:
            break
        if node.keyword in ("COPY", "ADD") and any(
                s.kind in ("dir", "file") and posixpath.basename(posixpath.normpath(s.text.rstrip("/") or ".")) ==
                "vendor" for s in model.sources(node)):
            return True
        if node.keyword == "RUN" and "vendor" in node.original and any(
                inner.basename == "go" and _mod_vendor([a.value for a in inner.args])
                for inner in (command.effective() for _, command in executed(model.shell_code(node)))):
            return True
    return False


def _mod_vendor(flags) -> bool:
    return any(w in ("-mod=vendor", "--mod=vendor") for w in flags) or \
        any(a in ("-mod", "--mod") and b == "vendor" for a, b in zip(flags, flags[1:]))


def _go(call) -> None:
    texts = [a.value for a in call.command.args]
    if not texts:
        return
    gopath = call.env.get("GOPATH") or ("/go" if call.base_image.startswith("golang") else call.home + "/go")
    modcache = cache_path(call, GO_MODULES, default=posixpath.normpath(gopath.split(":")[0] + "/pkg/mod"))
    if texts[:2] == ["mod", "download"] or (texts[:1] == ["get"] and any(
            w and w.startswith("./") for w in texts[1:]) and _go_module_mode(call)):
        _depends(call, "go", "install")
    elif texts[:1] in (["build"], ["install"], ["test"]) and not any(w and w.endswith("@latest") for w in texts) \
            and not any(w and "@" in w for w in texts[1:]) and not _go_vendored(call, texts) and _go_module_mode(call):
        _depends(call, "go", "build", fetched_into=[modcache])
    if texts[:2] == ["mod", "init"]:  # fails where a go.mod is: the module's go.mod is the RUN's own
        _project_write(call, call.cwd, "go.mod", CREATED, tree=False)
    if texts[0] in ("build", "generate", "test", "run"):
        call.built(call.cwd)
    if texts[0] == "build":
        output = call.command.option_value("-o", takes_value=GO_VALUES)
        if output:
            call.add(call.path(output), "build output", tree=output.endswith("/"))
    if texts[0] == "install":  # `go install example.com/x/cmd/tool@v1`: $GOBIN/tool (or $GOPATH/bin/tool)
        gobin = call.env.get("GOBIN") or gopath.split(":")[0].rstrip("/") + "/bin"
        for word in call.command.operands(takes_value=GO_VALUES)[1:]:
            module = (call.value(word) or "").split("@", 1)[0].rstrip("/")
            name = [p for p in module.split("/") if p and not (p[:1] == "v" and p[1:].isdigit())][-1:]
            if name and "@" in (call.value(word) or "") and name[0] not in (".", ".."):
                call.add(normalize(posixpath.join(call.path(gobin) or gobin, name[0])), "global packages")
    gocache = cache_path(call, GO_CACHE)
    if texts[0] in ("build", "install", "test", "run", "vet"):
        leave(call, GO_CACHE, gocache)
        if texts[0] != "vet":
            leave(call, GO_MODULES, modcache)
    elif texts[:2] == ["mod", "download"]:
        leave(call, GO_MODULES, modcache)
    elif texts[0] == "get" and _go_module_mode(call) and not _gopath_era(call):
        # the modules `go get` adds to go.mod; without a go.mod in sight it is GOPATH-era use (into $GOPATH/src)
        leave(call, GO_MODULES, modcache)
    elif texts[0] == "clean":
        if "-cache" in texts:
            clean(call, GO_CACHE, gocache)
        if "-modcache" in texts:
            clean(call, GO_MODULES, modcache)


CARGO_VALUES = ("--manifest-path", "--target-dir", "--path", "-p", "--package", "--features", "-F", "--bin",
                "--target", "-j", "--jobs", "--profile", "--root")


def _cargo(call) -> None:
    cmd = call.command
    texts = [a.value for a in cmd.args]
    chef = texts[:2] == ["chef", "cook"]
    if texts[:1] in (["new"], ["init"]):
        # A crate of its own: Cargo.toml and src/main.rs (src/lib.rs with --lib), in the directory named or here.
        found = [w.value for w in cmd.operands(takes_value=("--name", "--vcs", "--edition", "--registry"))][1:]
        crate = call.path(found[0]) if found else call.cwd if texts[0] == "init" else None
        main = "src/lib.rs" if "--lib" in texts else "src/main.rs"
        _project_write(call, crate, "Cargo.toml", CREATED, tree=False)
        _project_write(call, crate, main, "file written", tree=False)
        return
    offline = "--offline" in texts or "--frozen" in texts or (call.env.get("CARGO_NET_OFFLINE") or "") == "true"
    if texts[:1] in (["build"], ["install"], ["fetch"], ["test"]) or chef:
        registry = cache_path(call, CARGO_REGISTRY)
        leave(call, CARGO_REGISTRY, registry)
        if chef:
            # cargo-chef: builds the dependencies alone, from the recipe `cargo chef prepare` wrote.
            recipe = cmd.option_value("--recipe-path", takes_value=("--recipe-path",) + CARGO_VALUES)
            _depends(call, "cargo", "install", manifests=[recipe or "recipe.json"])
            return
        # `cargo install NAME` fetches a crate from the registry; `cargo install --path DIR` builds the local crate
        # in DIR, reading its Cargo.toml and Cargo.lock and fetching their dependencies as `cargo build` does.
        local = cmd.option_value("--path", takes_value=CARGO_VALUES) if texts[0] == "install" else None
        if texts[0] == "install" and not local:
            return
        project = call.path(local) if local else \
            _project_from(call, cmd.option_value("--manifest-path", takes_value=CARGO_VALUES), ("Cargo.toml",))
        if not offline:  # offline: from vendored sources or what an earlier fetch left
            _depends(call, "cargo", "install" if texts[0] == "fetch" else "build", project, fetched_into=[registry])
        if texts[0] in ("build", "test"):
            call.built(project)
            target = cmd.option_value("--target-dir", takes_value=CARGO_VALUES) or call.env.get("CARGO_TARGET_DIR")
            if target:
                call.add(call.path(target), "build output", tree=True)
            else:
                _project_write(call, project, "target", "build output")


MVN_VALUES = ("-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-P", "--activate-profiles", "-pl",
              "--projects", "-rf", "--resume-from", "-T", "--threads", "-l", "--log-file", "-t", "--toolchains", "-D",
              "--define", "-e", "-amd")
GRADLE_VALUES = ("-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-g", "--gradle-user-home",
                 "-I", "--init-script", "-x", "--exclude-task", "--console", "--warning-mode", "--max-workers",
                 "-D", "--system-prop", "-P", "--project-prop")


def _project_from(call, path: str | None, files: tuple[str, ...] = ()) -> str | None:
    """The project directory an option names: the directory itself, or the one holding a named build file."""
    if not path:
        return call.cwd
    if path.endswith(files) or posixpath.basename(path) in files:
        path = posixpath.dirname(path) or "."
    return call.path(path)


def _mvn(call) -> None:
    cmd = call.command
    goals = [w.value for w in cmd.operands(takes_value=MVN_VALUES) if w.value]
    project = _project_from(call, cmd.option_value("-f", "--file", takes_value=MVN_VALUES), (".xml",))
    if goals and goals != ["clean"]:
        offline = any(g.startswith(("dependency:go-offline", "dependency:resolve")) for g in goals)
        if not cmd.has_option("-o", "--offline", takes_value=MVN_VALUES):  # offline: fetches nothing
            _depends(call, "maven", "install" if offline else "build", project)
        if not offline:
            call.built(project)
        if any(g in ("package", "install", "verify", "compile", "deploy") for g in goals):
            _project_write(call, project, "target", "build output")
    if cmd.args:
        leave(call, MAVEN_REPOSITORY, cache_path(call, MAVEN_REPOSITORY, _maven_repo_local(call)))


def _maven_repo_local(call) -> str | None:
    """The repository `-Dmaven.repo.local=DIR` names, on the command line or in MAVEN_OPTS or MAVEN_ARGS."""
    words = [w.value or "" for w in call.command.args]
    words += (call.env.get("MAVEN_OPTS") or "").split() + (call.env.get("MAVEN_ARGS") or "").split()
    for word in words:
        setting = word[2:] if word.startswith("-D") else word  # `-Dmaven.repo.local=x`, `-D maven.repo.local=x`
        if setting.startswith("maven.repo.local="):
            return setting.split("=", 1)[1] or None
    return None


def _gradle(call) -> None:
    cmd = call.command
    goals = [w.value for w in cmd.operands(takes_value=GRADLE_VALUES) if w.value]
    project = _project_from(call, cmd.option_value("-p", "--project-dir", takes_value=GRADLE_VALUES))
    if goals:
        if not cmd.has_option("--offline", takes_value=GRADLE_VALUES):  # offline: fetches nothing
            _depends(call, "gradle", "install" if goals[0] in ("dependencies", "resolveDependencies") else "build",
                     project)
        call.built(project)
        if any(g in ("build", "assemble", "bootJar", "jar", "installDist", "shadowJar") for g in goals):
            _project_write(call, project, "build", "build output")
    if cmd.args:
        home = cmd.option_value("-g", "--gradle-user-home", takes_value=GRADLE_VALUES)
        leave(call, GRADLE_CACHE, cache_path(call, GRADLE_CACHE, home.rstrip("/") + "/caches" if home else None))


DOTNET_VALUES = ("-o", "--output", "-c", "--configuration", "-r", "--runtime", "-f", "--framework", "-s", "--source",
                 "-v", "--verbosity", "-a", "--arch", "--os", "-p", "--property")


def _dotnet(call) -> None:
    cmd = call.command
    texts = [a.value for a in cmd.args]
    if texts[:1] in (["restore"], ["build"], ["publish"], ["test"]):
        output = cmd.option_value("-o", "--output", takes_value=("-o", "--output", "-c", "--configuration", "-r",
                                                                 "--runtime", "-f", "--framework"))
        if output and texts[0] in ("build", "publish"):
            call.add(call.path(output), "build output", tree=True)
        if texts[0] != "restore" and "--no-restore" in texts:
            return
        leave(call, NUGET_CACHE)
        found = [w.value for w in cmd.operands(takes_value=DOTNET_VALUES)[1:] if w.value]
        named = found[0] if found else None
        manifests = [posixpath.basename(named)] if named and named.endswith((".csproj", ".fsproj", ".sln")) else None
        project = _project_from(call, named, (".csproj", ".fsproj", ".sln", ".vbproj"))
        _depends(call, "dotnet", "install" if texts[0] == "restore" else "build", project, manifests)
        if texts[0] != "restore":
            call.built(project)


def _mix(call) -> None:
    if [a.value for a in call.command.args][:1] == ["deps.get"]:
        _depends(call, "mix", "install")
        _project_write(call, call.cwd, "deps", "deps")
        leave(call, HEX_CACHE)  # Hex keeps each package's tarball it downloads


def _nuget(call) -> None:
    """nuget.exe (under mono): `nuget restore` fills the global packages folder, as `dotnet restore` does."""
    if [a.value for a in call.command.args][:1] == ["restore"]:
        leave(call, NUGET_CACHE)


CONDA_VALUES = ("-n", "--name", "-p", "--prefix", "-c", "--channel", "-f", "--file", "--override-channels",
                "-r", "--root-prefix")


def _conda(call) -> None:
    """conda, mamba, micromamba: installs keep the package tarballs in the package cache (`pkgs`)."""
    cmd = call.command
    found = [w.value for w in cmd.operands(takes_value=CONDA_VALUES)]
    verb = found[0] if found else None
    if verb == "env" and len(found) > 1:
        verb = "env " + found[1]
    pkgs = call.env.get("CONDA_PKGS_DIRS", "").split(",")[0]
    root = call.env.get("CONDA_DIR") or call.env.get("MAMBA_ROOT_PREFIX") or call.env.get("CONDA_PREFIX")
    path = call.path(pkgs) if pkgs else call.path(root.rstrip("/") + "/pkgs") if root else \
        ("/opt/conda/pkgs" if call.command.basename != "micromamba" else home_path(call, "~/micromamba/pkgs"))
    if verb in ("install", "create", "update", "upgrade", "env create", "env update"):
        leave(call, CONDA_CACHE, path)
        manifest = cmd.option_value("-f", "--file", takes_value=CONDA_VALUES)
        if manifest or verb in ("env create", "env update"):
            _depends(call, "conda", "install", manifests=[manifest] if manifest else None)
    elif verb == "clean" and cmd.has_option("-a", "--all", "-t", "--tarballs", "-p", "--packages",
                                             takes_value=CONDA_VALUES):
        clean(call, CONDA_CACHE, path)


def _install_action(verbs: dict):
    def action(tool: Tool, command) -> Action | None:
        found = operands(command, tool)
        if not found or found[0].value is None:
            return None
        return Action(tool, verbs.get(found[0].value, "other"), found[0].value, found[0], found[1:], command)

    return action


def gem_values(command) -> tuple[str, ...]:
    """The options of a gem command that take a value: gem's own, and any option it does not know."""
    unknown = []
    for word in command.args:
        value = word.value or ""
        if value == "--":
            break
        if value.startswith("-") and "=" not in value and value not in GEM_FLAGS and value not in GEM_VALUES:
            unknown.append(value)
    return GEM_VALUES + tuple(unknown)


def _gem(call) -> None:
    """`gem install x`: into GEM_HOME (/usr/local/bundle in the ruby image), or --install-dir."""
    found = _gem_action(call.tool, call.command)
    if found is None or found.role != "install":
        return
    directory = call.command.option_value("-i", "--install-dir", takes_value=gem_values(call.command)) or \
        call.env.get("GEM_HOME") or ("/usr/local/bundle" if call.base_image.rpartition("/")[2].startswith("ruby")
                                     else None)
    _global_packages(call, call.path(directory) if directory else None)
    home = call.env.get("GEM_HOME")  # the ruby image's is known: /usr/local/bundle
    if home and not call.command.has_option("-i", "--install-dir", takes_value=gem_values(call.command)):
        leave(call, GEM_CACHE)  # the .gem files it downloaded, under GEM_HOME


def _gem_action(tool: Tool, command) -> Action | None:
    """gem's verb and the gems it names: not what follows `--` (the gem's build options), nor the value of an
    option gem does not know."""
    end = next((i for i, w in enumerate(command.args) if w.value == "--"), len(command.args))
    inside = {id(w) for w in command.args[:end]}
    found = [w for w in command.operands(takes_value=gem_values(command)) if id(w) in inside]
    if not found or found[0].value is None:
        return None
    verbs = {"install": "install", "i": "install", "uninstall": "remove"}
    return Action(tool, verbs.get(found[0].value, "other"), found[0].value, found[0], found[1:], command)


def _php_extension(call) -> None:
    """The php image's `docker-php-ext-enable NAME` (and `docker-php-ext-install NAME`, which enables what it builds)
    writes $PHP_INI_DIR/conf.d/docker-php-ext-NAME.ini (or `--ini-name`): a later `>>` into it copies it again."""
    cmd = call.command
    ini_dir = call.path((call.env.get("PHP_INI_DIR") or "/usr/local/etc/php").rstrip("/") + "/conf.d")
    named = cmd.option_value("--ini-name", takes_value=("--ini-name", "-j"))
    names = [call.value(w) for w in cmd.operands(takes_value=("--ini-name", "-j"))]
    if named:
        call.add(call.path(named, ini_dir), "file written")
        return
    for name in names:
        if name and "/" not in name and not name.startswith("-"):
            call.add(call.path(f"docker-php-ext-{name}.ini", ini_dir), "file written")


TOOLS = (
    Tool("docker-php-ext", ("docker-php-ext-enable", "docker-php-ext-install"), "build", read=_php_extension),
    Tool("pip", PIP_NAMES, "packages", PIP_VALUES, read=_pip, caches=(PIP_CACHE,), ecosystem="pip-project",
         action=_install_action({"install": "install", "uninstall": "remove", "download": "other",
                                 "wheel": "other"})),
    Tool("uv", ("uv",), "packages", read=_uv, caches=(UV_CACHE,), ecosystem="uv"),
    Tool("virtualenv", ("virtualenv",), "packages", read=_virtualenv),
    Tool("poetry", ("poetry",), "packages", read=_poetry, caches=(POETRY_CACHE,), ecosystem="poetry"),
    Tool("pipenv", ("pipenv",), "packages", read=_pipenv, ecosystem="pipenv"),
    Tool("pdm", ("pdm",), "packages", read=_pdm, ecosystem="pdm"),
    Tool("setuptools", ("setup.py",), "build", read=_setup_py, ecosystem="setuptools"),
    Tool("npm", ("npm",), "packages", NPM_VALUES, read=_npm, caches=(NPM_CACHE,), ecosystem="npm",
         action=_install_action({"install": "install", "i": "install", "add": "install", "isntall": "install",
                                 "ci": "install", "uninstall": "remove", "remove": "remove", "rm": "remove"})),
    Tool("yarn", ("yarn", "yarnpkg"), "packages", YARN_VALUES, read=_yarn, caches=(YARN_CACHE,), ecosystem="yarn"),
    Tool("pnpm", ("pnpm",), "packages", PNPM_VALUES, read=_pnpm, caches=(PNPM_STORE,), ecosystem="pnpm"),
    Tool("bun", ("bun",), "packages", read=_bun, caches=(BUN_CACHE,), ecosystem="bun"),
    Tool("nvm", ("nvm",), "packages", read=_nvm, caches=(NVM_CACHE,)),
    Tool("gem", ("gem",), "packages", GEM_VALUES, read=_gem, action=_gem_action, caches=(GEM_CACHE,)),
    Tool("bundle", ("bundle", "bundler"), "packages", BUNDLE_VALUES, read=_bundle, ecosystem="bundler",
         caches=(GEM_CACHE,)),
    Tool("pecl", ("pecl",), "packages", PECL_VALUES,
         action=_install_action({"install": "install", "upgrade": "upgrade", "uninstall": "remove"})),
    Tool("composer", ("composer", "composer.phar"), "packages", COMPOSER_VALUES, read=_composer,
         caches=(COMPOSER_CACHE,), ecosystem="composer"),
    Tool("go", ("go",), "build", GO_VALUES, read=_go, caches=(GO_CACHE, GO_MODULES), ecosystem="go",
         action=_install_action({"install": "install", "get": "install", "run": "other"})),
    Tool("cargo", ("cargo",), "build", read=_cargo, caches=(CARGO_REGISTRY,), ecosystem="cargo"),
    Tool("maven", ("mvn", "mvnw"), "build", read=_mvn, caches=(MAVEN_REPOSITORY,), ecosystem="maven"),
    Tool("gradle", ("gradle", "gradlew"), "build", read=_gradle, caches=(GRADLE_CACHE,), ecosystem="gradle"),
    Tool("dotnet", ("dotnet",), "build", read=_dotnet, caches=(NUGET_CACHE,), ecosystem="dotnet"),
    Tool("nuget", ("nuget", "nuget.exe"), "packages", read=_nuget, caches=(NUGET_CACHE,)),
    Tool("mix", ("mix",), "build", read=_mix, ecosystem="mix", caches=(HEX_CACHE,)),
    Tool("conda", ("conda", "mamba", "micromamba"), "packages", CONDA_VALUES, read=_conda, caches=(CONDA_CACHE,),
         ecosystem="conda"),
)
