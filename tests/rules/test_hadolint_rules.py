"""The hadolint rules dfcheck adds in its own terms: prompts that stop a build (DF516: DL3030, DL3038, DL3034),
useradd's sparse logs (DF204: DL3046), a link over /bin/sh (DF517: DL4005), and a SHELL dash cannot run
(DF518)."""

from dfcheck.config import default_settings
from dfcheck.engine import lint_text, load_rules
from dfcheck.fixes import apply_fixes
from dfcheck.rule import Options
from support import findings, raw_findings


def lint(text):
    result = lint_text(text, "Dockerfile", default_settings(load_rules()))
    assert result.errors == []
    return [(f.code, f.span.line, f.span.column) for f in result.findings]


# -- DF516 ---------------------------------------------------------------------------------------

def test_df516_yum_dnf_tdnf_zypper_pacman_without_yes():
    src = ("FROM rockylinux:9\nRUN yum install httpd-2.4.24 && yum clean all\n"
           "RUN tdnf install vim && dnf5 upgrade\n"
           "RUN zypper install httpd=2.4.24 && pacman -Syu\n")
    assert findings("DF516", src) == [
        ("DF516", 2, 5, '`yum install` without -y asks "Is this ok [y/N]", and a build cannot answer: it stops there; '
                        "add -y"),
        ("DF516", 3, 5, '`tdnf install` without -y asks "Is this ok [y/N]", and a build cannot answer: it stops there; '
                        "add -y"),
        ("DF516", 3, 25, '`dnf5 upgrade` without -y asks "Is this ok [y/N]", and a build cannot answer: it stops '
                         "there; add -y"),
        ("DF516", 4, 5, '`zypper install` without -n asks "Continue? [y/n/...]", and a build cannot answer: it stops '
                        "there; add -n (or -y after the command)"),
        ("DF516", 4, 36, '`pacman -Syu` without --noconfirm asks "Proceed with installation? [Y/n]", and a build '
                         "cannot answer: it stops there; add --noconfirm"),
    ]


def test_df516_answered():
    src = ("FROM rockylinux:9\n"
           "RUN dnf install -y httpd && dnf -yq update && dnf --setopt=assumeyes=True remove x && yes | dnf install y\n"
           "RUN yum install --assumeyes x && dnf install x < /answers && dnf clean all && dnf makecache\n"
           "RUN zypper -n in x && zypper install -y x && zypper --non-interactive dup && zypper refresh\n"
           "RUN zypper install --no-confirm x && pacman -S --noconfirm vim && pacman -Sy\n"
           "RUN microdnf install httpd && apk add curl\n")  # microdnf never asks
    assert findings("DF516", src) == []
    # hadolint's spec: not even a yum command
    assert findings("DF516", "FROM centos:7\nRUN bash -c `# not even a yum command`\n") == []


def test_df516_a_configuration_the_stage_writes():
    src = ("FROM fedora:40 AS base\nRUN echo assumeyes=True >> /etc/dnf/dnf.conf\n"
           "FROM base\nRUN dnf install git && yum install vim && zypper install x\n")
    # yum is dnf on Fedora and RHEL 8+; zypper's prompt is not configured there
    assert [(line, column) for _, line, column, _ in findings("DF516", src)] == [(4, 43)]
    assert findings("DF516", "FROM fedora:40\nCOPY dnf.conf /etc/dnf/dnf.conf\nRUN dnf install git\n") == []


def test_df516_fix_and_suppression():
    src = "FROM rockylinux:9\nRUN dnf install httpd && dnf remove x && pacman -S vim\n"
    [install, remove, pacman] = raw_findings("DF516", src)
    assert (install.fix.applicability, remove.fix.applicability, pacman.fix.applicability) == ("safe", "unsafe", "safe")
    fixed, _ = apply_fixes(src, [install, remove, pacman], unsafe=True)
    assert fixed == "FROM rockylinux:9\nRUN dnf install -y httpd && dnf remove -y x && pacman -S --noconfirm vim\n"
    assert lint("FROM rockylinux:9\n# hadolint ignore=DL3038\n"
                "RUN dnf install -y a && dnf install b && dnf clean all\n") == []
    assert lint("FROM centos:7\n# hadolint ignore=DL3030\nRUN yum install b && yum clean all\n") == []
    assert [f for f in raw_findings("DF516", 'FROM centos:7\nRUN ["yum", "install", "b"]\n') if f.fix] == []


# -- DF204 ---------------------------------------------------------------------------------------

def test_df204_useradd_high_uid_without_l():
    src = ("FROM debian:12\nARG APP_UID=1000680000\n"
           "RUN useradd luser && useradd -u 12345 a && useradd -l -u 123456 b && useradd -lm -u 123456 c\n"
           "RUN useradd -u 123456 luser\n"
           "RUN useradd -u \"${APP_UID}\" -m app && useradd --no-log-init -u 123456 d\n"
           "RUN --mount=type=tmpfs,target=/var/log useradd -u 123456 x\n"
           "RUN useradd -u 999999 y && rm /var/log/lastlog /var/log/faillog\n")
    assert findings("DF204", src) == [
        ("DF204", 4, 5, "`useradd` without -l (--no-log-init) writes the user into /var/log/lastlog and "
                        "/var/log/faillog at the offset of its UID: 40 MB of sparse files that the layer stores in "
                        "full; add -l"),
        ("DF204", 5, 5, "`useradd` without -l (--no-log-init) writes the user into /var/log/lastlog and "
                        "/var/log/faillog at the offset of its UID: 324 GB of sparse files that the layer stores in "
                        "full; add -l"),
    ]
    [finding, _] = raw_findings("DF204", src)
    fixed, _ = apply_fixes(src, [finding])
    assert "RUN useradd -l -u 123456 luser\n" in fixed


def test_df204_threshold_and_suppression():
    from support import builtin_rules, model_of

    rule = builtin_rules()["DF204"]
    model = model_of("FROM debian:12\nRUN useradd -u 12345 a\n")
    assert [f.span.line for f in rule.check(model, Options({"min-bytes": 1_000_000}))] == [2]
    assert lint("FROM debian:12\n# hadolint ignore=DL3046\nRUN useradd -u 123456 luser\nUSER luser\n") == []


# -- DF517 ---------------------------------------------------------------------------------------

def test_df517_link_over_bin_sh():
    src = ("FROM debian:12\nRUN ln -sfv /bin/bash /bin/sh\nRUN ln -sf /bin/true /sbin/initctl\n"
           "RUN ln -s foo bar && unrelated && something_with /bin/sh\nRUN cd /bin && ln -sf bash sh\n"
           "RUN rm /bin/sh && ln -s /bin/bash /usr/bin/sh\n")
    message = ("this makes {} a link to another shell, the system shell of every program in the image; use SHELL to "
               "run the Dockerfile's RUN instructions with that shell instead")
    assert findings("DF517", src) == [
        ("DF517", 2, 5, message.format("/bin/sh")), ("DF517", 5, 16, message.format("/bin/sh")),
        ("DF517", 6, 19, message.format("/usr/bin/sh"))]
    assert lint("FROM debian:12\n# hadolint ignore=DL4005\nRUN ln -sf /bin/bash /bin/sh\nUSER nobody\n") == []


# -- DF518 ---------------------------------------------------------------------------------------

SHELL = 'SHELL ["/bin/sh", "-o", "pipefail", "-c"]\n'


def test_df518_pipefail_shell_on_dash():
    src = ("FROM debian:12-slim\n" + SHELL + "RUN curl -fsSL https://example.com/x | tar -xz\n"
           "FROM ubuntu:24.04 AS u\nSHELL [\"/bin/sh\", \"-euxo\", \"pipefail\", \"-c\"]\nFROM u\nCMD echo hi\n")
    assert findings("DF518", src) == [
        ("DF518", 2, 8, '/bin/sh is the dash of `debian:12-slim`, which rejects -o pipefail ("Illegal option -o '
                        'pipefail"): the RUN at line 3 and every later shell-form instruction using this SHELL fail; '
                        "run it with /bin/bash"),
        ("DF518", 5, 8, '/bin/sh is the dash of `ubuntu:24.04`, which rejects -o pipefail ("Illegal option -o '
                        'pipefail"): the CMD at line 7 and every later shell-form instruction using this SHELL fail; '
                        "run it with /bin/bash"),
    ]
    fixed, _ = apply_fixes(src, raw_findings("DF518", src)[:1])
    assert fixed.splitlines()[1] == 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'


def test_df518_not_on_shells_that_know_pipefail():
    for image in ("alpine:3.20", "rockylinux:9", "debian:sid", "mycorp/base:1", "scratch"):
        assert findings("DF518", f"FROM {image}\n" + SHELL + "RUN a | b\n") == [], image
    # nothing runs with it: an exec-form RUN, or no instruction after it
    assert findings("DF518", "FROM debian:12\n" + SHELL + 'RUN ["true"]\n') == []
    assert findings("DF518", "FROM debian:12\n" + SHELL) == []
    # an official image built on Debian: the base-image table says its /bin/sh is dash
    assert len(findings("DF518", "FROM python:3.12-slim\n" + SHELL + "RUN a | b\n")) == 1
