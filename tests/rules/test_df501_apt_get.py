"""DF501: apt get (rules/df501_apt_get.py)."""

import pytest

from support import findings, raw_findings

from shell_rules_support import fixed


YES = ('`apt-get install` without -y asks "Do you want to continue?" whenever it does more than asked, and a '
       'build cannot answer: it aborts; add -y')


def test_df501_install_without_yes():
    src = "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n"
    assert findings("DF501", src) == [("DF501", 2, 23, YES)]


@pytest.mark.parametrize("command", [
    "apt-get install -y curl", "apt-get -y install curl", "apt-get install --yes curl",
    "apt-get install --assume-yes curl", "apt-get install -qy curl", "apt-get -yqq install curl",
    "apt-get -qq install curl", "apt-get -q -q install curl", "apt-get -q=2 install curl",
    "apt-get -o APT::Get::Assume-Yes=true install curl", "apt-get --option=apt::get::assume-yes=1 install curl",
    "apt-get -o quiet=2 install curl", "apt-get install -s curl", "apt-get --dry-run install curl",
    "yes | apt-get install curl", "apt-get install curl < /tmp/answers",
    "apt-get update", "apt-get clean", "apt-get source curl", "apt-cache policy curl",
])
def test_df501_non_interactive_forms(command):
    assert findings("DF501", f"FROM debian\nRUN {command}\n") == []


def test_df501_what_does_not_answer_the_prompt():
    # -q is one level of quiet (level 2 implies -y); DEBIAN_FRONTEND is for debconf; --force-yes is not --yes.
    src = ("FROM debian\nRUN apt-get -q install curl\nRUN DEBIAN_FRONTEND=noninteractive apt-get install curl\n"
           "RUN apt-get install --force-yes curl\nRUN apt-get install curl < /dev/null\n")
    assert [(line, column) for _, line, column, _ in findings("DF501", src)] == [(2, 5), (3, 5), (4, 5), (5, 5)]
    message = findings("DF501", src)[1][3]
    assert message == YES.replace("it aborts;", "it aborts (DEBIAN_FRONTEND only silences debconf, not this prompt);")


def test_df501_debian_frontend_from_env_is_named_too():
    src = "FROM debian\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install curl\n"
    assert "DEBIAN_FRONTEND only silences debconf" in findings("DF501", src)[0][3]


def test_df501_other_verbs_apt_sudo_env_and_positions():
    src = ("FROM ubuntu\nRUN sudo apt-get remove curl \\\n"
           "    && env LANG=C apt upgrade\n")
    assert findings("DF501", src) == [
        ("DF501", 2, 5, YES.replace("apt-get install", "apt-get remove")),
        ("DF501", 3, 8, YES.replace("apt-get install", "apt upgrade")),
    ]


def test_df501_assume_yes_configured_earlier():
    conf = "RUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90assumeyes\n"
    assert findings("DF501", "FROM debian\n" + conf + "RUN apt-get install curl\n") == []
    # in the same RUN, before the install: fine; after it: too late
    same = "FROM debian\nRUN echo 'APT::Get::Assume-Yes \"1\";' >> /etc/apt/apt.conf && apt-get install curl\n"
    assert findings("DF501", same) == []
    late = "FROM debian\nRUN apt-get install curl && echo 'APT::Get::Assume-Yes \"1\";' > /etc/apt/apt.conf\n"
    assert len(findings("DF501", late)) == 1
    # inherited through FROM <stage>, but not from an unrelated stage
    staged = "FROM debian AS base\n" + conf + "FROM base\nRUN apt-get install curl\nFROM debian\nRUN apt-get install x\n"
    assert [line for _, line, _, _ in findings("DF501", staged)] == [6]
    # a configuration dfcheck cannot read gets the benefit of the doubt
    assert findings("DF501", "FROM debian\nCOPY apt.conf /etc/apt/apt.conf.d/\nRUN apt-get install curl\n") == []
    assert findings("DF501", "FROM debian\nRUN cp /tmp/x /etc/apt/apt.conf.d/\nRUN apt-get install curl\n") == []
    # a configuration about something else does not count
    other = "FROM debian\nRUN echo 'Acquire::Retries \"3\";' > /etc/apt/apt.conf.d/80retries\nRUN apt-get install x\n"
    assert len(findings("DF501", other)) == 1


def test_df501_tee_and_heredoc_writes():
    tee = ("FROM debian\nRUN echo 'APT::Get::Assume-Yes \"true\";' | tee /etc/apt/apt.conf.d/90yes\n"
           "RUN apt-get install curl\n")
    assert findings("DF501", tee) == []
    heredoc = ("FROM debian\nRUN cat > /etc/apt/apt.conf.d/90yes <<EOF\nAPT::Get::Assume-Yes \"true\";\nEOF\n"
               "RUN apt-get install curl\n")
    assert findings("DF501", heredoc) == []


def test_df501_heredoc_run_exec_form_and_mount():
    src = ("FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install curl\nEOF\n"
           'RUN ["sh", "-c", "apt-get install curl"]\n'
           "RUN --mount=type=cache,target=/var/cache/apt apt-get install curl\n")
    assert [(line, column) for _, line, column, _ in findings("DF501", src)] == [(5, 1), (7, 18), (8, 46)]
    fixes = [f.fix for f in raw_findings("DF501", src)]
    assert fixes[1] is None  # exec form: JSON escapes make columns inexact


def test_df501_fix():
    src = "FROM debian\nRUN apt-get update && apt-get install curl\nRUN apt-get purge curl\n"
    [install, purge] = raw_findings("DF501", src)
    assert install.fix.applicability == "safe" and purge.fix.applicability == "unsafe"
    assert fixed("DF501", src, unsafe=False) == (
        "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get purge curl\n")
    assert fixed("DF501", src) == "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get purge -y curl\n"
    heredoc = "FROM debian\nRUN <<EOF\napt-get install curl\nEOF\n"
    assert fixed("DF501", heredoc) == "FROM debian\nRUN <<EOF\napt-get install -y curl\nEOF\n"


def test_df502_missing_no_install_recommends():
    src = "FROM debian\nRUN apt-get update \\\n && apt-get install -y curl git\n"
    assert findings("DF502", src) == [(
        "DF502", 3, 5,
        "`apt-get install` also installs what curl and git recommend; add --no-install-recommends, and name any "
        "recommended package the image needs",
    )]
    one = findings("DF502", "FROM debian\nRUN apt install -y python3\n")
    assert one[0][3].startswith("`apt install` also installs what python3 recommends;")


@pytest.mark.parametrize("command", [
    "apt-get install -y --no-install-recommends curl",
    "apt-get install -y -o APT::Install-Recommends=false curl",
    "apt-get install -y --install-recommends=no curl",
    "apt-get install -y -f",
    "apt-get -y upgrade",
    "apt-get update",
])
def test_df502_fine(command):
    assert findings("DF502", f"FROM debian\nRUN {command}\n") == []


def test_df502_configuration_written_before():
    conf = "RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/01norecommends\n"
    assert findings("DF502", "FROM debian\n" + conf + "RUN apt-get install -y curl\n") == []
    same = ("FROM debian\nRUN printf 'APT::Install-Recommends \"0\";\\n' > /etc/apt/apt.conf.d/01norec"
            " && apt-get install -y curl\n")
    assert findings("DF502", same) == []
    heredoc = ("FROM debian\nRUN <<EOF\ncat <<CONF > /etc/apt/apt.conf.d/01norec\nAPT::Install-Recommends \"0\";\n"
               "CONF\napt-get install -y curl\nEOF\n")
    assert findings("DF502", heredoc) == []
    assert findings("DF502", "FROM debian\nENV APT_CONFIG=/etc/my-apt.conf\nRUN apt-get install -y curl\n") == []
    unrelated = "FROM debian\nRUN echo 'x' > /etc/apt/sources.list.d/x.list\nRUN apt-get install -y curl\n"
    assert len(findings("DF502", unrelated)) == 1


def test_df502_fix_is_unsafe():
    src = "FROM debian\nRUN sudo apt-get install -y curl\n"
    [finding] = raw_findings("DF502", src)
    assert finding.fix.applicability == "unsafe"
    assert fixed("DF502", src) == "FROM debian\nRUN sudo apt-get install --no-install-recommends -y curl\n"


def test_df501_df502_not_silenced_by_a_relative_copy_or_copy_all():
    for copy in ("COPY requirements.txt ./", "COPY . .", "COPY . /"):
        src = f"FROM debian\n{copy}\nRUN apt-get update && apt-get install curl\n"
        assert [(code, line) for code, line, _, _ in findings("DF501", src)] == [("DF501", 3)], copy
        assert [(code, line) for code, line, _, _ in findings("DF502", src)] == [("DF502", 3)], copy
    # A tree copied to / may hold etc/apt/apt.conf.d: given the benefit of the doubt.
    assert findings("DF501", "FROM debian\nCOPY rootfs/ /\nRUN apt-get update && apt-get install curl\n") == []
    assert findings("DF502", "FROM debian\nCOPY 99norecommends /etc/apt/apt.conf.d/\nRUN apt-get install -y curl\n") == []

