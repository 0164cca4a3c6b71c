"""DF516: install without assume yes (rules/df516_install_without_assume_yes.py)."""

from dfcheck.fixes import apply_fixes

from support import findings, raw_findings

from hadolint_rules_support import lint


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
           "RUN microdnf install -y httpd && microdnf --assumeyes remove x && microdnf clean all && apk add curl\n")
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



def test_df516_microdnf_asks_since_3_6():
    # microdnf asks like dnf since 3.6 (UBI 9); on older ones -y did nothing, so adding it is harmless there
    src = ("FROM registry.access.redhat.com/ubi9/ubi-minimal\n"
           "RUN microdnf install httpd-2.4.24 && microdnf clean all && microdnf update\n")
    assert findings("DF516", src) == [
        ("DF516", 2, 5, '`microdnf install` without -y asks "Is this ok [y/N]", and a build cannot answer: it stops '
                        "there; add -y"),
        ("DF516", 2, 60, '`microdnf update` without -y asks "Is this ok [y/N]", and a build cannot answer: it stops '
                         "there; add -y"),
    ]
    assert findings("DF516", "FROM fedora:40\nRUN echo assumeyes=1 >> /etc/dnf/dnf.conf && microdnf install x\n") == []
    assert lint("FROM rockylinux:9\n# hadolint ignore=DL3038\nRUN microdnf install x && microdnf clean all\n") == []
