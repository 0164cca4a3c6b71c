"""Which dependency installs run on their manifest files alone, before the rest of the project is copied in.

A Dockerfile that keeps its install cached copies the manifests first, installs, then copies the rest
(DF101's fix writes that). That works only when the install reads nothing else of the project: the
ecosystems in `ALONE`, and only when their manifests name no other local file. `references` reads a
manifest's text for what it names: a requirements file's `-r base.txt` (copied along) or `-e .` (the whole
project), npm workspaces and install scripts, a Gemfile's `gemspec`, a go.mod's local `replace`, ...

Not in `ALONE`: cargo (even `cargo fetch` needs the crate's targets, src/main.rs), Maven, Gradle and
.NET (modules, wrappers and project references), composer (its scripts and autoloader read the project),
mix, conda and setuptools; and yarn and pnpm without the build context (a `.yarnrc.yml` needs the `.yarn`
directory, a `pnpm-workspace.yaml` every member's package.json: only the context tells).
"""

from __future__ import annotations

import posixpath
import re

# Ecosystems whose install step (Dependencies.step "install") runs on the manifests alone, and the settings
# files it also reads when the project has them. Installing the project itself (`pip install .`, `poetry
# install` without --no-root, `uv sync` without --no-install-project) is a build: it needs the whole project.
ALONE = {
    "pip-project": (),  # `pip install -r requirements.txt`
    "pipenv": (),
    "poetry": ("poetry.toml",),
    "uv": (),
    "npm": (".npmrc",),
    "yarn": (".npmrc", ".yarnrc"),
    "pnpm": (".npmrc",),
    "bun": (".npmrc", "bunfig.toml"),
    "bundler": (),
    "go": (),
}
# Files next to the manifests that mean the install reads more of the project: Yarn's settings name its
# release and plugins in `.yarn/`, a pnpm or Go workspace has members.
MORE = {"yarn": (".yarnrc.yml", ".pnp.cjs"), "pnpm": ("pnpm-workspace.yaml",), "go": ("go.work",)}
# Ecosystems where those files are common enough that only the build context can tell the manifests are enough.
NEED_CONTEXT = ("yarn", "pnpm")
# Ecosystems whose fetch-only command (commands.languages.PREFETCH) runs on the manifests alone, for builds
# that fetch while they build (`go build`): copying the manifests and fetching first keeps the fetch cached.
PREFETCH_ALONE = ("go",)

_NODE = ("npm", "yarn", "pnpm", "bun")
_LIFECYCLE = ("preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish")


def references(ecosystem: str, name: str, text: str) -> tuple[list[str], str | None]:
    """(other manifests `name` includes, relative to its directory; why it needs more of the project, or None)
    from a manifest's text."""
    base = posixpath.basename(name)
    if ecosystem in ("pip-project",):
        return _requirements(text)
    if ecosystem in _NODE and base == "package.json":
        return [], _package_json(text)
    if ecosystem == "bundler" and base == "Gemfile":
        if re.search(r"^\s*gemspec\b", text, re.M) or re.search(r"\bpath\s*(?::|=>)", text):
            return [], "the Gemfile installs gems from the project (`gemspec`, `path:`)"
    elif ecosystem == "go" and base == "go.mod":
        if re.search(r"=>\s*(\.{1,2}/|/)", text):
            return [], "go.mod replaces a module with a local directory"
    elif base in ("Pipfile", "pyproject.toml"):
        if re.search(r"\bpath\s*=\s*['\"]", text) or "[tool.uv.workspace]" in text or "editable = true" in text:
            return [], f"{base} installs packages from local directories"
    return [], None


def _requirements(text: str) -> tuple[list[str], str | None]:
    """A pip requirements file: the files it includes (`-r`, `-c`), or why it reads the project."""
    included = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        option, value = _option(line)
        if option in ("-r", "--requirement", "-c", "--constraint") and value:
            included.append(value)
        elif option in ("-e", "--editable", "-f", "--find-links"):
            if not value or "://" not in value or value.startswith("file:"):
                return included, f"it installs from a local path (`{line}`)"
        elif option is None and (line.startswith((".", "/", "file:")) or "@ file:" in line):
            return included, f"it installs from a local path (`{line}`)"
    return included, None


def _option(line: str) -> tuple[str | None, str | None]:
    """(option, its value) of a requirements line that starts with one (`-r base.txt`, `-rbase.txt`,
    `--requirement=base.txt`), else (None, None)."""
    if not line.startswith("-"):
        return None, None
    head, _, rest = line.partition(" ")
    if head.startswith("--"):
        name, equals, value = head.partition("=")
        return name, (value if equals else rest.strip()) or None
    if len(head) > 2:  # `-rbase.txt`
        return head[:2], head[2:]
    return head, rest.strip() or None


def _package_json(text: str) -> str | None:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return "package.json does not parse"
    if not isinstance(data, dict):
        return "package.json does not parse"
    if data.get("workspaces"):
        return "package.json declares workspaces"
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        found = [s for s in _LIFECYCLE if s in scripts]
        if found:
            return f"package.json runs a `{found[0]}` script on install"
    for key in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = data.get(key)
        if isinstance(deps, dict) and any(isinstance(v, str) and v.startswith(("file:", "link:", "workspace:",
                                                                                 "portal:", ".", "/"))
                                          for v in deps.values()):
            return "package.json depends on local packages"
    return None
