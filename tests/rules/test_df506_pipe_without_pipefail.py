"""DF506: pipe without pipefail (rules/df506_pipe_without_pipefail.py)."""

import pytest

from support import findings, raw_findings

from shell_rules_support import fixed


BASH = 'put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN'
DASH = '/bin/sh of Debian and Ubuntu images is dash, which has no pipefail before Debian 13 and Ubuntu 25.04: ' + BASH
SOME_DASH = ('/bin/sh of Debian and Ubuntu images is dash, which has pipefail only from Debian 13 and Ubuntu 25.04 on: '
             + BASH + ' (on those releases `set -o pipefail &&` at the start of the RUN does it)')


def test_df506_download_into_tar_on_debian():
    src = "FROM debian:12\nRUN curl -fsSL https://x/t.tgz | tar -xz && echo ok\n"
    assert findings("DF506", src) == [(
        "DF506", 2, 5,
        "if `curl` fails, the pipeline's status is still `tar`'s, which may succeed on the missing input or blame "
        "the wrong command; " + DASH,
    )]
    assert raw_findings("DF506", src)[0].fix is None  # dash: a SHELL change is for the author


def test_df506_dash_with_pipefail_from_debian_13_and_ubuntu_25_04():
    for image in ("debian:13-slim", "debian:trixie", "ubuntu:25.04", "python:3.13-slim-trixie"):
        src = f"FROM {image}\nRUN curl -fsSL https://x/t.tgz | tar -xz\n"
        [finding] = raw_findings("DF506", src)
        assert finding.message.endswith("; start the RUN with `set -o pipefail &&`"), image
        assert finding.fix.edits[0].text == "set -o pipefail && "
    # a release not known (a moving tag, Ubuntu 24.10, an image that names none): both ways are said
    for image in ("debian:latest", "ubuntu:24.10", "mycorp/base:1"):
        [(_, _, _, message)] = findings("DF506", f"FROM {image}\nRUN curl -fsSL https://x/t.tgz | tar -xz\n")
        assert message.endswith(SOME_DASH), image


def test_df506_alpine_fix():
    src = "FROM alpine:3.21\nRUN wget -qO- https://x/install.sh | sh\n"
    assert findings("DF506", src) == [(
        "DF506", 2, 5,
        "if `wget` fails, the pipeline's status is still `sh`'s, which may succeed on the missing input or blame the "
        "wrong command; start the RUN with `set -o pipefail &&`",
    )]
    assert fixed("DF506", src) == "FROM alpine:3.21\nRUN set -o pipefail && wget -qO- https://x/install.sh | sh\n"
    assert fixed("DF506", src, unsafe=False) == src


def test_df506_tee():
    src = "FROM fedora\nRUN set -e; make 2>&1 | tee /build.log; echo done\n"
    assert findings("DF506", src) == [(
        "DF506", 2, 13,
        "`tee` succeeds whatever `make` does, so the pipeline hides a failure of `make`; start the RUN with "
        "`set -o pipefail &&`",
    )]


@pytest.mark.parametrize("run", [
    'echo "$SHA256 *go.tgz" | sha256sum -c -',
    "yes | apt-get install x",
    "find / -name '*.pyc' | xargs rm -f",
    "echo 'deb http://x stable main' | tee /etc/apt/sources.list.d/x.list",
    "set -o pipefail && curl -fsSL x | tar -xz",
    "set -euxo pipefail; curl -fsSL x | tar -xz",
    "if curl -s x | grep -q y; then echo; fi",
    "curl x | sh || true",
    "V=$(curl -s api | jq -r .tag) && echo $V",
    "make | tee log; echo done",
    "curl x | sh &",
])
def test_df506_fine(run):
    assert findings("DF506", f"FROM alpine\nRUN {run}\n") == []


def test_df506_shell_with_pipefail_and_shells_without_it():
    src = 'FROM debian\nSHELL ["/bin/bash", "-euxo", "pipefail", "-c"]\nRUN curl x | tar -x\n'
    assert findings("DF506", src) == []
    src = 'FROM debian\nSHELL ["/bin/bash", "-c"]\nRUN curl x | tar -x\n'
    assert findings("DF506", src)[0][3].endswith("start the RUN with `set -o pipefail &&`")
    assert findings("DF506", "FROM scratch\nRUN curl x | tar -x\n") == []
    windows = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl x | tar -x\n"
    assert findings("DF506", windows) == []


def test_df506_heredocs_exec_form_and_mount():
    src = ("FROM debian\nRUN <<EOF\n#!/bin/bash -eo pipefail\ncurl x | sh\nEOF\n"
           "RUN bash -e <<EOF\ncurl x | tar -x\nEOF\n"
           'RUN ["bash", "-c", "wget -qO- x | bash"]\n'
           "RUN --mount=type=secret,id=token curl -H @/run/secrets/token x | tar -x\n")
    assert [(line, column, message.split("; ")[1]) for _, line, column, message in findings("DF506", src)] == [
        (7, 1, "put `set -o pipefail` at the top of the script"),
        (9, 20, "start the RUN with `set -o pipefail &&`"),
        (10, 34, SOME_DASH),  # `debian`: latest, a moving release
    ]

