"""DF602: last user root (rules/df602_last_user_root.py)."""

from support import findings, raw_findings

from security_rules_support import RULES, codes, spans


ROOT_ADVICE = "switch to an unprivileged user (`USER <name or uid>`) after the steps that need root"


def test_df602_last_user_root():
    src = "FROM node:22-slim\nUSER node\nRUN npm ci\nUSER root\nCMD [\"node\", \"server.js\"]\n"
    assert findings("DF602", src) == [
        ("DF602", 4, 1, f"the image runs as root: this is the last USER of the image; {ROOT_ADVICE}")]
    assert spans(raw_findings("DF602", src)) == [(4, 1, 4, 5)]


def test_df602_root_forms():
    for user in ("root", "0", "root:root", "0:0", "root:staff", "00"):
        src = f"FROM debian:12\nUSER {user}\n"
        assert [(line, column) for _, line, column, _ in findings("DF602", src)] == [(2, 1)], user
    for user in ("app", "1000", "1000:0", "rootless", "nobody:root"):
        assert findings("DF602", f"FROM debian:12\nUSER {user}\n") == [], user


def test_df602_switching_back_is_fine():
    src = "FROM debian:12\nUSER root\nRUN apt-get update\nUSER 1001\n"
    assert findings("DF602", src) == []


def test_df602_builder_stages_never_count():
    src = (
        "FROM golang:1.23 AS build\n"
        "USER root\n"
        "RUN go build -o /app .\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\n"
        "COPY --from=build /app /app\n"
    )
    assert findings("DF602", src) == []
    # ... unless it is the build target.
    assert [line for _, line, _, _ in findings("DF602", src, target="build")] == [2]


def test_df602_user_inherited_through_the_lineage():
    src = (
        "FROM debian:12 AS base\n"
        "USER root\n"
        "FROM base AS final\n"
        "RUN echo hi\n"
    )
    assert findings("DF602", src) == [
        ("DF602", 2, 1, 'the image runs as root: this is the last USER of the image (in stage "base", which stage '
                        f'"final" is built on); {ROOT_ADVICE}')]
    # A USER in the final stage wins over the inherited one.
    assert findings("DF602", src + "USER app\n") == []


def test_df602_user_from_args():
    src = "FROM debian:12\nARG UID\nUSER ${UID}\n"
    assert findings("DF602", src) == []  # chosen at build time
    src = "FROM debian:12\nARG UID=0\nUSER ${UID}\n"
    assert [(line, message.split(":")[0]) for _, line, _, message in findings("DF602", src)] == [
        (3, "the image runs as 0")]
    assert findings("DF602", src, build_args={"UID": "1000"}) == []


def test_df602_windows_container_administrator():
    src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n"
    assert [line for _, line, _, _ in findings("DF602", src)] == [2]
    assert findings("DF602", src + "USER ContainerUser\n") == []
    assert findings("DF602", "FROM debian:12\nUSER ContainerAdministrator\n") == []


def test_df602_leaves_an_image_without_user_to_df609():
    assert findings("DF602", "FROM python:3.12-slim\nCMD [\"python\"]\n") == []
    assert "require-user" not in RULES["DF602"].options and "require-user" in RULES["DF609"].options


def test_df602_hadolint_ignore_silences_it():
    assert "DF602" in codes("FROM debian:12\nUSER root\n")
    assert "DF602" not in codes("FROM debian:12\n# hadolint ignore=DL3002\nUSER root\n")

