"""Installer scripts in the catalog: what `curl -sSL https://install.python-poetry.org | python3 -`,
`curl https://sh.rustup.rs | sh -s -- -y`, nvm's, uv's, sdkman's installers and the conda installers
create, and where; and the repository setup scripts that run `apt-get update` (NodeSource's, Docker's,
packagecloud's, PGDG's), which leave the apt lists.

An installer is known by the URL piped into the shell or interpreter that runs it, or by the name of the
script it runs (`sh rustup-init.sh -y`, `bash Miniconda3-latest-Linux-x86_64.sh -b -p /opt/conda`). Each
creates trees of its own, at a place a variable may move (`POETRY_HOME`, `CARGO_HOME`, `NVM_DIR`, ...).
What is deleted inside them later rests on that knowledge, and the finding says so.
"""

from __future__ import annotations

from ..paths import url_basename
from .base import Tool, cache_off, home_path, leave
from .interpreters import SHELLS
from .system import APT_LISTS

_POETRY = (("POETRY_HOME", "~/.local/share/pypoetry", True), (None, "~/.local/bin/poetry", False))
_RUSTUP = (("CARGO_HOME", "~/.cargo", True), ("RUSTUP_HOME", "~/.rustup", True))
# (what names the installer: a piece of its URL or of its script's name, how messages call it,
#  (variable that moves it, default place, a tree or a file) of each thing it creates)
INSTALLERS = (
    ("install.python-poetry.org", "poetry", _POETRY),
    ("install-poetry.py", "poetry", _POETRY),
    ("get-poetry.py", "poetry", (("POETRY_HOME", "~/.poetry", True),)),
    ("sh.rustup.rs", "rustup", _RUSTUP),
    ("rustup-init", "rustup", _RUSTUP),
    ("nvm-sh/nvm", "nvm", (("NVM_DIR", "~/.nvm", True),)),
    ("creationix/nvm", "nvm", (("NVM_DIR", "~/.nvm", True),)),
    ("astral.sh/uv", "uv", ((None, "~/.local/bin/uv", False), (None, "~/.local/bin/uvx", False))),
    ("get.sdkman.io", "sdkman", (("SDKMAN_DIR", "~/.sdkman", True),)),
    ("bun.sh/install", "bun", (("BUN_INSTALL", "~/.bun", True),)),
    ("deno.land/install", "deno", (("DENO_INSTALL", "~/.deno", True),)),
    ("pyenv.run", "pyenv", (("PYENV_ROOT", "~/.pyenv", True),)),
    ("get.volta.sh", "volta", (("VOLTA_HOME", "~/.volta", True),)),
    ("get.pnpm.io", "pnpm", (("PNPM_HOME", "~/.local/share/pnpm", True),)),
)
# The conda installers (Miniconda, Anaconda, Miniforge, Mambaforge): `-p PREFIX`, else a directory in the home.
CONDA_INSTALLERS = {"miniconda": "~/miniconda3", "anaconda": "~/anaconda3", "miniforge": "~/miniforge3",
                    "mambaforge": "~/mambaforge"}
DOWNLOADERS = ("curl", "wget")
# Scripts that add a package repository and refresh the package indexes with `apt-get update` (so leave
# /var/lib/apt/lists behind): (a piece of their URL or script name, how messages call them).
APT_SETUP_SCRIPTS = (
    ("deb.nodesource.com/setup", "NodeSource setup script"),
    ("nodesource_setup", "NodeSource setup script"),
    ("get.docker.com", "Docker install script"),
    ("test.docker.com", "Docker install script"),
    ("get-docker.sh", "Docker install script"),
    ("script.deb.sh", "packagecloud setup script"),
    ("apt.postgresql.org.sh", "PostgreSQL (PGDG) setup script"),
)


def _piped_url(call) -> str | None:
    """The URL of what a downloader pipes into this command (`curl -fsSL URL | sh`)."""
    for command in call.feeding():
        if command.basename in DOWNLOADERS:
            for word in command.args:
                value = call.value(word)
                if value and "://" in value:
                    return value
    return None


def _script(call) -> str | None:
    """The script the shell or interpreter runs (its first operand), None when it reads standard input."""
    for word in call.command.args:
        value = call.value(word)
        if value is None:
            return None
        if value == "-" or value.startswith("-"):
            if value in ("-c", "-m"):
                return None  # code on the command line: the walker reads a `sh -c` string itself
            continue
        return value
    return None


def _installer(call) -> None:
    named = (_script(call) or _piped_url(call) or "").lower()
    if not named:
        return
    if "get-pip.py" in named:
        # get-pip runs pip: into the interpreter's own site-packages, with pip's cache unless told otherwise.
        from .languages import PIP_CACHE

        if not call.command.has_option("--no-cache-dir") and not cache_off(call, PIP_CACHE):
            leave(call, PIP_CACHE)
        return
    for key, name in APT_SETUP_SCRIPTS:
        if key in named:
            added = call.add(APT_LISTS.path, APT_LISTS.what, tree=True, cache=APT_LISTS.key)
            if added is not None:
                added.assumed = f"the {name} runs apt-get update"
            return
    for key, name, trees in INSTALLERS:
        if key in named:
            for variable, default, tree in trees:
                value = call.env.get(variable) if variable else None
                path = call.path(value) if value else home_path(call, default)
                added = call.add(path, f"{name} install", tree=tree)
                if added is not None:
                    added.assumed = f"the {name} installer puts it in {path}"
            return
    base = url_basename(named) if "://" in named else named.rsplit("/", 1)[-1]
    prefix = call.command.option_value("-p", takes_value=("-p",))
    key = next((k for k in CONDA_INSTALLERS if k in base), None)
    if key is not None or (prefix and call.command.has_option("-b", takes_value=("-p",))):
        # A conda installer: named so, or run in batch mode into a prefix (`bash miniconda.sh -b -p /opt/conda`).
        path = call.path(prefix) if prefix else home_path(call, CONDA_INSTALLERS[key])
        added = call.add(path, "conda install", tree=True)
        if added is not None and not prefix:
            added.assumed = f"the {key} installer puts it in {path}"


# Shells run installers; python too, found by `lookup` (`python3 get-poetry.py`, `curl ... | python3 -`).
INSTALLER = Tool("installer", tuple(sorted(SHELLS - {"busybox"})), "installer", read=_installer)
TOOLS = (INSTALLER,)
