"""DF516 install-without-assume-yes: yum, dnf, microdnf, tdnf, zypper and pacman asking a question no build answers."""

from collections.abc import Iterator

from dfcheck.model import ASSUME_YES, PROMPTING_ROLES, Model, action, assumes_yes
from dfcheck.rule import Edit, Finding, Fix, Options, rule

from ._shell import answered, commands, editable, point_after, runs

# What each manager asks, and what the fix adds after its verb (zypper's `-y` is its command option
# `--no-confirm`; pacman's operation is an option, `--noconfirm` goes after it).
_PROMPT = {"zypper": '"Continue? [y/n/...]"', "pacman": '"Proceed with installation? [Y/n]"'}
_ADD = {"pacman": "--noconfirm"}


@rule("DF516", "install-without-assume-yes", "warning", hadolint=("DL3030", "DL3038", "DL3034"), fixable="depends",
      scope="stage")
def install_without_assume_yes(model: Model, options: Options) -> Iterator[Finding]:
    """`yum install`, `dnf install`, `zypper install` (or an upgrade or removal) without `-y`: the build stops at
    the confirmation prompt.

    ## What it does
    Reports yum, dnf (and dnf5), microdnf, tdnf, zypper and pacman commands that install, upgrade or remove
    packages without the option that answers their confirmation prompt: `-y`/`--assumeyes` (also
    inside `-yq`, or `--setopt=assumeyes=1`) for yum, dnf, microdnf and tdnf; the global
    `-n`/`--non-interactive` or the command's `-y`/`--no-confirm` for zypper; `--noconfirm` for
    pacman. Not reported: an answer on standard input (`yes | dnf install ...`, a here-document,
    `< file`), and a manager whose configuration file (`/etc/dnf/dnf.conf`, `/etc/yum.conf`,
    `/etc/tdnf/tdnf.conf`: any of them, as yum is dnf on RHEL 8 and later) a RUN or COPY of the
    stage's lineage writes, which may set `assumeyes`.

    `microdnf` is reported like dnf: since microdnf 3.6 (RHEL and UBI 9, Fedora 34) it asks as dnf
    does; older versions never asked and accept `-y` as a no-op, so the fix is harmless there. apk
    never asks; apt-get is DF501's.

    ## Why is this bad?
    A build has no terminal: the manager prints "Is this ok [y/N]:", reads the end of an empty
    standard input and stops with "Operation aborted" (pacman's default answer is then "no" too,
    and zypper may wait or loop), so the build fails or hangs.

    ## Example
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install httpd && dnf clean all
    ```

    ## Use instead
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install -y httpd && dnf clean all
    ```

    ## Fix safety
    The fix adds `-y` after the verb (`--noconfirm` after pacman's operation). It is safe for
    installs: the build does what the line asks instead of stopping. It is unsafe for upgrades and
    removals, where the prompt guarded against changing more than the named packages. No fix is
    offered for exec-form RUN.
    """
    configured = _configured_managers(model)
    for _stage, node in runs(model):
        for code, command, inner in commands(model, node):
            act = action(inner)
            if act is None or act.manager not in ASSUME_YES or act.role not in PROMPTING_ROLES:
                continue
            if assumes_yes(act) or answered(command) or act.manager in configured.get(id(node), ()):
                continue
            fix = None
            if editable(node, code):
                flag = _ADD.get(act.manager, "-y")
                fix = Fix("safe" if act.role == "install" else "unsafe", [Edit(point_after(code, act.word), " " + flag)],
                          f"Add {flag}")
            prompt = _PROMPT.get(act.manager, '"Is this ok [y/N]"')
            flag = "-n" if act.manager == "zypper" else _ADD.get(act.manager, "-y")
            yield Finding(
                code.span(command.start, command.end),
                f"`{inner.basename} {act.verb}` without {flag} asks {prompt}, and a build cannot answer: it stops "
                f"there; add {flag if act.manager != 'zypper' else '-n (or -y after the command)'}",
                fix,
            )


def _configured_managers(model):
    """id(RUN) -> the managers whose configuration a RUN or COPY of its lineage wrote, up to that RUN. yum, dnf
    and tdnf count together: on RHEL 8 and later yum is dnf, and /etc/yum.conf a link to /etc/dnf/dnf.conf."""
    rpm = frozenset(m for m, known in ASSUME_YES.items() if known["config"])
    configs = {path: rpm for known in ASSUME_YES.values() for path in known["config"]}
    found, ends = {}, {}
    for stage in model.stages:
        done = set(ends.get(id(stage.base_stage), ())) if stage.base_stage is not None else set()
        for node in stage.instructions:
            if node.keyword in ("COPY", "ADD"):
                for source in model.sources(node):
                    dest = source.dest
                    for path, managers in configs.items():
                        if dest is None or dest == path or dest != "/" and path.startswith(dest.rstrip("/") + "/"):
                            done.update(managers)
            elif node.keyword == "RUN":
                for _code, command, inner in commands(model, node):
                    written = [r.path for r in command.redirects if r.writes]
                    if inner.basename in ("tee", "sed", "cp", "mv", "install", "ln", "crudini", "dd"):
                        written += [w.value for w in inner.args]
                    for path in written:
                        done.update(configs.get(path, ()))
                found[id(node)] = frozenset(done)
        ends[id(stage)] = done
    return found
