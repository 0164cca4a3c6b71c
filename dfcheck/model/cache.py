"""Build-cache knowledge: which RUN commands install dependencies from which manifest files, and
where the files a COPY/ADD brings in come from.

BuildKit keys a COPY on the content of the files it copies, and once one step misses the cache
every later step of the stage runs again. A dependency install is slow and depends only on its
manifests (package.json, requirements.txt, go.mod, ...), so it belongs right after a COPY of
those manifests alone, not after a COPY of the whole context.
"""

from __future__ import annotations

import posixpath

from ..records import fields_repr
from ..syntax.nodes import Instruction, Span


class Dependencies:
    """A command that installs dependencies from manifest files."""

    __slots__ = ("ecosystem", "project", "manifests", "optional", "step", "command", "span", "node")

    def __init__(self, ecosystem: str, project: str, manifests: tuple[str, ...], optional: tuple[str, ...],
                 step: str, command: str, span: Span, node: Instruction):
        self.ecosystem = ecosystem  # "pip", "npm", "go", ...
        self.project = project  # the directory relative manifest names are in (absolute, in the image)
        self.manifests = manifests  # the files it reads, the main one first (relative to `project`, or absolute)
        # lock files and the like, named only when the context has them (or no context)
        self.optional = optional
        self.step = step  # "install": only fetches dependencies; "build": fetches them while building the project
        self.command = command
        self.span = span
        self.node = node

    __repr__ = fields_repr

    def path(self, name: str) -> str:
        return posixpath.normpath(posixpath.join(self.project, name))


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
}
# The command that only fetches dependencies, suggested for ecosystems that otherwise fetch while building.
PREFETCH = {"go": "go mod download", "cargo": "cargo fetch", "maven": "mvn dependency:go-offline",
            "gradle": "gradle dependencies", "dotnet": "dotnet restore"}

_PIP = {"pip", "pip3"} | {f"pip3.{m}" for m in range(6, 16)}
_PYTHON = {"python", "python3"} | {f"python3.{m}" for m in range(6, 16)}
PIP_COMMANDS = frozenset(_PIP)  # the names pip runs under, for rules
PYTHON_COMMANDS = frozenset(_PYTHON)  # the names that run `-m pip`


def detect(walker, cmd) -> Dependencies | None:
    """The dependency install `cmd` performs (a Command, wrappers stripped), if any."""
    name = cmd.basename or ""
    words = [w.value for w in cmd.args]
    cwd = walker.current_cwd
    if cwd is None:
        return None

    def make(ecosystem, step, project=None, manifests=None):
        main, optional = MANIFESTS[ecosystem]
        return Dependencies(ecosystem, project or cwd, tuple(manifests or main), () if manifests else optional, step,
                            walker.text(cmd), walker.span(cmd), walker.node)

    if name in _PYTHON and len(words) >= 2 and words[0] == "-m" and words[1] in ("pip", "pip3"):
        words = words[2:]
        name = "pip"
    if name in _PIP or (name == "uv" and words[:1] == ["pip"]):
        if name == "uv":
            words = words[1:]
        if not words or words[0] not in ("install", "sync"):
            return None
        requirements = []
        for i, word in enumerate(words):
            if word in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(words) and words[i + 1]:
                requirements.append(words[i + 1])
            elif word and word.startswith("--requirement="):
                requirements.append(word.split("=", 1)[1])
            elif word and word.startswith("-r") and len(word) > 2 and not word.startswith("--"):
                requirements.append(word[2:])
        if words[0] == "sync":
            requirements += [w for w in words[1:] if w and not w.startswith("-")]
        if requirements:
            return make("pip-project", "install", manifests=requirements)
        local = [w for w in words[1:] if w in (".", "./") or (w and w.startswith((".[", "./[")))]
        if local:
            return make("pip-project", "build")
        return None
    if name == "poetry" and words[:1] in (["install"], ["sync"]):
        return make("poetry", "build" if "--no-root" not in words and "--only-root" not in words else "install")
    if name == "pipenv" and words[:1] in (["install"], ["sync"]) and len([w for w in words[1:] if w and not
                                                                          w.startswith("-")]) == 0:
        return make("pipenv", "install")
    if name == "uv" and words[:1] == ["sync"]:
        return make("uv", "install" if "--no-install-project" in words else "build")
    if name == "pdm" and words[:1] in (["install"], ["sync"]):
        return make("pdm", "build")
    if name in ("npm", "pnpm", "yarn", "bun"):
        project = cwd
        prefix = cmd.option_value("--prefix", "-C", "--cwd", "--dir",
                                  takes_value=("--prefix", "-C", "--cwd", "--dir", "--registry", "--omit"))
        if prefix:
            project = walker.path(prefix)
            if project is None:
                return None
        operands = [w.value for w in cmd.operands(takes_value=("--prefix", "-C", "--cwd", "--dir", "--registry",
                                                              "--omit", "--network-timeout", "--cache-folder",
                                                              "--modules-folder"))]
        verbs = {"npm": ("install", "i", "ci", "install-clean", "isntall"), "pnpm": ("install", "i"),
                 "yarn": ("install",), "bun": ("install", "i")}[name]
        if name == "yarn" and not operands:
            return make("yarn", "install", project)
        if operands and operands[0] in verbs and len(operands) == 1 and not cmd.has_option("-g", "--global"):
            return make(name, "install", project)
        return None
    if name == "bundle" and words[:1] == ["install"]:
        return make("bundler", "install")
    if name == "composer" and words[:1] in (["install"], ["update"]):
        return make("composer", "install")
    if name == "go":
        if words[:2] == ["mod", "download"]:
            return make("go", "install")
        if words[:1] in (["build"], ["install"], ["test"]) and not any(w and w.endswith("@latest") for w in words):
            if any(w and "@" in w for w in words[1:]):
                return None
            return make("go", "build")
        return None
    if name == "cargo" and words[:1] in (["build"], ["install"], ["fetch"], ["test"]):
        if words[:1] == ["install"] and not any(w in ("--path", ".") for w in words):
            return None
        return make("cargo", "install" if words[0] == "fetch" else "build")
    if name in ("mvn", "mvnw", "./mvnw"):
        goals = [w for w in words if w and not w.startswith("-")]
        if not goals or goals == ["clean"]:
            return None
        offline = any(g.startswith(("dependency:go-offline", "dependency:resolve")) for g in goals)
        return make("maven", "install" if offline else "build")
    if name in ("gradle", "gradlew", "./gradlew"):
        goals = [w for w in words if w and not w.startswith("-")]
        if not goals:
            return None
        return make("gradle", "install" if goals[0] in ("dependencies", "resolveDependencies") else "build")
    if name == "dotnet" and words[:1] in (["restore"], ["build"], ["publish"], ["test"]):
        if words[0] != "restore" and "--no-restore" in words:
            return None
        return make("dotnet", "install" if words[0] == "restore" else "build")
    if name == "mix" and words[:1] == ["deps.get"]:
        return make("mix", "install")
    return None


# -- where COPY/ADD files come from -------------------------------------------------------------

class CopySource:
    __slots__ = ("node", "text", "span", "dest", "dest_dir", "kind")

    def __init__(self, node: Instruction, text: str, span: Span, dest: str, dest_dir: bool, kind: str):
        self.node = node
        self.text = text  # the source as expanded
        self.span = span
        self.dest = dest  # the destination, absolute
        self.dest_dir = dest_dir
        self.kind = kind  # "context" (the whole context), "dir", "file", "glob", "url", "stage"

    __repr__ = fields_repr

    @property
    def broad(self) -> bool:
        return self.kind in ("context", "dir")


WHOLE_CONTEXT = {".", "./", "/", "*", "./*", "**"}


def copy_sources(model, node: Instruction) -> list[CopySource]:
    """The sources of a COPY/ADD with their resolved destination."""
    values = [model.expand(node, v) for v in node.values]
    if node.keyword not in ("COPY", "ADD") or len(values) < 2 or not values[-1].exact:
        return []
    *sources, dest = values
    text = dest.value
    dest_dir = text.endswith("/") or text in (".", "..") or text.endswith("/.") or len(sources) > 1
    dest_path = posixpath.normpath(posixpath.join(model.workdir(node), text))
    from_flag = node.flag("from")
    context = model.context if not from_flag else None
    found = []
    for source, arg in zip(sources, node.args[:-1]):
        value = source.value
        if from_flag:
            kind = "stage"
        elif "://" in value or value.startswith("git@"):
            kind = "url"
        elif value in WHOLE_CONTEXT or posixpath.normpath(value.lstrip("/") or ".") == ".":
            kind = "context"
        elif any(c in value for c in "*?["):
            kind = "glob"
            if context is not None and any(k == "dir" for _, k in context.matches(value)):
                kind = "dir"
        elif context is not None and context.kind(value) is not None:
            kind = "dir" if context.kind(value) == "dir" else "file"
        elif value.endswith("/"):
            kind = "dir"
        else:
            kind = "file"  # as far as we can tell without the context
        found.append(CopySource(node, value, arg.span, dest_path, dest_dir, kind))
    return found


def brings(model, source: CopySource, path: str) -> str | None:
    """The context path through which `source` puts the image file `path`, or None."""
    from .context import go_match

    clean = source.text.strip("/") if source.text not in ("/",) else ""
    if source.kind == "context":
        if path.startswith(source.dest.rstrip("/") + "/"):
            return path[len(source.dest.rstrip("/")) + 1:]
        return None
    if source.kind == "dir":
        prefix = source.dest.rstrip("/") + "/"
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix):]
        if any(c in clean for c in "*?["):
            return rest
        return posixpath.join(clean, rest) if clean else rest
    if source.kind in ("file", "glob"):
        name = posixpath.basename(path)
        parent = posixpath.dirname(path)
        if source.kind == "glob":
            base = posixpath.basename(clean)
            if parent == source.dest.rstrip("/") or (source.dest == "/" and parent == "/"):
                if go_match(base, name):
                    directory = posixpath.dirname(clean)
                    return posixpath.join(directory, name) if directory else name
            return None
        target = posixpath.join(source.dest, posixpath.basename(clean)) if source.dest_dir else source.dest
        if posixpath.normpath(target) == path:
            return clean
        if source.kind == "file" and model.context is None and path.startswith(source.dest.rstrip("/") + "/") \
                and not source.dest_dir and "." not in posixpath.basename(clean):
            # `COPY src /app/src` without the context: most likely a directory.
            return posixpath.join(clean, path[len(source.dest.rstrip("/")) + 1:])
    return None
