"""The command catalog: one entry per tool, read by the filesystem effects and the rules."""

from dfcheck.model.commands import CACHES, TOOLS, action, lookup
from dfcheck.model.shell import parse_shell


def command(text):
    return parse_shell(text).commands[0].effective()


def roles(text):
    found = action(command(text))
    return (found.manager, found.role, found.verb, [w.value for w in found.targets]) if found else None


def test_lookup_normalizes_the_program():
    tool, pip = lookup(command("python3 -W ignore -m pip install flask"))
    assert tool.name == "pip" and [w.value for w in pip.argv] == ["pip", "install", "flask"]
    assert lookup(command("pip3.12 install x"))[0].name == "pip"
    assert lookup(command("sudo -E /usr/bin/apt-get install -y curl"))[0].name == "apt"
    assert lookup(command("python3 script.py")) is None
    assert lookup(command("frobnicate")) is None


def test_package_manager_actions():
    assert roles("apt-get -o Dpkg::Options::=--force-confold install -y curl") == ("apt", "install", "install", ["curl"])
    assert roles("apt-get update") == ("apt", "update", "update", [])
    assert roles("apk add --virtual .deps gcc") == ("apk", "install", "add", ["gcc"])
    assert roles("dnf module install -y nodejs:18") == ("dnf", "install", "module", ["nodejs:18"])
    assert roles("zypper --non-interactive refresh") == ("zypper", "update", "refresh", [])
    assert roles("pip uninstall -y x") == ("pip", "remove", "uninstall", ["x"])
    assert action(command("apk add --no-cache curl")).no_cache is True
    assert action(command("apk add --update curl")).refresh is True
    assert action(command("echo install")) is None


def test_every_cache_says_how_to_avoid_it():
    assert {"apt", "apk", "pip", "npm", "yarn", "go", "gomod", "maven", "gradle"} <= set(CACHES)
    for cache in CACHES.values():
        assert cache.avoid and cache.path and cache.what
    # One entry per tool, whatever name it runs under.
    assert TOOLS["apt-get"] is TOOLS["aptitude"] and TOOLS["pip3"] is TOOLS["pip"]


# -- wrappers: what a RUN runs through sh -c, su -c, xargs, find -exec, env, time, nice, exec ----------------

from support import findings, raw_findings  # noqa: E402


def test_sh_c_strings_are_read_in_place():
    src = "FROM debian\nRUN bash -c 'apt-get update && apt-get install -y curl'\n"
    [finding] = raw_findings("DF203", src)
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 14, 28)  # `apt-get update`
    assert finding.message.startswith("`apt-get update` leaves the apt lists (/var/lib/apt/lists)")
    # The clean-up inside the string counts, and the string's `cd` stays inside it.
    src = ("FROM debian\nWORKDIR /w\nRUN sh -ec 'cd /tmp && apt-get update && apt-get install -y x "
           "&& rm -rf /var/lib/apt/lists/*' && curl -O https://e.com/a.tgz\n")
    assert findings("DF203", src) == []
    model = model_of(src)
    assert [a.path for a in model.filesystem.effects(model.instructions[-1]).added] == ["/w/a.tgz"]


def test_su_c_and_exec_form_are_read():
    src = 'FROM node\nRUN su node -c "umask 0002 && npm install -g eslint"\n'
    assert findings("DF509", src) == [(
        "DF509", 2, 31, "`npm install` installs eslint without a fixed version, so each build gets whatever is "
                        "newest that day; pin it (`eslint@<version>`)")]
    src = 'FROM python\nRUN ["pip", "install", "flask"]\n'
    assert [(line, col) for _, line, col, _ in findings("DF508", src)] == [(2, 6)]
    [finding] = raw_findings("DF203", src)
    assert finding.fix is None  # no edit inside a JSON array


def test_env_time_nice_exec_are_stripped():
    assert findings("DF203", "FROM python\nRUN env PIP_NO_CACHE_DIR=1 pip install flask\n") == []
    src = "FROM node\nWORKDIR /app\nCOPY . .\nRUN time nice -n 5 npm ci\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]


def test_find_exec_and_xargs_rewrite_what_find_lists():
    src = "FROM alpine\nCOPY lib /usr/local/lib/app\nRUN find /usr/local/lib/app -name '*.so' | xargs strip\n"
    [(_, line, column, message)] = findings("DF202", src)
    assert (line, column) == (3, 44)
    assert message.startswith("`xargs strip` rewrites /usr/local/lib/app from an earlier layer")
    src = "FROM alpine\nCOPY app /app\nRUN find /app -type f -exec chmod 644 {} +\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(3, 5)]
    # Files chosen by their mode or owner: nothing says an earlier layer has any.
    assert findings("DF202", "FROM alpine\nCOPY app /app\nRUN find / -perm /6000 -type f -exec chmod a-s {} \\;\n") == []


def model_of(src):
    from support import model_of as build

    return build(src)
