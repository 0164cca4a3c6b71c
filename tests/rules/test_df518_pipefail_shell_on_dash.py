"""DF518: pipefail shell on dash (rules/df518_pipefail_shell_on_dash.py)."""

from dfcheck.fixes import apply_fixes

from support import findings, raw_findings


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
    assert len(findings("DF518", "FROM python:3.12-slim-bookworm\n" + SHELL + "RUN a | b\n")) == 1
    # Debian 13 and Ubuntu 25.04 have a dash with pipefail; a release not known is not judged: python:3.12-slim
    # is bookworm's or trixie's depending on when it was pulled, `latest` moves
    for image in ("debian:13", "debian:trixie-slim", "ubuntu:25.04", "ubuntu:24.10", "debian:latest",
                  "python:3.12-slim", "debian:stable"):
        assert findings("DF518", f"FROM {image}\n" + SHELL + "RUN a | b\nRUN set -o pipefail && a | b\n") == [], image



def test_df518_set_pipefail_in_a_run_on_an_old_dash():
    src = ("FROM debian:bullseye\nRUN set -euo pipefail; curl x | tar -x\n"
           "RUN bash -c 'set -o pipefail; a | b'\n"  # bash runs it
           "RUN <<EOF\nset -o pipefail\nEOF\n"
           "RUN <<EOF\n#!/bin/bash\nset -o pipefail\nEOF\n"
           "RUN bash <<EOF\nset -o pipefail\nEOF\n"
           'SHELL ["/bin/bash", "-c"]\nRUN set -o pipefail\n')
    assert findings("DF518", src) == [
        ("DF518", 2, 5, '`set -euo pipefail` runs in the dash of `debian:bullseye`, which rejects pipefail ("set: '
                        'Illegal option -o pipefail"): the RUN stops there; run it with bash: `SHELL ["/bin/bash", '
                        '"-o", "pipefail", "-c"]` before it'),
        ("DF518", 5, 1, '`set -o pipefail` runs in the dash of `debian:bullseye`, which rejects pipefail ("set: '
                        'Illegal option -o pipefail"): the RUN stops there; run it with bash: `SHELL ["/bin/bash", '
                        '"-o", "pipefail", "-c"]` before it'),
    ]
    assert [f.fix for f in raw_findings("DF518", src)] == [None, None]
    # a SHELL with pipefail is reported at the SHELL, not again at each RUN
    assert [line for _, line, _, _ in findings("DF518", "FROM ubuntu:22.04\n" + SHELL + "RUN set -o pipefail\n")] == [2]


def test_df518_runs_on_a_file_without_a_shell_instruction():
    # the rule reads RUN instructions too: the engine must not skip it for want of a SHELL
    from dfcheck.config import default_settings
    from dfcheck.engine import indexed_rules, lint_text

    settings = default_settings([r for r in indexed_rules() if r.code in ("DF518", "DF001")])
    result = lint_text("FROM debian:12\nRUN set -o pipefail && curl -fsSL https://x | tar -xz\n", "Dockerfile", settings)
    assert [(f.code, f.span.line, f.span.column) for f in result.findings] == [("DF518", 2, 5)]
