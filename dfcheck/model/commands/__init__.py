"""The catalog of command knowledge: what the programs a RUN calls read, write, cache and download.

One entry per tool (a `Tool`, see `base`): its names and aliases, the options that take a value, its
verbs and the role of each, the manifests it reads, the caches and indexes it leaves and how to avoid
them, what it downloads and unpacks. Everything in dfcheck that needs to know what a command does
reads it here: the filesystem effects of a layer (`model.filesystem`, through each tool's `read`), the
dependency installs the build-cache rules look for, and the shell and package rules (through
`action`). Adding a package manager is adding one entry to one of the modules below:

- `system`: apt, apk, the rpm family, zypper;
- `languages`: pip and the Python tools, the Node managers, Ruby, PHP, Go, Rust, Maven, Gradle, .NET, mix;
- `files`: curl, wget, git, archives, and the coreutils that create, delete and rewrite files;
- `interpreters`: shells and interpreters;
- `installers`: the installer scripts piped into a shell (poetry's, rustup, nvm, uv, sdkman, conda...).
- `downloads`: what a curl or wget download saves, and the commands that check a file's checksum or signature.
- `manifests`: which dependency installs run on their manifest files alone (for DF101's fix).
- `buildtime`: the commands that do nothing lasting, or fail, in a build (a daemon started, an editor, `mount`).

Readers see a command with its wrappers stripped (`sudo`, `env VAR=x`, `nice`, ... see
`Command.effective`) and its program normalized (`python3 -m pip` is pip, `pip3.12` is pip).
"""

from __future__ import annotations

import posixpath

from ...records import replace
from ..shell.data import remembered
from . import files, installers, languages, system
from .base import Action, Cache, Dependencies, Tool
from .interpreters import INTERPRETER_VALUES

__all__ = ["Action", "Cache", "Dependencies", "Tool", "TOOLS", "CACHES", "lookup", "action", "registry_install",
           "reads_env"]

TOOLS: dict[str, Tool] = {}  # program name -> its entry
for _module in (files, system, languages, installers):
    for _tool in _module.TOOLS:
        for _name in _tool.names:
            TOOLS[_name] = _tool
CACHES: dict[str, Cache] = {cache.key: cache for tool in set(TOOLS.values()) for cache in tool.caches}

_PYTHON_MODULES = {"pip": "pip", "pip3": "pip", "venv": "virtualenv", "virtualenv": "virtualenv"}


def lookup(command) -> tuple[Tool, object] | None:
    """The entry for a command (wrappers already stripped) and the command as that tool sees it, its
    argv[0] the program: `python3 -m pip install x` comes back as pip's `pip install x`."""
    return remembered("lookup", command, _lookup)


def _lookup(command) -> tuple[Tool, object] | None:
    name = command.basename
    if name is None:
        return None
    if name in languages.PYTHON_NAMES:
        args = list(command.args)
        i = 0
        while i < len(args) and args[i].value and args[i].value.startswith("-") and not args[i].value.startswith("-m"):
            i += 2 if args[i].value in INTERPRETER_VALUES["python"] else 1
        if i + 1 < len(args) and args[i].value == "-m" and args[i + 1].value in _PYTHON_MODULES:
            return TOOLS[_PYTHON_MODULES[args[i + 1].value]], replace(command, argv=args[i + 1:])
        if i < len(args) and args[i].value and args[i].value[2:] in _PYTHON_MODULES and args[i].value[:2] == "-m":
            # The module name attached to -m (`python -mpip install`): the option word stands for the program.
            return TOOLS[_PYTHON_MODULES[args[i].value[2:]]], replace(command, argv=args[i:])
        if i < len(args) and posixpath.basename(args[i].value or "") == "setup.py":
            return TOOLS["setup.py"], command  # argv[1] is the script
        return installers.INSTALLER, command  # `python3 get-poetry.py`, `curl ... | python3 -`
    if name == "php":  # `php composer.phar install`, `php /usr/local/bin/composer install`
        args = list(command.args)
        i = 0
        while i < len(args) and args[i].value and args[i].value.startswith("-"):
            i += 2 if args[i].value in INTERPRETER_VALUES["php"] else 1
        if i < len(args) and args[i].value and posixpath.basename(args[i].value) in ("composer", "composer.phar"):
            return TOOLS["composer"], replace(command, argv=args[i:])
        return None
    tool = TOOLS.get(name)
    return (tool, command) if tool is not None else None


def action(command) -> Action | None:
    """What a package-manager command does (its verb and the role of that verb), or None."""
    return remembered("action", command, _action)


def _action(command) -> Action | None:
    found = lookup(command)
    if found is None or found[0].action is None:
        return None
    tool, command = found
    return tool.action(tool, command)


def registry_install(command) -> Action | None:
    """The action of a command that installs named packages from a registry and reads nothing of the project:
    a distribution package manager's install or upgrade, `pip install flask`, `gem install bundler`,
    `npm install -g typescript`, `go install tool@v1`. None for anything else (manifests, local paths or
    files, a package list a variable holds)."""
    found = action(command)
    if found is None or found.role not in ("install", "upgrade"):
        return None
    tool = found.tool
    if tool.kind == "system-packages":
        pass
    elif tool.name == "npm" and not found.command.has_option("-g", "--global", takes_value=tool.values):
        return None  # in a project, npm installs what package.json lists too
    elif tool.name == "pip" and found.command.has_option("-r", "--requirement", "-e", "--editable", "-c",
                                                         "--constraint", takes_value=tool.values):
        return None
    elif tool.name not in ("pip", "npm", "gem", "go"):
        return None
    for word in found.targets:
        value = word.value
        if value is None or value.startswith((".", "/", "~")) or value.endswith((".deb", ".rpm", ".apk", ".whl",
                                                                                  ".tar.gz", ".tgz", ".gem")):
            return None
        if tool.name == "go" and "@" not in value:
            return None  # in a module, the version comes from go.mod
    return found if found.targets or tool.kind == "system-packages" else None


def reads_env(command, name: str) -> bool:
    """Whether a command (wrappers stripped) runs a build that reads the environment variable `name` without naming
    it: `npm run build` reads VITE_SHA (see `languages.BUILD_ENV`), `cargo build` VERGEN_GIT_SHA."""
    if command.basename in languages.NODE_BUILDERS:
        language = "node"
    else:
        found = lookup(command)
        if found is None or found[0].ecosystem is None:
            return False
        tool, command = found
        language = languages.LANGUAGE.get(tool.ecosystem, tool.ecosystem)
        verbs = [w.value for w in command.operands(takes_value=tool.values)]
        if not verbs and tool.name == "yarn" or verbs[:1] and verbs[0] in languages.INSTALL_VERBS:
            return False  # an install (`yarn` alone is one)
    return name.startswith(languages.BUILD_ENV.get(language, ()))
