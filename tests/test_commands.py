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
