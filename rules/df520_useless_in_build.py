"""DF520 useless-in-build: a RUN command that does nothing lasting, or fails, in a build."""

from collections.abc import Iterator

from dfcheck.model import MISUSE_WHY, Model, boots_init, build_misuse
from dfcheck.rule import Finding, Options, rule

from ._shell import answered, commands, runs

# commands after a daemon's start that do not use it (`service x start || true`)
_NOT_USES = frozenset({"true", ":", "exit", "echo", "printf", "sleep"})
# what to do instead, per kind
_ADVICE = {
    "service": "start it from the image's ENTRYPOINT or CMD, or use it in this RUN after starting it",
    "systemd": "start services from the image's ENTRYPOINT or CMD",
    "enable": "start the service from the image's ENTRYPOINT or CMD",
    "interactive": "edit files with sed or COPY them in",
    "power": "remove it",
    "privileged": "use `RUN --mount` for what a build needs mounted",
    "observes": "remove it",
    "kill": "remove it",
    "ssh": "forward an agent with `RUN --mount=type=ssh` rather than copying a key into the image",
    "background": "start it from the image's ENTRYPOINT or CMD, or wait for it in this RUN",
}


@rule("DF520", "useless-in-build", "info", hadolint=("DL3001",))
def useless_in_build(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN command does nothing lasting, or cannot work, in a build.

    ## What it does
    Reports commands whose effect ends with the RUN's container, or that cannot work in it:
    - a daemon started (`service nginx start`, `/etc/init.d/x start`) or put in the background
      (`redis-server &`) as the last thing the RUN does; started for the commands after it
      (`service mysql start && mysql < schema.sql`), it is a real use and not reported;
    - `systemctl start`, `restart`, `status` and the like (no systemd runs in a build: they
      fail), and `systemctl enable` in an image that does not boot systemd (its ENTRYPOINT or CMD
      is known and is no init; an image that runs `/sbin/init` or systemd reads what it enables);
    - full-screen programs (`vim`, `vi`, `nvim`, `nano`, `emacs`, `top`, `htop`) that need a
      terminal, unless given a script or batch mode (`vim +PlugInstall +qall`, `vim -es`,
      `emacs --batch`) or their input (`vim file < commands`);
    - `shutdown`, `reboot`, `halt`, `poweroff`, `init 0`;
    - `mount` and `umount` (CAP_SYS_ADMIN), `ifconfig eth0 ...` and `ip link set`, `ip addr add`,
      `ip route add` (CAP_NET_ADMIN): privileges a build does not have;
    - `ps`, `free`, `top -b`, and `mount`, `ifconfig`, `ip addr` that only show: they report the
      build container, not the machine the image will run on;
    - `kill`, `killall` and `pkill` before anything else of the RUN ran (the only processes a RUN
      can reach are those it started: a daemon started in the background, or one that put itself
      there, as `nginx` and `sshd` do, makes a later `kill` a real use);
    - `ssh` without `RUN --mount=type=ssh`: the build needs the credentials of another host.

    `apt-get install vim` installs vim: only the commands a RUN runs count, and `less` and `more`
    are not reported (without a terminal they copy their input, as `cat` does).

    ## Why is this bad?
    Each RUN runs in a container of its own that stops when its command ends: a daemon started
    there is killed, nothing in it is a terminal, it runs no init and has only the default
    privileges. What remains of a RUN is the files it wrote: the rest either does nothing for
    the image or fails the build.

    ## Example
    ```dockerfile
    FROM debian:12
    RUN apt-get update && apt-get install -y --no-install-recommends nginx \\
        && rm -rf /var/lib/apt/lists/* && service nginx start
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    RUN apt-get update && apt-get install -y --no-install-recommends nginx \\
        && rm -rf /var/lib/apt/lists/*
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## Fix safety
    No automatic fix: what the command was meant to do belongs elsewhere (the ENTRYPOINT or CMD,
    a `RUN --mount`), which only the author can say.

    ## Relation to other linters
    hadolint's DL3001 reports `free`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`, `top`
    and `vim` wherever a RUN runs them; its suppressions silence this rule. dfcheck reads the
    verbs and options that decide it (`service x status` observes, `vim -es` edits, `top -b`
    reports) and what the RUN does around the command (a daemon the later commands use, a
    process it started to kill, an ssh agent mounted), and also reports `systemctl`, the other
    editors, `reboot`, `umount`, `ifconfig`, `ip` and background daemons.
    """
    for stage, node in runs(model):
        ssh_mounted = any(f.name == "mount" and "type=ssh" in (f.value or "").replace(" ", "") for f in node.flags)
        found = [(code, command, inner) for code, command, inner in commands(model, node)]
        # the last command that may use what an earlier one started (not `|| true`, `echo done`)
        final = max((i for i, (_, c, inner) in enumerate(found) if _uses(c, inner)), default=-1)
        ran = False  # whether a command ran before (a program may have put itself in the background)
        for index, (code, command, inner) in enumerate(found):
            if command.in_function:
                continue
            ran_before, ran = ran, ran or _uses(command, inner)
            last = index >= final
            misuse = build_misuse(inner)
            span = code.span(command.start, command.end)
            if misuse is None:
                if command.background and last and inner.argv:
                    yield Finding(span, f"`{_shown(inner)}` runs in the background and is killed when this RUN ends: "
                                        f"nothing of it runs in the image; {_ADVICE['background']}")
                continue
            kind, detail = misuse
            if kind == "service" and not last:
                continue  # started for the commands after it
            if kind == "enable" and not _runs_without_init(model, stage):
                continue
            if kind == "interactive" and answered(command):
                continue
            if kind == "kill" and ran_before:
                continue
            if kind == "ssh" and ssh_mounted:
                continue
            why = MISUSE_WHY[kind].format(detail)
            advice = "remove it" if inner.basename in ("top", "htop") else _ADVICE[kind]
            yield Finding(span, f"`{_shown(inner)}` {why}; {advice}")


def _uses(command, inner):
    return not command.in_function and bool(inner.argv) and inner.basename not in _NOT_USES


def _shown(command):
    text = " ".join(w.text for w in command.argv)
    return text if len(text) <= 50 else text[:47] + "..."


def _runs_without_init(model, stage):
    """Whether the image built from `stage` is known to run something other than an init as PID 1."""
    runtime = stage.runtime
    argv = runtime.argv
    if argv is None or boots_init(argv):
        return False  # no command known (one inherited from an image whose config is unknown), or an init
    return runtime.entrypoint is not None or runtime.known_base  # else the base may have an init as ENTRYPOINT
