"""DF102: apt update in separate layer (rules/df102_apt_update_in_separate_layer.py)."""

import pytest

from support import findings

from cache_rules_support import _fixed


def test_df102_update_alone_then_install():
    src = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    assert findings("DF102", src) == [(
        "DF102", 2, 5,
        "`apt-get update` refreshes the package lists in its own layer, and the install at line 3 runs in another: "
        "when only the install changes, it runs on the cached, stale lists; update and install in the same RUN",
    )]


def test_df102_other_managers_and_child_stages():
    assert [line for _, line, _, _ in findings("DF102", "FROM alpine\nRUN apk update\nRUN apk add curl\n")] == [2]
    assert findings("DF102", "FROM alpine\nRUN apk update\nRUN apk add --no-cache curl\n") == []
    assert [line for _, line, _, _ in findings("DF102", "FROM fedora\nRUN dnf makecache\nRUN dnf install -y git\n")] == [2]
    assert [line for _, line, _, _ in findings("DF102", "FROM suse\nRUN zypper refresh\nRUN zypper install -y git\n")] == [2]
    src = "FROM debian AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y curl\n"
    assert [line for _, line, _, _ in findings("DF102", src)] == [2]


def test_df102_fine_cases():
    assert findings("DF102", "FROM debian\nRUN apt-get update && apt-get install -y curl\n") == []
    assert findings("DF102", "FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n") == []
    assert findings("DF102", "FROM debian\nRUN apt-get update\nRUN echo done\n") == []


def test_df102_fix_moves_the_update_into_the_install():
    src = "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n"
    assert _fixed("DF102", src) == ["FROM debian\nRUN apt-get update && apt-get install -y curl\n"]
    # In a heredoc script, after `set -e` on its own line; the update's options kept, its continuation joined.
    src = "FROM debian\nRUN apt-get -qq \\\n    update\nRUN <<EOF\nset -e\napt-get install -y x\nEOF\n"
    assert _fixed("DF102", src) == ["FROM debian\nRUN <<EOF\nset -e\napt-get -qq update && apt-get install -y x\nEOF\n"]
    # A RUN that only updated and cleaned the lists goes whole; one that does more loses just the update.
    src = "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y curl\n"
    assert _fixed("DF102", src) == ["FROM debian\nRUN apt-get update && apt-get install -y curl\n"]
    src = ("FROM debian\nRUN echo deb http://x.test/ y main > /etc/apt/sources.list.d/y.list && apt-get update\n"
           "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y y\n")
    assert _fixed("DF102", src) == [
        "FROM debian\nRUN echo deb http://x.test/ y main > /etc/apt/sources.list.d/y.list\n"
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y y\n"]
    # An upgrade needs the lists: its RUN keeps the update, and the install gets its own.
    src = "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n"
    assert _fixed("DF102", src) == [
        "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get update && apt-get install -y curl\n"]


@pytest.mark.parametrize("src", [
    # the install is not a plain step of its RUN
    "FROM debian\nRUN apt-get update\nRUN if true; then apt-get install -y curl; fi\n",
    "FROM debian\nRUN apt-get update\nRUN (apt-get install -y curl)\n",
    # a USER or SHELL between, or a flag the update needs
    "FROM debian\nRUN apt-get update\nUSER app\nRUN apt-get install -y curl\n",
    "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\nRUN apt-get install -y curl\n",
    # the install is in a stage built FROM this one: other stages may install on these lists too
    "FROM debian AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y curl\n",
    # `|| true` keeps a failing update from stopping the build: it cannot go in front of the install alone
    "FROM centos\nRUN yum check-update || true\nRUN yum install -y git\n",
    # exec form
    'FROM debian\nRUN ["apt-get", "update"]\nRUN apt-get install -y curl\n',
])
def test_df102_no_fix_when_the_update_cannot_move(src):
    assert _fixed("DF102", src) == [None]


def test_df102_update_only_commands_of_each_family():
    for update, install in (("yum check-update || true", "yum install -y git"), ("zypper ref", "zypper in -y git"),
                            ("pacman -Syy", "pacman -S --noconfirm git")):
        src = f"FROM x\nRUN {update}\nRUN {install}\n"
        assert [(line, col) for _, line, col, _ in findings("DF102", src)] == [(2, 5)], update


def test_df102_an_update_with_an_upgrade_still_leaves_later_installs_stale():
    src = "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n"
    assert [(line, col) for _, line, col, _ in findings("DF102", src)] == [(2, 5)]

