"""DF501 apt-without-assume-yes and DF502 apt-install-recommends: how apt-get is told what to do in a build.

Both read the apt commands of each RUN and what the Dockerfile has written to apt's configuration
before them (`/etc/apt/apt.conf.d/*`, `/etc/apt/apt.conf`), in the same RUN or an earlier one of the
stage's lineage.
"""

from collections.abc import Iterator

from dfcheck.model import APT_SIMULATE, APT_VALUES, Model, action
from dfcheck.rule import Edit, Finding, Fix, Options, rule

from ._shell import answered, commands, editable, listing, point_after

APT = ("apt-get", "apt")  # aptitude has its own options (DF502 would not apply)
# Roles of the verbs that change packages and ask "Do you want to continue?" when they do more than asked;
# for those that only add packages ("install"), answering yes keeps the build's meaning.
CONFIRMING = ("install", "upgrade", "remove")
_TRUE = ("1", "yes", "true", "with", "on", "enable")
_CONF = "/etc/apt/apt.conf"


class AptConfig:
    """What the Dockerfile wrote to apt's configuration so far."""

    __slots__ = ("texts", "unknown")

    def __init__(self, texts=(), unknown=False):
        self.texts = list(texts)  # the content of each write, lower-case
        self.unknown = unknown  # something was written whose content dfcheck cannot read

    def copy(self):
        return AptConfig(self.texts, self.unknown)

    def mentions(self, key):
        """Whether the configuration may set `key` (lower-case): a write names it, or one is unreadable."""
        return self.unknown or any(key in text for text in self.texts)


def _is_apt_conf(path):
    return path is not None and (path == _CONF or path.startswith(_CONF + ".d/"))


def _static_text(words):
    values = [w.value for w in words]
    return None if any(v is None for v in values) else " ".join(values)


def _record_writes(config, script, command, inner):
    """Update `config` with what `command` writes to apt's configuration files."""
    targets = [r for r in command.redirects if r.writes and _is_apt_conf(r.path)]
    name = inner.basename
    if name == "tee":
        operands = [w.value for w in inner.operands()]
        if any(_is_apt_conf(v) for v in operands):
            targets.append(None)
    elif name in ("cp", "mv", "ln", "install", "sed", "dd", "rsync") and any(
            w.value is not None and (_is_apt_conf(w.value) or w.value.rstrip("/") in ("/etc/apt", _CONF + ".d"))
            for w in inner.operands()):
        config.unknown = True
        return
    if not targets:
        return
    text = _content(script, command, inner)
    if text is None:
        config.unknown = True
    else:
        config.texts.append(text.lower())


def _content(script, command, inner):
    """The text a writing command produces, when it can be read: echo/printf words, a heredoc or here-string,
    or what echo/printf feeds to `tee` through a pipe."""
    for redirect in inner.redirects:
        if redirect.op in ("<<", "<<-") and redirect.body is not None:
            return redirect.body
        if redirect.op == "<<<" and redirect.target is not None:
            return redirect.target.value
    if inner.basename in ("echo", "printf"):
        return _static_text(inner.args)
    if inner.basename == "tee" and command.pipeline is not None and command.pipeline_index > 0:
        feeding = [c for c in script.commands if c.pipeline == command.pipeline and c.pipeline_index == 0]
        if feeding and feeding[0].effective().basename in ("echo", "printf"):
            return _static_text(feeding[0].effective().args)
    return None


def _options(command):
    """What apt-get's own options say: (assume yes, quiet level, simulate, {lower-case config key: value})."""
    yes, quiet, simulate, config = False, 0, False, {}
    args = command.args
    i = 0
    while i < len(args):
        value = args[i].value
        i += 1
        if value == "--":
            break
        if value is None or not value.startswith("-") or value == "-":
            continue
        if value.startswith("--"):
            name, eq, rest = value.partition("=")
            if name in ("--yes", "--assume-yes"):
                yes = rest.lower() in _TRUE if eq else True
            elif name == "--quiet":
                quiet = int(rest) if rest.isdigit() else quiet + 1
            elif name in APT_SIMULATE:
                simulate = True
            elif name in APT_VALUES and not eq:
                rest = args[i].value if i < len(args) else None
                i += 1
            if name == "--option" and rest:
                key, _, setting = rest.partition("=")
                config[key.strip().lower()] = setting.strip().lower()
            continue
        letters = value[1:]
        if letters.startswith("q="):
            quiet = int(letters[2:]) if letters[2:].isdigit() else quiet
            continue
        for k, letter in enumerate(letters):
            if "-" + letter in APT_VALUES:
                rest = letters[k + 1:]
                if not rest:
                    rest = args[i].value if i < len(args) else None
                    i += 1
                if letter == "o" and rest:
                    key, _, setting = rest.partition("=")
                    config[key.strip().lower()] = setting.strip().lower()
                break
            if letter == "y":
                yes = True
            elif letter == "q":
                quiet += 1
            elif letter == "s":
                simulate = True
    return yes, quiet, simulate, config


def _copies_apt_config(model, node):
    """Whether a COPY or ADD may put files into /etc/apt: a destination there, or a tree copied to / or /etc that
    holds etc/apt (with the build context: that it does; without: any directory but the whole project)."""
    for source in model.sources(node):
        dest = source.dest
        if dest is None or source.kind is None:
            return True
        if dest == "/etc/apt" or dest.startswith("/etc/apt/"):
            return True
        if dest not in ("/", "/etc") or source.kind in ("file", "heredoc", "url"):
            continue
        if source.kind == "stage":
            return True
        through = source.brings("/etc/apt")
        if through is None:
            continue
        if source.matches:
            if model.context.kind(through) is not None:
                return True
        elif source.kind != "context":
            return True  # `COPY rootfs/ /`
    return False


def apt_commands(model):
    """(stage, node, code, command, inner, action, apt configuration before it) for every apt-get/apt
    command of the file that changes packages, with the configuration each one sees."""
    states = {}
    for stage in model.stages:
        base = stage.base_stage
        config = states[id(base)].copy() if base is not None and id(base) in states else AptConfig()
        for node in stage.instructions:
            if node.keyword in ("COPY", "ADD") and _copies_apt_config(model, node):
                config.unknown = True
            elif node.keyword == "ENV" and any(p.key == "APT_CONFIG" for p in node.pairs):
                config.unknown = True
            elif node.keyword == "RUN":
                for code, command, inner in commands(model, node):
                    act = action(inner) if inner.basename in APT else None
                    if act is not None and act.role in CONFIRMING:
                        yield stage, node, code, command, inner, act, config
                    _record_writes(config, code.script, command, inner)
        states[id(stage)] = config


@rule("DF501", "apt-without-assume-yes", "warning", hadolint=("DL3014",), fixable="depends", scope="stage")
def apt_without_assume_yes(model: Model, options: Options) -> Iterator[Finding]:
    """`apt-get install` (or remove, upgrade, ...) without `-y` in a build, where nobody can answer its prompt.

    ## What it does
    Reports `apt-get` and `apt` commands that install, remove or upgrade packages (`install`,
    `reinstall`, `remove`, `purge`, `autoremove`, `upgrade`, `dist-upgrade`, `full-upgrade`,
    `build-dep`, `satisfy`) and would stop to ask "Do you want to continue? [Y/n]". These make
    apt answer by itself, and are fine:

    - `-y`, `--yes`, `--assume-yes` (also inside `-qy`), or `-o APT::Get::Assume-Yes=true`;
    - quiet level 2 (`-qq`, `-q -q`, `-q=2`, `-o quiet=2`), which implies `-y`;
    - simulation (`-s`, `--dry-run`, `--print-uris`, ...), which asks nothing;
    - an answer on standard input: `yes | apt-get install ...`, a here-document or `< file`;
    - an `Assume-Yes` setting that an earlier command of the stage (or of the stage it is built
      `FROM`) wrote to `/etc/apt/apt.conf.d/` or `/etc/apt/apt.conf`. A configuration file copied
      in, or one written with content dfcheck cannot read, is given the benefit of the doubt.

    `DEBIAN_FRONTEND=noninteractive` does not count: it tells debconf not to ask its own questions
    (time zone, keyboard), but apt's confirmation prompt ignores it.

    ## Why is this bad?
    A build has no terminal: apt reads the answer from an empty standard input and stops with
    "Abort." whenever the command would do more than what was asked (install a dependency, remove
    a package). The same line can work today and break the day a dependency is added in the
    archive.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Fix safety
    The fix adds `-y` after the verb. It is safe for verbs that only add packages (`install`,
    `reinstall`, `build-dep`, `satisfy`): the build does what the line asks instead of aborting.
    It is unsafe for `remove`, `purge`, `autoremove` and the upgrades, where the prompt guarded
    against removing more than the named packages. No fix is offered for exec-form RUN.
    """
    for stage, node, code, command, inner, act, config in apt_commands(model):
        word = act.word
        yes, quiet, simulate, settings = _options(inner)
        if yes or quiet >= 2 or simulate or answered(command):
            continue
        if settings.get("apt::get::assume-yes", "") in _TRUE or settings.get("quiet", "").isdigit() and \
                int(settings["quiet"]) >= 2:
            continue
        if config.mentions("assume-yes"):
            continue
        name = inner.basename
        debconf = any(n == "DEBIAN_FRONTEND" for n, _ in inner.assignments) or \
            model.scope(node).declared("DEBIAN_FRONTEND")
        note = " (DEBIAN_FRONTEND only silences debconf, not this prompt)" if debconf else ""
        fix = None
        if editable(node, code):
            safety = "safe" if act.role == "install" else "unsafe"
            fix = Fix(safety, [Edit(point_after(code, word), " -y")], "Add -y")
        yield Finding(
            code.span(command.start, command.end),
            f"`{name} {word.value}` without -y asks \"Do you want to continue?\" whenever it does more than "
            f"asked, and a build cannot answer: it aborts{note}; add -y",
            fix,
        )


def _recommends_off(inner, settings):
    if inner.has_option("--no-install-recommends", takes_value=APT_VALUES):
        return True
    for word in inner.args:
        value = word.value or ""
        if value.startswith("--install-recommends="):
            return True  # an explicit choice, either way
    return "apt::install-recommends" in settings


@rule("DF502", "apt-install-recommends", "info", hadolint=("DL3015",), fixable="unsafe", scope="stage")
def apt_install_recommends(model: Model, options: Options) -> Iterator[Finding]:
    """`apt-get install` without `--no-install-recommends` also installs every recommended package.

    ## What it does
    Reports `apt-get install` and `apt install` commands that name packages and neither pass
    `--no-install-recommends` (or `-o APT::Install-Recommends=...`, `--install-recommends=...`)
    nor run after a write of an `Install-Recommends` setting to `/etc/apt/apt.conf.d/` or
    `/etc/apt/apt.conf`, earlier in the same RUN or in an earlier RUN of the stage or the stage it
    is built `FROM`, for example
    `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90no-recommends`.
    A configuration file copied into `/etc/apt/`, or written with content dfcheck cannot read,
    silences the rule too.

    ## Why is this bad?
    Debian and Ubuntu install "Recommends" by default: documentation, helpers, whole toolchains
    the image never uses. They make the image larger and slower to pull, and widen what a
    vulnerability scanner finds.

    ## Example
    ```dockerfile
    FROM ubuntu:24.04
    RUN apt-get update && apt-get install -y python3 \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Use instead
    ```dockerfile
    FROM ubuntu:24.04
    RUN apt-get update && apt-get install -y --no-install-recommends python3 \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Fix safety
    The fix adds `--no-install-recommends` after `install`. It is unsafe: a program may need a
    package that is only recommended (`curl` recommends `ca-certificates`, without which HTTPS
    fails); list such packages explicitly. No fix is offered for exec-form RUN.
    """
    for stage, node, code, command, inner, act, config in apt_commands(model):
        if act.verb != "install":
            continue
        if not act.targets:
            continue  # `apt-get install -f`: repairs, names nothing
        settings = _options(inner)[3]
        if _recommends_off(inner, settings) or config.mentions("install-recommends"):
            continue
        fix = None
        if editable(node, code):
            fix = Fix("unsafe", [Edit(point_after(code, act.word), " --no-install-recommends")],
                      "Add --no-install-recommends")
        names = [w.value if w.value is not None else w.text for w in act.targets]
        yield Finding(
            code.span(command.start, command.end),
            f"`{inner.basename} install` also installs what {listing(names)} recommend{'s' if len(names) == 1 else ''}; "
            "add --no-install-recommends, and name any recommended package the image needs",
            fix,
        )
