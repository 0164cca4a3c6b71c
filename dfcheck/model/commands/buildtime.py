"""Commands that leave nothing in the image, or cannot work, when a RUN runs them during a build.

A RUN runs in a container of its own that stops when its command ends: no init system, no terminal,
only the default privileges, the build's own processes and network. What a command does to running
processes, the kernel or a terminal is gone with that container, or fails; only files reach the layer.
`build_misuse(command)` says how a command misbehaves there (one of the kinds of `MISUSE_WHY`), after what
decides it (a verb, an option); whether the rest of the RUN makes it useful again (a daemon started
for the commands after it, a process it started to kill) is the reader's to judge.
"""

from __future__ import annotations

# kind -> why the command does nothing lasting, or fails, in a build
MISUSE_WHY = {
    "service": "starts a daemon that is stopped when this RUN ends: nothing of it runs in the image",
    "systemd": "needs systemd running as PID 1, which a build container does not have: it fails",
    "enable": "only tells systemd what to start, and this image does not run systemd",
    "interactive": "needs a terminal, which a build does not have: it fails or waits for input that never comes",
    "power": "cannot stop or restart a build container, which runs no init: it fails",
    "privileged": "needs privileges a build does not have ({}): it fails",
    "observes": "reports on the build container, not on where the image will run",
    "kill": "can only reach processes this RUN started, and nothing ran before it",
    "ssh": "logs in to another host during the build, which needs its credentials in the build",
}

SERVICE_TOOLS = frozenset({"service", "rc-service", "invoke-rc.d"})  # and /etc/init.d/NAME
SERVICE_STARTS = frozenset({"start", "restart", "reload", "force-reload", "try-restart", "condrestart"})
SYSTEMCTL_RUNNING = frozenset({"start", "restart", "reload", "stop", "try-restart", "reload-or-restart",
                               "try-reload-or-restart", "status", "is-active", "daemon-reload", "isolate", "kill"})
SYSTEMCTL_UNIT_FILES = frozenset({"enable", "disable", "reenable", "mask", "unmask", "preset", "set-default", "link"})
# full-screen programs, and the options under which they run without a terminal (a script, batch mode, a version)
INTERACTIVE = {
    "vim": ("-c", "--cmd", "-e", "-E", "-es", "-Es", "-s", "--headless", "--version", "-h", "--help"),
    "vi": ("-c", "--cmd", "-e", "-E", "-es", "-Es", "-s", "--version", "-h", "--help"),
    "nvim": ("-c", "--cmd", "-e", "-E", "-es", "-Es", "-s", "--headless", "--version", "-v", "-h", "--help"),
    "nano": ("--version", "-V", "-h", "--help"),
    "emacs": ("--batch", "-batch", "--script", "--version", "--help"),
    "htop": ("--version", "-V", "-h", "--help"),
    "top": ("--version", "-v", "-h"),  # `top -b` reads no terminal: it reports (see `observes`)
}
POWER = frozenset({"shutdown", "reboot", "halt", "poweroff"})
OBSERVERS = frozenset({"ps", "free"})
KILLERS = frozenset({"kill", "killall", "pkill"})
# ip's objects and the verbs that change them (the others show)
IP_CHANGES = {"link": ("set", "add", "del", "delete", "change"), "addr": ("add", "del", "delete", "change", "replace",
              "flush"), "route": ("add", "del", "delete", "change", "replace", "append", "flush")}
IP_OBJECTS = {"l": "link", "li": "link", "lin": "link", "link": "link", "a": "addr", "ad": "addr", "add": "addr",
              "addr": "addr", "address": "addr", "r": "route", "ro": "route", "rou": "route", "route": "route"}
# what a container runs as PID 1 when it boots systemd (or another init)
INITS = frozenset({"systemd", "init", "/sbin/init", "/usr/sbin/init", "/lib/systemd/systemd",
                   "/usr/lib/systemd/systemd", "/bin/systemd"})


def build_misuse(command) -> tuple[str, str] | None:
    """(kind, detail) for a command (wrappers stripped) that does nothing lasting or fails in a RUN, else None.
    `detail` completes the kind's reason (the privilege a `privileged` command needs), else ""."""
    name = command.basename
    if name is None:
        return None
    values = [w.value for w in command.args]
    operands = [v for v in values if v is not None and not v.startswith("-")]
    if name in SERVICE_TOOLS or (command.name or "").startswith("/etc/init.d/"):
        verbs = operands[:1] if (command.name or "").startswith("/etc/init.d/") else operands[1:2]
        if "--status-all" in values or verbs == ["status"]:
            return "observes", ""
        return ("service", "") if verbs and verbs[0] in SERVICE_STARTS else None
    if name == "systemctl":
        verb = operands[:1]
        if not verb:
            return None
        if verb[0] in SYSTEMCTL_UNIT_FILES:
            return ("systemd", "") if "--now" in values else ("enable", "")
        return ("systemd", "") if verb[0] in SYSTEMCTL_RUNNING else None
    if name in INTERACTIVE:
        if any(v is None or v in INTERACTIVE[name] or v.startswith("+") for v in values):
            return None
        if name == "top" and any(v.startswith("-") and "b" in v for v in values):
            return "observes", ""
        return "interactive", ""
    if name in POWER or name in ("init", "telinit") and operands[:1] in (["0"], ["6"]):
        return "power", ""
    if name in OBSERVERS:
        return "observes", ""
    if name in KILLERS:
        return "kill", ""
    if name == "umount" or name == "mount" and operands:
        return "privileged", "CAP_SYS_ADMIN"
    if name == "mount":
        return "observes", ""
    if name == "ifconfig":
        return ("privileged", "CAP_NET_ADMIN") if len(operands) > 1 else ("observes", "")
    if name == "ip":
        if not operands:
            return None
        obj = IP_OBJECTS.get(operands[0])
        if obj is None:
            return None
        return ("privileged", "CAP_NET_ADMIN") if operands[1:2] and operands[1] in IP_CHANGES[obj] else \
            ("observes", "")
    if name == "ssh":
        return None if "-V" in values else ("ssh", "")
    return None


def boots_init(argv) -> bool:
    """Whether a container of the image runs systemd (or another init) as PID 1: `["/sbin/init"]`."""
    return bool(argv) and (argv[0] in INITS or argv[0].rsplit("/", 1)[-1] in ("systemd", "init"))
