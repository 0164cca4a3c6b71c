"""DF520: commands that do nothing lasting, or fail, in a build (rules/df520_useless_in_build.py)."""

import pytest

from support import findings


def _run(run, tail=""):
    return findings("DF520", f"FROM debian:12\nRUN {run}\n{tail}")


def test_df520_a_daemon_started_as_the_last_thing_of_the_run():
    assert _run("apt-get install -y nginx && service nginx start") == [(
        "DF520", 2, 33, "`service nginx start` starts a daemon that is stopped when this RUN ends: nothing of it runs "
        "in the image; start it from the image's ENTRYPOINT or CMD, or use it in this RUN after starting it")]
    assert [f[2] for f in _run("/etc/init.d/ssh start || true")] == [5]
    assert _run("redis-server --port 6380 &") == [(
        "DF520", 2, 5, "`redis-server --port 6380` runs in the background and is killed when this RUN ends: nothing "
        "of it runs in the image; start it from the image's ENTRYPOINT or CMD, or wait for it in this RUN")]


def test_df520_a_daemon_the_rest_of_the_run_uses_is_a_real_use():
    assert _run("service mysql start && mysql -e 'CREATE DATABASE app' && service mysql stop") == []
    assert _run("redis-server & sleep 1 && redis-cli ping && kill %1") == []
    assert _run("service postgresql status") == [(
        "DF520", 2, 5, "`service postgresql status` reports on the build container, not on where the image will "
        "run; remove it")]


def test_df520_systemctl():
    assert _run("systemctl start nginx") == [(
        "DF520", 2, 5, "`systemctl start nginx` needs systemd running as PID 1, which a build container does not "
        "have: it fails; start services from the image's ENTRYPOINT or CMD")]
    assert _run("systemctl enable nginx", 'CMD ["nginx", "-g", "daemon off;"]\n') == [(
        "DF520", 2, 5, "`systemctl enable nginx` only tells systemd what to start, and this image does not run "
        "systemd; start the service from the image's ENTRYPOINT or CMD")]
    # an image that boots systemd reads what is enabled; with no command known, nothing is said
    assert _run("systemctl enable nginx", 'CMD ["/sbin/init"]\n') == []
    assert _run("systemctl enable nginx", 'ENTRYPOINT ["/lib/systemd/systemd"]\n') == []
    # debian's own command is bash; an image of unknown config may boot systemd
    assert [f[3][:30] for f in _run("systemctl enable nginx")] == ["`systemctl enable nginx` only "]
    assert findings("DF520", "FROM example.com/systemd-base:1\nRUN systemctl enable nginx\n") == []


def test_df520_interactive_programs():
    assert _run("vim /etc/nginx/nginx.conf") == [(
        "DF520", 2, 5, "`vim /etc/nginx/nginx.conf` needs a terminal, which a build does not have: it fails or waits "
        "for input that never comes; edit files with sed or COPY them in")]
    assert _run("top") == [(
        "DF520", 2, 5, "`top` needs a terminal, which a build does not have: it fails or waits for input that never "
        "comes; remove it")]
    for run in ("vim +PlugInstall +qall", "vim -es -c 'wq' f", "emacs --batch -l init.el", "vim f < commands.txt",
                "apt-get install -y vim nano htop ssh", "less /etc/os-release", "nano --version"):
        assert _run(run) == [], run


@pytest.mark.parametrize("run, column, message", [
    ("shutdown -h now", 5, "`shutdown -h now` cannot stop or restart a build container, which runs no init: it fails; "
                           "remove it"),
    ("mount -t tmpfs none /mnt", 5, "`mount -t tmpfs none /mnt` needs privileges a build does not have "
                                    "(CAP_SYS_ADMIN): it fails; use `RUN --mount` for what a build needs mounted"),
    ("ip link set eth0 up", 5, "`ip link set eth0 up` needs privileges a build does not have (CAP_NET_ADMIN): it "
                               "fails; use `RUN --mount` for what a build needs mounted"),
    ("ps aux", 5, "`ps aux` reports on the build container, not on where the image will run; remove it"),
    ("echo x && free -m", 15, "`free -m` reports on the build container, not on where the image will run; remove it"),
    ("kill -9 1", 5, "`kill -9 1` can only reach processes this RUN started, and nothing ran before it; remove it"),
    ("ssh git@example.com true", 5, "`ssh git@example.com true` logs in to another host during the build, which "
                                    "needs its credentials in the build; forward an agent with "
                                    "`RUN --mount=type=ssh` rather than copying a key into the image"),
])
def test_df520_each_kind(run, column, message):
    assert _run(run) == [("DF520", 2, column, message)]


def test_df520_quiet_where_the_command_is_fine():
    for run in ("--mount=type=ssh ssh git@example.com true", "gpgconf --kill all", "ip -V", "ssh -V",
                "nginx -g 'daemon off;' & sleep 2 && curl -f localhost && kill $!", "echo service nginx start",
                "/usr/sbin/sshd && ssh-keyscan localhost > k && kill $(cat /run/sshd.pid)"):
        assert _run(run) == [], run


def test_df520_answers_to_dl3001():
    from dfcheck.config import default_settings
    from dfcheck.engine import lint_text, load_rules

    settings = default_settings(load_rules())  # on by default
    found = lint_text("FROM debian:12\nONBUILD RUN top\n", "Dockerfile", settings).findings
    assert [(f.code, f.span.line) for f in found if f.code == "DF520"] == [("DF520", 2)]
    src = "FROM debian:12\n# hadolint ignore=DL3001\nRUN top\n"
    assert [f for f in lint_text(src, "Dockerfile", settings).findings if f.code == "DF520"] == []
