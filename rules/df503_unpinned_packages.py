"""DF503, DF507-DF514, DF519: packages installed without a version, one rule per package manager.

(One module for the nine, a little over the usual length: they share how each manager's package
arguments are read and what counts as a pin, and their pages read best side by side.)

One rule per manager, because each answers to its own hadolint code (DL3008 apt, DL3018 apk, DL3013
pip, DL3016 npm, DL3028 gem, DL3062 go, DL3033 yum, DL3041 dnf, DL3037 zypper, DL3068 pecl): a
`# hadolint ignore=DL3008` silences the apt rule and nothing else, and a team can turn on the
managers it pins and leave the others off.

The distribution package rules are off by default: Debian, Ubuntu, Alpine, Fedora and openSUSE
archives drop a version as soon as its successor (often a security fix) is published, so an exact
pin breaks the build weeks later unless the image also uses a snapshot mirror. That is a policy a
team opts into. Language registries (PyPI, npm, RubyGems, the Go module proxy, PECL) keep every version,
so there a pin is simply reproducible: those rules are on.

A word that is all variable (`$PACKAGES`) is not judged. A variable stands for a digit when
deciding whether a version is given: `curl=${CURL_VERSION}` and `nginx-$NGINX_VERSION` are pinned;
but not by a variable the file declares only where the RUN cannot see it (in another stage, or as a
global ARG not declared again after FROM): the shell expands that to nothing.
"""

from collections.abc import Iterator

from dfcheck.model import GO_VALUES, NPM_VALUES, YARN_VALUES, Model, action, gem_values, lookup
from dfcheck.rule import Finding, Options, rule

from ._shell import commands, listing, only_expansions

ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".tar")
MOVING = ("latest", "master", "main", "head", "upgrade", "patch")


NPM_OPTIONS = NPM_VALUES + YARN_VALUES


def shape(word, hidden=frozenset()):
    """The word with each expansion standing as `0`: `nginx-${V}` -> `nginx-0`; but a variable in `hidden`
    (declared by the file where this command cannot see it) as empty, as the shell will expand it."""
    if word.value is not None:
        return word.value
    return "".join(p if isinstance(p, str) else "" if _empty(p, hidden) else "0" for p in word.parts)


def _empty(expansion, hidden):
    return expansion.kind == "variable" and expansion.name in hidden and expansion.op not in ("-", ":-", "=", ":=")


def _shown(word):
    return word.value if word.value is not None else word.text


def _local(text):
    return text.startswith((".", "/", "~")) or "://" in text


def _specified(text, symbols):
    """Whether one of `symbols` in `text` is followed by something (`curl=7.88`, not `curl=` where the
    version variable is empty)."""
    return any(text.partition(symbol)[2] for symbol in symbols)


# -- per manager: (the command's verb, the words that name packages) -> the unpinned ones ---------------

def _install(inner, manager, verb):
    """The package words of a `verb` command of `manager` (an Action), or None."""
    act = action(inner)
    if act is None or act.manager != manager or act.verb != verb:
        return None
    return act


def _apt(inner, hidden):
    act = _install(inner, "apt", "install")
    if act is None or inner.basename == "aptitude":
        return None
    # `pkg=1.2-1`, `pkg/bookworm-backports` (a release, as hadolint accepts), a local .deb
    return f"{inner.basename} install", [w for w in act.targets if not _apt_pinned(shape(w, hidden))]


def _apt_pinned(text):
    return _specified(text, "=/") or text.endswith(".deb")


def _apk(inner, hidden):
    act = _install(inner, "apk", "add")
    if act is None:
        return None
    return "apk add", [w for w in act.targets if not _apk_pinned(shape(w, hidden))]


def _apk_pinned(text):
    return _specified(text, "=<>~") or text.endswith(".apk") or _local(text)


def _pip_command(inner):
    """(how to name it, the command as pip sees it) for pip, pip3, pip3.12 and `python -m pip`, else None."""
    found = lookup(inner)
    if found is None or found[0].name != "pip":
        return None
    pip = found[1]
    if pip is inner:
        return inner.basename, pip
    return f"{inner.basename} -m {pip.name}", pip


_PIP_SYMBOLS = ("==", ">=", "<=", "~=", "!=", ">", "<")
_VCS = ("git+", "hg+", "svn+", "bzr+", "git://")


def _pip_pinned(text):
    if text.startswith(_VCS):
        return "@" in text.rsplit("/", 1)[-1]  # git+https://host/repo.git@v1.2
    if _specified(text, _PIP_SYMBOLS) or _local(text) or text.lower().endswith(ARCHIVES):
        return True
    if "/" in text:
        return True  # a directory (`foo/bar`): no name on PyPI has a slash
    return "@" in text  # `name @ https://...`, a direct reference


def _pip(inner, hidden):
    found = _pip_command(inner)
    if found is None:
        return None
    label, pip = found
    act = action(pip)
    if act is None or act.verb != "install":
        return None
    if pip.has_option("-c", "--constraint", takes_value=act.tool.values):
        return label + " install", []  # the constraints file may pin what is named
    return label + " install", [w for w in act.targets if not _pip_pinned(shape(w, hidden))]


def _npm_pinned(text):
    if text.startswith(("git://", "git+ssh://", "git+http://", "git+https://", "github:", "gitlab:", "bitbucket:")):
        return "#" in text
    if _local(text) or text.startswith("file:") or text.endswith((".tgz", ".tar.gz", ".tar")):
        return True
    scope, slash, rest = text.partition("/") if text.startswith("@") else ("", "", text)
    if "/" in rest:
        return "#" in rest  # user/repo on GitHub
    if "@" not in rest:
        return False
    return rest.rsplit("@", 1)[1].lower() not in MOVING + ("", "next")


def _npm_name(text):
    """`eslint@latest` -> `eslint`, `@scope/x@next` -> `@scope/x`."""
    head, at, tail = text[1:].partition("@")
    return text[0] + head if at else text


def _npm(inner, hidden):
    name = inner.basename
    values = NPM_OPTIONS
    operands = inner.operands(takes_value=values)
    words = [w.value for w in operands[:2]]
    if name == "npm" and words[:1] and words[0] in ("install", "i", "add", "isntall"):
        packages = operands[1:]
    elif name == "yarn" and words == ["global", "add"]:
        packages = operands[2:]
    elif name in ("pnpm", "bun") and words[:1] in (["add"], ["install"], ["i"]) and \
            inner.has_option("-g", "--global", takes_value=values):
        packages = operands[1:]
    else:
        return None
    label = " ".join([name] + words[:2 if name == "yarn" else 1])
    return label, [w for w in packages if not _npm_pinned(shape(w, hidden))]


def _gem(inner, hidden):
    act = _install(inner, "gem", "install") or _install(inner, "gem", "i")
    if act is None or inner.has_option("-v", "--version", takes_value=gem_values(inner)):
        return None
    return "gem " + act.verb, [w for w in act.targets if not _gem_pinned(shape(w, hidden))]


def _gem_pinned(text):
    return _specified(text, ":") or text.endswith(".gem") or _local(text)


def _go(inner, hidden):
    if inner.basename != "go":
        return None
    operands = inner.operands(takes_value=GO_VALUES)
    if not operands or operands[0].value not in ("install", "get", "run"):
        return None
    verb = operands[0].value
    found = []
    for word in operands[1:] if verb != "run" else operands[1:2]:
        text = shape(word, hidden)
        if _local(text) or "." not in text.split("/", 1)[0]:
            continue  # ./cmd/x, std, all
        path, at, version = text.partition("@")
        if at:
            if version.lower() in MOVING + ("",):
                found.append(word)
        elif verb == "get":
            found.append(word)  # adds or fetches the latest version
    return "go " + verb, found


def _rpm_pinned(text):
    if text.endswith(".rpm") or _local(text):
        return True
    name, dash, version = text.rpartition("-")
    return bool(dash and name and version[:1].isdigit())


def _rpm_packages(inner, names, hidden):
    act = action(inner)
    if act is None or act.manager not in names or act.role != "install" or act.verb not in ("install", "module"):
        return None
    label = f"{inner.basename} install"
    packages, module = act.targets, act.verb == "module"
    if module:
        label = f"{inner.basename} module install"
    found = []
    for word in packages:
        text = shape(word, hidden)
        if text.startswith("@") or "(" in text or "*" in text:
            continue  # groups, provides, globs
        if module and ":" in text or not module and _rpm_pinned(text):
            continue
        found.append(word)
    return label, found


def _yum(inner, hidden):
    return _rpm_packages(inner, ("yum",), hidden)


def _dnf(inner, hidden):
    return _rpm_packages(inner, ("dnf", "microdnf", "tdnf"), hidden)


def _zypper(inner, hidden):
    act = action(inner)
    if act is None or act.manager != "zypper" or act.verb not in ("install", "in"):
        return None
    return "zypper " + act.verb, [w for w in act.targets if not _zypper_pinned(shape(w, hidden))]


def _zypper_pinned(text):
    return _specified(text, "=<>:") or text.endswith(".rpm") or _local(text)


def _pecl(inner, hidden):
    act = _install(inner, "pecl", "install")
    if act is None:
        return None
    return "pecl install", [w for w in act.targets if not _pecl_pinned(shape(w, hidden))]


def _pecl_pinned(text):
    """`redis-6.1.0`, `redis-6`, with a channel or not (`pecl.php.net/redis-6.1.0`, `channel://host/redis-6.1.0`);
    a package file, package.xml or URL is chosen. `redis-stable`, `xdebug-beta` name a stability, not a version."""
    if text.startswith("channel://"):
        text = text[len("channel://"):]
    elif _local(text) or text.lower().endswith((".tgz", ".tar", ".tar.gz", ".xml")):
        return True
    name, dash, version = text.rsplit("/", 1)[-1].rpartition("-")
    return bool(dash and name and version[:1].isdigit())


def _pecl_advice(name: str, label: str) -> str:
    """`redis-<version>` for `pecl.php.net/redis` and `redis-stable`."""
    name = name.rsplit("/", 1)[-1]
    base, dash, stability = name.rpartition("-")
    return f"`{base if dash and stability in _STABILITIES else name}-<version>`"


_STABILITIES = ("stable", "beta", "alpha", "devel", "snapshot")


def _rpm_advice(name: str, label: str) -> str:
    """A module is pinned to a stream, a package to a version."""
    return f"`{name}:<stream>`" if label.endswith("module install") else f"`{name}-<version>`"


def _hidden(model, node, declared):
    """The variables the file declares (ARG, ENV) that a RUN cannot see: set in another stage only, or a global
    ARG not declared again after FROM. The shell expands them to nothing, so they pin nothing. Names the RUN
    assigns itself (`V=1.2 && ...`, `export V=1.2`) are seen."""
    scope = model.scope(node)
    hidden = {name for name in declared if not scope.declared(name)}
    if not hidden:
        return frozenset()
    for code in model.shell_code(node):
        for command in code.script.commands:
            hidden.difference_update(name for name, _ in command.assignments)
            if command.basename in ("export", "declare", "local", "readonly"):
                hidden.difference_update((w.value or "").split("=", 1)[0] for w in command.args)
    return frozenset(hidden)


class _Hidden:
    """`_hidden` of a RUN, computed on the first question: most RUNs have no variable to ask about, and the
    set costs a look-up per name the file declares."""

    __slots__ = ("_question", "_names")

    def __init__(self, model, node, declared):
        self._question = (model, node, declared)
        self._names = None

    def __contains__(self, name) -> bool:
        if self._names is None:
            self._names = _hidden(*self._question)
        return name in self._names


def _check(model, unpinned, advice):
    declared = {p.key for n in model.instructions if n.keyword in ("ARG", "ENV") for p in n.pairs}
    for stage in model.stages:
        for node in stage.instructions:
            if node.keyword != "RUN":
                continue
            hidden = _Hidden(model, node, declared)
            for code, command, inner in commands(model, node):
                result = unpinned(inner, hidden)
                if result is None:
                    continue
                label, found = result
                found = [w for w in found if not only_expansions(w)]
                if not found:
                    continue
                names = [_shown(w) for w in found]
                verb = 'runs' if label == 'go run' else 'installs'
                empty = sorted({e.name for w in found for e in w.expansions if _empty(e, hidden)})
                if empty:
                    one = len(empty) == 1
                    yield Finding(
                        code.span(command.start, command.end),
                        f"`{label}` {verb} {listing(names)} without a fixed version: "
                        f"{listing(['$' + n for n in empty])} {'is' if one else 'are'} empty here, declared in another "
                        f"stage or before FROM but not in this one; declare {'it' if one else 'them'} again after this "
                        f"stage's FROM (`ARG {empty[0]}`)",
                    )
                    continue
                yield Finding(
                    code.span(command.start, command.end),
                    f"`{label}` {verb} {listing(names)} without a fixed version, so each build gets whatever is "
                    f"newest that day; pin {'it' if len(names) == 1 else 'them'} ({advice(names[0], label)})",
                )


@rule("DF503", "unpinned-apt-packages", "info", hadolint=("DL3008",), enabled=False, scope="stage")
def unpinned_apt_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`apt-get install` names packages without a version.

    ## What it does
    Reports `apt-get install` and `apt install` commands with packages that are not pinned as
    `name=version`. A target release (`name/bookworm-backports`) and a local `.deb` file count as
    chosen, as they do for hadolint.

    Off by default: the archive removes a version once its successor (often a security fix) is
    published, so an exact pin breaks rebuilds unless the image installs from a snapshot mirror.
    Select the rule when your builds pin.

    ## Why is this bad?
    The same Dockerfile installs whatever the archive holds on the day of the build: a rebuild
    picks up changes nobody reviewed.

    ## Example
    ```dockerfile
    FROM debian:12
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _apt, lambda name, label: f"`{name}=<version>`")


@rule("DF507", "unpinned-apk-packages", "info", hadolint=("DL3018",), enabled=False, scope="stage")
def unpinned_apk_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`apk add` names packages without a version.

    ## What it does
    Reports `apk add` commands with packages that carry no version constraint (`name=1.2.3-r0`,
    `name~1.2`, `name>1.2`). A local `.apk` file counts as chosen; the `--virtual` name is not a
    package.

    Off by default: the archive removes a version once its successor (often a security fix) is
    published, so an exact pin breaks rebuilds unless the image installs from a snapshot mirror.
    Select the rule when your builds pin.

    ## Why is this bad?
    Each build installs what the Alpine repository holds that day.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl~8.12
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _apk, lambda name, label: f"`{name}=<version>` or `{name}~<major.minor>`")


@rule("DF508", "unpinned-pip-packages", "warning", hadolint=("DL3013",), scope="stage")
def unpinned_pip_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`pip install` names packages without a version.

    ## What it does
    Reports `pip install` (also `pip3`, `pip3.12`, `pip2`, `python -m pip`) naming a package with
    no version specifier. Any specifier counts (`==`, `~=`, `>=`, `<`, ...), as do direct references
    (`name @ https://...`), VCS URLs with a ref (`git+https://host/repo.git@v1.2`), URLs, archives,
    wheels and local paths (`./pkg`, and `foo/bar`: no name on PyPI has a slash). The values of
    pip's options are not packages (`--root-user-action ignore`). A requirements file (`-r`) holds its own versions, but packages named
    next to it are still checked; with a constraints file (`-c`) nothing is reported, since it
    may pin the named packages.

    ## Why is this bad?
    PyPI serves the newest release: a rebuild picks up a new major version of a dependency, or
    a release that breaks its own dependencies. Unlike distribution archives, PyPI keeps old
    releases, so a pin keeps working.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask gunicorn
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    ```
    or `pip install --no-cache-dir flask==3.1.0 gunicorn==23.0.0`.

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _pip, lambda name, label: f"`{name}==<version>`, or a requirements file")


@rule("DF509", "unpinned-npm-packages", "warning", hadolint=("DL3016",), scope="stage")
def unpinned_npm_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`npm install <package>` (or a global yarn or pnpm add) without a version.

    ## What it does
    Reports `npm install`/`npm i`/`npm add` naming packages without a version, and global installs
    with `yarn global add`, `pnpm add -g` and `bun add -g`. `name@1.2.3`, `name@^1.2` and
    `@scope/name@1` are pinned; `name@latest` and `name@next` are not. Git URLs with a `#commit`,
    tarballs and local folders count as chosen. `npm install`/`npm ci` without package names
    install from package.json and the lock file and are fine.

    ## Why is this bad?
    The registry serves the newest release: a rebuild picks up a new major version of a global
    tool or of a dependency.

    ## Example
    ```dockerfile
    FROM node:20-slim
    RUN npm install -g typescript
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    RUN npm install -g typescript@5.7.3
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _npm, lambda name, label: f"`{_npm_name(name)}@<version>`")


@rule("DF510", "unpinned-gems", "warning", hadolint=("DL3028",), scope="stage")
def unpinned_gems(model: Model, options: Options) -> Iterator[Finding]:
    """`gem install` names gems without a version.

    ## What it does
    Reports `gem install` naming gems without `-v`/`--version` or the `name:version` form. Local
    `.gem` files count as chosen; the build options after `--` are not gems, nor the word after an
    option gem does not know (`--use-system-libraries true`), which may be its value.

    ## Why is this bad?
    RubyGems serves the newest release: a rebuild picks up a new major version.

    ## Example
    ```dockerfile
    FROM ruby:3.3
    RUN gem install bundler
    ```

    ## Use instead
    ```dockerfile
    FROM ruby:3.3
    RUN gem install bundler:2.6.2
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _gem, lambda name, label: f"`{name}:<version>` or `-v <version>`")


@rule("DF511", "unpinned-go-packages", "warning", hadolint=("DL3062",), scope="stage")
def unpinned_go_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`go install pkg@latest` or `go get pkg`: a Go tool or module at whatever version is newest.

    ## What it does
    Reports `go install` and `go run` of a remote package at a moving version (`@latest`,
    `@master`, `@main`, `@HEAD`, `@upgrade`, `@patch`), and `go get` of a remote package without a
    fixed version. `go install` (and `go run`) of a remote package without `@` is not reported:
    inside a module its version comes from go.mod, and outside one go refuses to run. A package is
    remote when the first element of its path has a dot (a host: `golang.org/x/tools/gopls`); a
    one-word path is the standard library, a pattern of go's (`all`, `tool`) or a package of the
    module itself, and `go get foobar@latest` of such a path is rejected by go as malformed. Local
    packages (`./cmd/app`) are never reported.

    hadolint's DL3062 reports `go install example.com/pkg` and `go run example.com/pkg` without a
    version, and one-word paths such as `go install tool foobar` or `go get -tool foobar`: those are
    deliberate differences.

    ## Why is this bad?
    `@latest` is whatever was tagged last: a rebuild installs a different tool than the one
    tested. The Go module proxy keeps every version, so a pin keeps working.

    ## Example
    ```dockerfile
    FROM golang:1.22
    RUN go install golang.org/x/tools/gopls@latest
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22
    RUN go install golang.org/x/tools/gopls@v0.17.1
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _go, lambda name, label: f"`{name.partition('@')[0]}@<version>`")


@rule("DF512", "unpinned-yum-packages", "info", hadolint=("DL3033",), enabled=False, scope="stage")
def unpinned_yum_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`yum install` names packages without a version.

    ## What it does
    Reports `yum install` (and `yum module install`) naming packages without a version: a
    package is pinned when the part after its last `-` starts with a digit (`nginx-1.20.1`,
    `nginx-1:1.20.1-14.el9`), a module when it names a stream (`nodejs:18`). Groups (`@core`),
    provides (`'perl(JSON)'`), globs, local `.rpm` files and URLs are not judged.

    Off by default: the archive removes a version once its successor (often a security fix) is
    published, so an exact pin breaks rebuilds unless the image installs from a snapshot mirror.
    Select the rule when your builds pin.

    ## Why is this bad?
    Each build installs what the repositories hold that day.

    ## Example
    ```dockerfile
    FROM centos:7
    RUN yum install -y nginx
    ```

    ## Use instead
    ```dockerfile
    FROM centos:7
    RUN yum install -y nginx-1.20.1
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _yum, _rpm_advice)


@rule("DF513", "unpinned-dnf-packages", "info", hadolint=("DL3041",), enabled=False, scope="stage")
def unpinned_dnf_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`dnf install` (or microdnf, tdnf) names packages without a version.

    ## What it does
    Reports `dnf install`, `microdnf install` and `tdnf install` (and `dnf module install`)
    naming packages without a version, judged as for yum (DF512): `name-<version>` for a package,
    `name:stream` for a module.

    Off by default: the archive removes a version once its successor (often a security fix) is
    published, so an exact pin breaks rebuilds unless the image installs from a snapshot mirror.
    Select the rule when your builds pin.

    ## Why is this bad?
    Each build installs what the repositories hold that day.

    ## Example
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx
    ```

    ## Use instead
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx-1.24.0
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _dnf, _rpm_advice)


@rule("DF514", "unpinned-zypper-packages", "info", hadolint=("DL3037",), enabled=False, scope="stage")
def unpinned_zypper_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`zypper install` names packages without a version.

    ## What it does
    Reports `zypper install`/`zypper in` naming packages without a version constraint
    (`name=1.2`, `name>=1.2`, `name<2`). Local `.rpm` files, URLs and typed names
    (`pattern:devel_basis`) are not judged.

    Off by default: the archive removes a version once its successor (often a security fix) is
    published, so an exact pin breaks rebuilds unless the image installs from a snapshot mirror.
    Select the rule when your builds pin.

    ## Why is this bad?
    Each build installs what the repositories hold that day.

    ## Example
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install -y nginx
    ```

    ## Use instead
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install -y nginx=1.27.3
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _zypper, lambda name, label: f"`{name}=<version>`")


@rule("DF519", "unpinned-pecl-packages", "warning", hadolint=("DL3068",), scope="stage")
def unpinned_pecl_packages(model: Model, options: Options) -> Iterator[Finding]:
    """`pecl install` names PHP extensions without a version.

    ## What it does
    Reports `pecl install` naming a package without a version: `redis-6.1.0` (or `redis-6`) is
    pinned, with or without its channel (`pecl.php.net/redis-6.1.0`,
    `channel://pecl.php.net/redis-6.1.0`); `redis`, and `redis-stable` or `xdebug-beta` (a
    stability, which moves), are not. Package files (`.tgz`), `package.xml` and URLs count as
    chosen.

    On by default, like the other language registries: PECL keeps every released version, so a
    pin keeps working.

    ## Why is this bad?
    PECL serves the newest release: a rebuild compiles a new major version of the extension,
    which may need a newer PHP or change its behaviour.

    ## Example
    ```dockerfile
    FROM php:8.3-fpm
    RUN pecl install redis && docker-php-ext-enable redis
    ```

    ## Use instead
    ```dockerfile
    FROM php:8.3-fpm
    RUN pecl install redis-6.1.0 && docker-php-ext-enable redis
    ```

    ## Fix safety
    No automatic fix: dfcheck does not know which version to pin.
    """
    yield from _check(model, _pecl, _pecl_advice)
