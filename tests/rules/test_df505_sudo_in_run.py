"""DF505: sudo in run (rules/df505_sudo_in_run.py)."""

from support import findings, raw_findings

from shell_rules_support import fixed


def test_df505_sudo_as_root_and_as_another_user():
    src = ("FROM ubuntu\nRUN sudo apt-get update && env A=1 sudo -E make\nUSER app\nRUN sudo -u root make install\n"
           "USER 0\nRUN command -v sudo && sudo ls\n")
    assert findings("DF505", src) == [
        ("DF505", 2, 5, "`sudo` in a RUN, which runs as the base image's user, root unless the base sets another "
                        "USER: as root, drop sudo; otherwise switch with `USER root` and back"),
        ("DF505", 2, 36, "`sudo` in a RUN, which runs as the base image's user, root unless the base sets another "
                         "USER: as root, drop sudo; otherwise switch with `USER root` and back"),
        ("DF505", 4, 5, "`sudo` in a RUN that runs as app (USER at line 3): put the commands that need root after "
                        "`USER root`, then switch back"),
        ("DF505", 6, 24, "`sudo` in a RUN that already runs as root (USER 0 at line 5): it only resets the "
                         "environment; drop it"),
    ]
    fixes = [f.fix for f in raw_findings("DF505", src)]
    assert [f and f.applicability for f in fixes] == ["unsafe", None, None, "unsafe"]
    assert fixed("DF505", src).splitlines()[1] == "RUN apt-get update && env A=1 sudo -E make"


def test_df505_not_a_command():
    src = "FROM ubuntu\nRUN apt-get install -y sudo && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n"
    assert findings("DF505", src) == []


def test_df505_user_inherited_from_a_stage_heredoc_and_continuation():
    src = "FROM ubuntu AS base\nUSER dev\nFROM base\nRUN <<EOF\nsudo make install\nEOF\nRUN true \\\n  && sudo ls\n"
    assert [(line, column) for _, line, column, _ in findings("DF505", src)] == [(5, 1), (8, 6)]
    assert "runs as dev (USER at line 2)" in findings("DF505", src)[0][3]

