"""Distribution package managers in the catalog: apt, apk, the rpm family (yum, dnf, microdnf, tdnf), zypper.

For each: the options that take a value, the role of each verb (update the index, install, upgrade,
remove, clean), the index and cache it leaves and how to avoid them, what its clean verbs remove.
"""

from __future__ import annotations

from .base import Action, Cache, Tool, clean, leave, operands, package_names

APT_VALUES = ("-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a",
              "--host-architecture")
APK_VALUES = ("-t", "--virtual", "-X", "--repository", "-p", "--root", "--keys-dir", "--arch", "--cache-dir",
              "--repositories-file")
RPM_VALUES = ("-c", "--config", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "-x",
              "--exclude", "--setopt", "--repo", "--repoid", "--nodocs-marker", "-d", "--debuglevel", "-e",
              "--errorlevel", "--forcearch", "--disableplugin", "--enableplugin")
ZYPPER_VALUES = ("-r", "--repo", "--from", "-t", "--type", "-R", "--root", "--installroot", "-c", "--config",
                 "--releasever", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir", "--solv-cache-dir",
                 "--pkg-cache-dir", "--userdata")

# apt options that only simulate: nothing is installed, nothing asked.
APT_SIMULATE = ("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act", "--print-uris")

PACMAN_VALUES = ("-r", "--root", "-b", "--dbpath", "--cachedir", "--config", "--arch", "--gpgdir", "--hookdir",
                 "--logfile", "--assume-installed", "--ignore", "--ignoregroup", "--overwrite", "--print-format")

# verb -> role, per manager
APT_VERBS = {
    "update": "update",
    "install": "install", "reinstall": "install", "build-dep": "install", "satisfy": "install",
    "upgrade": "upgrade", "dist-upgrade": "upgrade", "full-upgrade": "upgrade", "safe-upgrade": "upgrade",
    "remove": "remove", "purge": "remove", "autoremove": "remove", "autopurge": "remove",
    "clean": "clean", "autoclean": "clean", "dist-clean": "clean",
}
APK_VERBS = {"update": "update", "add": "install", "upgrade": "upgrade", "del": "remove", "cache": "clean",
             "fix": "other"}
RPM_VERBS = {  # yum's and dnf's commands and dnf's aliases for them (`rei`, `up-min`, `dsync`, `mc`, ...)
    "makecache": "update", "mc": "update", "check-update": "update", "check-upgrade": "update",
    "install": "install", "in": "install", "groupinstall": "install", "localinstall": "install",
    "install-n": "install", "install-na": "install", "install-nevra": "install",
    "reinstall": "install", "rei": "install", "downgrade": "install", "dg": "install", "swap": "install",
    "module": "install",
    "update": "upgrade", "upgrade": "upgrade", "up": "upgrade", "distro-sync": "upgrade", "dsync": "upgrade",
    "distrosync": "upgrade", "dist-upgrade": "upgrade", "upgrade-minimal": "upgrade", "update-minimal": "upgrade",
    "up-min": "upgrade",
    "remove": "remove", "erase": "remove", "rm": "remove", "autoremove": "remove",
    "clean": "clean",
}
ZYPPER_VERBS = {
    "refresh": "update", "ref": "update",
    "install": "install", "in": "install",
    "update": "upgrade", "up": "upgrade", "dist-upgrade": "upgrade", "dup": "upgrade", "patch": "upgrade",
    "remove": "remove", "rm": "remove",
    "clean": "clean", "cc": "clean",
}
# Options that make an install refresh the index itself (and DF102's stale lists impossible).
REFRESHING = {"apk": ("--no-cache", "-U", "--update", "--update-cache"), "zypper": ("--refresh",),
              "rpm": ("--refresh",)}

APT_LISTS = Cache("apt", "apt lists", "/var/lib/apt/lists", clean="rm -rf /var/lib/apt/lists/*",
                  avoid="remove them in the same RUN with `rm -rf /var/lib/apt/lists/*`", index=True)
# The downloaded .deb files: the official Debian and Ubuntu images delete them after every install
# (/etc/apt/apt.conf.d/docker-clean), so they count only once a Dockerfile has deleted that file. The `apt`
# command deletes what it downloaded by itself unless told to keep it (Keep-Downloaded-Packages).
DOCKER_CLEAN = "/etc/apt/apt.conf.d/docker-clean"
APT_ARCHIVES = Cache("apt-archives", "apt package cache", "/var/cache/apt/archives", clean="apt-get clean",
                     avoid="run `apt-get clean` in the same RUN (the image's docker-clean was deleted)")
APK_CACHE = Cache("apk", "apk cache", "/var/cache/apk", flag="--no-cache", flag_verbs=("add", "upgrade", "fix"),
                  avoid="use `apk add --no-cache`, which needs no `apk update`", index=True)


def _rpm_cache(name: str, path: str, clean_command: str) -> Cache:
    return Cache(name, f"{name} cache", path, clean=clean_command, avoid=f"run `{clean_command}` in the same RUN")


PACMAN_SYNC = Cache("pacman-sync", "pacman sync databases", "/var/lib/pacman/sync", clean="rm -rf /var/lib/pacman/sync/*",
                    avoid="remove them in the same RUN with `rm -rf /var/lib/pacman/sync/*`", index=True)
PACMAN_PACKAGES = Cache("pacman", "pacman package cache", "/var/cache/pacman/pkg", clean="pacman -Scc --noconfirm",
                        avoid="run `pacman -Scc --noconfirm` in the same RUN")
YUM_CACHE = _rpm_cache("yum", "/var/cache/yum", "yum clean all")
DNF_CACHE = _rpm_cache("dnf", "/var/cache/dnf", "dnf clean all")
DNF5_CACHE = _rpm_cache("dnf5", "/var/cache/libdnf5", "dnf clean all")  # dnf5, Fedora's dnf since 41
MICRODNF_CACHE = _rpm_cache("microdnf", "/var/cache/yum", "microdnf clean all")
TDNF_CACHE = _rpm_cache("tdnf", "/var/cache/tdnf", "tdnf clean all")
ZYPPER_CACHE = _rpm_cache("zypper", "/var/cache/zypp", "zypper clean --all")


# How a manager is told to answer its own confirmation prompt ("Is this ok [y/N]", "Continue? [y/n/...]",
# "Proceed with installation? [Y/n]"): its options (short ones also inside a cluster such as `-yq`), the
# settings of `--setopt`, and the configuration files that may hold such a setting. Installs, upgrades and
# removals ask; a build has nothing to answer with. apt is not here (DF501 reads its many ways), nor apk, which
# never asks. microdnf asks since 3.6 (RHEL and UBI 9, Fedora 34), like dnf; before, its `-y` did nothing.
ASSUME_YES = {
    "yum": {"options": ("-y", "--assumeyes"), "setopt": "assumeyes", "config": ("/etc/yum.conf",)},
    "dnf": {"options": ("-y", "--assumeyes"), "setopt": "assumeyes", "config": ("/etc/dnf/dnf.conf",)},
    "microdnf": {"options": ("-y", "--assumeyes"), "setopt": "assumeyes", "config": ("/etc/dnf/dnf.conf",)},
    "tdnf": {"options": ("-y", "--assumeyes"), "setopt": "assumeyes", "config": ("/etc/tdnf/tdnf.conf",)},
    "zypper": {"options": ("-n", "--non-interactive", "-y", "--no-confirm"), "setopt": None, "config": ()},
    "pacman": {"options": ("--noconfirm",), "setopt": None, "config": ()},
}
PROMPTING_ROLES = ("install", "upgrade", "remove")
_TRUE = ("1", "true", "yes", "on")


def assumes_yes(act: Action) -> bool:
    """Whether a command's own options answer its manager's confirmation prompt (see `ASSUME_YES`)."""
    known = ASSUME_YES.get(act.manager)
    if known is None:
        return True
    options = known["options"]
    letters = {o[1] for o in options if len(o) == 2}
    args = [w.value or "" for w in act.command.args]
    for i, value in enumerate(args):
        if value == "--":
            break
        name, _, rest = value.partition("=")
        if name in options:
            return True
        if name == "--setopt" and known["setopt"]:
            setting = rest or (args[i + 1] if i + 1 < len(args) else "")
            key, _, answer = setting.partition("=")
            if key.strip().lower() == known["setopt"] and answer.strip().lower() in _TRUE:
                return True
        if value.startswith("-") and not value.startswith("--") and value[1:].isalpha() and letters & set(value[1:]):
            return True
    return False


def _verb_action(verbs: dict):
    """The common shape: the first operand is the verb."""

    def action(tool: Tool, command) -> Action | None:
        found = operands(command, tool)
        if not found or found[0].value is None:
            return None
        verb = found[0].value
        role = verbs.get(verb, "other")
        targets = found[1:]
        if tool.name in ("yum", "dnf", "microdnf", "tdnf") and verb == "module":
            role = "install" if targets and targets[0].value == "install" else "other"
            targets = targets[1:]
        refresh = command.has_option(*REFRESHING.get(tool.family, ()), takes_value=tool.values)
        no_cache = tool.family == "apk" and command.has_option("--no-cache", "--no-network", takes_value=tool.values)
        return Action(tool, role, verb, found[0], targets, command, refresh=refresh, no_cache=no_cache)

    return action


def _apt(call) -> None:
    act = call.action
    if act is None:
        return
    if act.role in ("install", "upgrade") and act.command.basename != "apt" and call.removed(DOCKER_CLEAN):
        leave(call, APT_ARCHIVES, APT_ARCHIVES.path)
    if act.verb == "update":
        leave(call, APT_LISTS, APT_LISTS.path)
    elif act.verb in ("install", "reinstall"):
        names = package_names(call, act.targets, "apt")
        if names:
            call.packages("apt", names, True)
    elif act.verb in ("purge", "remove", "autoremove"):
        names = package_names(call, act.targets, "apt")
        if names:
            call.packages("apt", names, False)
    elif act.verb in ("clean", "autoclean"):
        call.operate("remove", "/var/cache/apt/archives/*", "clean", recursive=True)
        call.operate("remove", "/var/cache/apt/*.bin", "clean", recursive=True)
    elif act.verb == "dist-clean":
        call.operate("remove", "/var/lib/apt/lists/*", "clean", recursive=True)


def _apk(call) -> None:
    act = call.action
    if act is None:
        return
    sub = act.verb
    if sub == "update" or (sub in ("add", "upgrade", "fix") and not act.no_cache):
        leave(call, APK_CACHE, APK_CACHE.path)
    if sub == "add":
        names = package_names(call, act.targets, "apk")
        virtual = act.command.option_value("-t", "--virtual", takes_value=APK_VALUES)
        if names or virtual:
            call.packages("apk", names, True, virtual)
    elif sub == "del":
        names = package_names(call, act.targets, "apk")
        if names:
            call.packages("apk", names, False)
    elif sub == "cache" and act.targets and act.targets[0].value in ("clean", "purge"):
        clean(call, APK_CACHE, APK_CACHE.path)


def _rpm_reader(cache: Cache, dnf5: Cache | None = None):
    """yum, dnf, microdnf, tdnf and zypper: what refreshes the metadata or installs fills `cache` (dnf5's when
    the base image's dnf is dnf5: `dnf5` itself, Fedora 41 and later)."""

    def read(call) -> None:
        act = call.action
        if act is None:
            return
        where = dnf5 if dnf5 is not None and (act.command.basename == "dnf5" or _dnf5_image(call.base_image)) \
            else cache
        if act.role in ("update", "install", "upgrade") or act.verb == "module":
            leave(call, where, where.path)
        if act.role == "install" and act.verb != "module":
            names = package_names(call, act.targets, "rpm")
            if names:
                call.packages("rpm", names, True)
        elif act.role == "remove":
            names = package_names(call, act.targets, "rpm")
            if names:
                call.packages("rpm", names, False)
        elif act.role == "clean":
            clean(call, where, where.path)

    return read


def _dnf5_image(image: str | None) -> bool:
    """Fedora 41 and later run dnf5 as `dnf`."""
    from ..base_images import parse_reference

    parsed = parse_reference(image or "")
    if parsed is None or parsed[0] != "fedora":
        return False
    tag = parsed[1] or ""
    return tag in ("latest", "rawhide") or tag.split(".")[0].isdigit() and int(tag.split(".")[0]) >= 41


def _pacman_action(tool: Tool, command) -> Action | None:
    """pacman's operation is an option: -S (sync: install), -Sy/-Syy with no target (refresh the databases),
    -Syu (upgrade), -Sc/-Scc (clean the cache), -R (remove), -U (install files)."""
    found = None
    for word in command.args:
        value = word.value or ""
        if value.startswith("-") and not value.startswith("--") and len(value) > 1 and value[1].isupper():
            found = word
            break
        if value in ("--sync", "--remove", "--upgrade"):
            found = word
            break
    if found is None:
        return None
    value = found.value
    operation = {"--sync": "S", "--remove": "R", "--upgrade": "U"}.get(value, value[1])
    letters = set(value[2:]) if not value.startswith("--") else set()
    targets = operands(command, tool)
    refresh = "y" in letters or command.has_option("--refresh", takes_value=tool.values)
    if operation == "S":
        if "c" in letters or command.has_option("--clean", takes_value=tool.values):
            role = "clean"
        elif "u" in letters or command.has_option("--sysupgrade", takes_value=tool.values):
            role = "upgrade"
        elif refresh and not targets:
            role = "update"
        else:
            role = "install"
    else:
        role = {"R": "remove", "U": "install"}.get(operation, "other")
    return Action(tool, role, value, found, targets, command, refresh=refresh)


def _pacman(call) -> None:
    act = call.action
    if act is None:
        return
    if act.refresh:
        leave(call, PACMAN_SYNC, PACMAN_SYNC.path)
    if act.role in ("install", "upgrade"):
        leave(call, PACMAN_PACKAGES, PACMAN_PACKAGES.path)
        names = package_names(call, act.targets, "pacman")
        if names and act.verb.startswith(("-S", "--sync")):
            call.packages("pacman", names, True)
    elif act.role == "remove":
        names = package_names(call, act.targets, "pacman")
        if names:
            call.packages("pacman", names, False)
    elif act.role == "clean":
        clean(call, PACMAN_PACKAGES, PACMAN_PACKAGES.path)


def _install_packages(call) -> None:
    """`install_packages curl git` (minideb and Bitnami images): apt-get install of the packages named, with the
    package lists and archives removed again."""
    names = package_names(call, call.command.operands(), "apt")
    if names:
        call.packages("apt", names, True)


# useradd (shadow): unless told `-l`/`--no-log-init`, it writes the new user's record into /var/log/lastlog and
# /var/log/faillog, sparse files indexed by UID: their size is UID times the record size, and a layer stores
# them in full (the image's tar has no holes).
USERADD_VALUES = ("-u", "--uid", "-g", "--gid", "-G", "--groups", "-d", "--home-dir", "-s", "--shell", "-c",
                  "--comment", "-b", "--base-dir", "-e", "--expiredate", "-f", "--inactive", "-k", "--skel", "-K",
                  "--key", "-p", "--password", "-R", "--root", "-P", "--prefix", "-Z", "--selinux-user",
                  "--btrfs-subvolume-home")
USER_LOGS = (("/var/log/lastlog", 292), ("/var/log/faillog", 32))  # (file, bytes per UID)


def useradd_logs(command, uid: str | None) -> list[tuple[str, int]]:
    """(file, bytes) of the sparse log files `useradd` (wrappers stripped) writes for the user of UID `uid` (the
    value of its -u, as known), or [] when it writes none: `-l`/`--no-log-init`, or no known UID."""
    takes_value = {o[1] for o in USERADD_VALUES if len(o) == 2}
    for word in command.args:
        value = word.value or ""
        if value == "--no-log-init":
            return []
        if value[:1] == "-" and value[1:2] != "-":
            for letter in value[1:]:  # a cluster (`-lm`): a letter that takes a value ends it (`-ul` is `-u l`)
                if letter == "l":
                    return []
                if letter in takes_value:
                    break
    if not uid or not uid.isdigit():
        return []
    return [(path, int(uid) * size) for path, size in USER_LOGS]


def _useradd(call) -> None:
    word = call.command.option_word("-u", "--uid", takes_value=USERADD_VALUES)
    for path, size in useradd_logs(call.command, call.value(word)):
        added = call.add(path, "useradd log")
        if added is not None:
            added.size = size


# Tools that change an existing account rewrite the small files of the account database: chsh and chfn the user's
# line of /etc/passwd, usermod that line for a new shell, home, name, UID, group or comment, and /etc/group for new
# supplementary groups. A second change in a later RUN copies the file up again. (Creating accounts, useradd,
# groupadd, adduser, rewrites them too; the group then the user, each in its RUN, is the usual sequence and is
# not counted.)
USERMOD_VALUES = ("-c", "--comment", "-d", "--home", "-e", "--expiredate", "-f", "--inactive", "-g", "--gid", "-G",
                  "--groups", "-l", "--login", "-p", "--password", "-R", "--root", "-P", "--prefix", "-s", "--shell",
                  "-u", "--uid", "-v", "--add-subuids", "-V", "--del-subuids", "-w", "--add-subgids", "-W",
                  "--del-subgids", "-Z", "--selinux-user")
_PASSWD_OPTIONS = ("-c", "--comment", "-d", "--home", "-g", "--gid", "-l", "--login", "-s", "--shell", "-u", "--uid")


def _account_change(call) -> None:
    """chsh, chfn, usermod: the account files they rewrite (none when they only print: `chsh -l`, `--help`)."""
    command = call.command
    if command.has_option("-h", "--help", "-l", "--list-shells", "-V", "--version", "-R", "--root", "-P",
                          "--prefix", takes_value=USERMOD_VALUES) or not command.operands(takes_value=USERMOD_VALUES):
        return
    if command.basename in ("chsh", "chfn") or command.has_option(*_PASSWD_OPTIONS, takes_value=USERMOD_VALUES):
        call.write("/etc/passwd", command.basename)
    if command.basename == "usermod" and command.has_option("-G", "--groups", takes_value=USERMOD_VALUES):
        call.write("/etc/group", command.basename)


_APT_ACTION = _verb_action(APT_VERBS)
_RPM_ACTION = _verb_action(RPM_VERBS)

TOOLS = (
    Tool("apt", ("apt-get", "apt", "aptitude"), "system-packages", APT_VALUES, read=_apt, action=_APT_ACTION,
         caches=(APT_LISTS, APT_ARCHIVES)),
    Tool("install_packages", ("install_packages",), "system-packages", read=_install_packages, family="apt"),
    Tool("apk", ("apk",), "system-packages", APK_VALUES, read=_apk, action=_verb_action(APK_VERBS),
         caches=(APK_CACHE,)),
    Tool("yum", ("yum",), "system-packages", RPM_VALUES, read=_rpm_reader(YUM_CACHE), action=_RPM_ACTION,
         caches=(YUM_CACHE,), family="rpm"),
    Tool("dnf", ("dnf", "dnf5", "dnf-3"), "system-packages", RPM_VALUES, read=_rpm_reader(DNF_CACHE, DNF5_CACHE),
         action=_RPM_ACTION, caches=(DNF_CACHE, DNF5_CACHE), family="rpm"),
    Tool("microdnf", ("microdnf",), "system-packages", RPM_VALUES, read=_rpm_reader(MICRODNF_CACHE),
         action=_RPM_ACTION, caches=(MICRODNF_CACHE,), family="rpm"),
    Tool("tdnf", ("tdnf",), "system-packages", RPM_VALUES, read=_rpm_reader(TDNF_CACHE), action=_RPM_ACTION,
         caches=(TDNF_CACHE,), family="rpm"),
    Tool("pacman", ("pacman",), "system-packages", PACMAN_VALUES, read=_pacman, action=_pacman_action,
         caches=(PACMAN_SYNC, PACMAN_PACKAGES)),
    Tool("zypper", ("zypper",), "system-packages", ZYPPER_VALUES, read=_rpm_reader(ZYPPER_CACHE),
         action=_verb_action(ZYPPER_VERBS), caches=(ZYPPER_CACHE,), family="rpm"),
    Tool("useradd", ("useradd",), "users", USERADD_VALUES, read=_useradd),
    Tool("usermod", ("usermod", "chsh", "chfn"), "users", USERMOD_VALUES, read=_account_change),
)
