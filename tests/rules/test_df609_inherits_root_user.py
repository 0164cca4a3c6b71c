"""DF609: inherits root user (rules/df609_inherits_root_user.py)."""

from support import findings, raw_findings

from security_rules_support import codes, run, spans


NO_USER_ADVICE = "add a `USER <unprivileged user>` after the steps that need root"


def test_df609_an_official_base_image_that_runs_as_root():
    src = "FROM python:3.12-slim AS build\nRUN pip wheel -w /w flask\nFROM python:3.12-slim\nCOPY --from=build /w /w\n"
    assert findings("DF609", src) == [
        ("DF609", 3, 1, "the image sets no USER and its base image `python:3.12-slim` runs as root, so its containers "
                        f"run as root; {NO_USER_ADVICE}")]
    assert spans(raw_findings("DF609", src)) == [(3, 1, 3, 5)]
    # through the lineage, and through a build argument with a value
    src = "ARG V=22\nFROM node:${V}-alpine AS base\nFROM base\nCMD [\"node\"]\n"
    assert [(line, message.split(" runs as root")[0]) for _, line, _, message in findings("DF609", src)] == [
        (3, "the image sets no USER and its base image `node:22-alpine`")]


def test_df609_silent_cases():
    assert findings("DF609", "FROM python:3.12-slim\nUSER app\n") == []  # a USER: DF602's
    assert findings("DF609", "FROM python:3.12-slim AS base\nUSER app\nFROM base\n") == []  # inherited
    assert findings("DF609", "FROM python:3.12-slim\nUSER root\n") == []  # DF602 reports that one
    assert findings("DF609", "FROM memcached:1.6-alpine\n") == []  # the image runs as memcache
    assert findings("DF609", "FROM docker:rootless\n") == []  # ... as rootless
    # the image's entrypoint script drops root before it runs rabbitmq-server; not once the script is replaced
    assert findings("DF609", "FROM rabbitmq:4.3-alpine\nRUN rabbitmq-plugins enable rabbitmq_management\n") == []
    assert [line for _, line, _, _ in findings("DF609", 'FROM rabbitmq:4.3-alpine\nENTRYPOINT ["rabbitmq-server"]\n')
            ] == [1]
    assert findings("DF609", "FROM gcr.io/distroless/python3:nonroot\n") == []  # not in the table
    assert findings("DF609", "FROM python:2.7\n") == []  # a release the table does not have: USER unknown
    assert findings("DF609", "ARG BASE\nFROM $BASE\n") == []  # no value
    assert findings("DF609", "FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\n") == []
    # a builder stage that runs as root is never the image
    assert findings("DF609", "FROM python:3.12 AS build\nFROM python:3.12\nUSER app\n") == []


def test_df609_require_user_reports_unknown_and_scratch_bases():
    src = "FROM ghcr.io/acme/python:3.12\nCMD [\"python\"]\n"
    assert run("DF609", src, {"require-user": True}) == [
        ("DF609", 1, 1, "the image sets no USER, so it runs as the user its base image `ghcr.io/acme/python:3.12` sets "
                        f"(root for most images); {NO_USER_ADVICE}")]
    src = "FROM golang:1.23 AS build\nUSER build\nFROM scratch\nCOPY --from=build /app /app\n"
    assert run("DF609", src, {"require-user": True}) == [
        ("DF609", 3, 1, f"the image sets no USER, so it runs as root (a `FROM scratch` image has no other user); "
                        f"{NO_USER_ADVICE}")]
    # a base known not to run as root stays silent
    assert run("DF609", "FROM memcached:1.6-alpine\n", {"require-user": True}) == []


def test_df609_is_not_silenced_by_dl3063_which_hadolint_releases_use_for_reserved_stage_names():
    assert "DF609" in codes("FROM debian:12\nRUN true\n")
    assert "DF609" in codes("# hadolint ignore=DL3063\nFROM debian:12\nRUN true\n")
    assert "DF609" not in codes("# dfcheck: ignore=DF609\nFROM debian:12\nRUN true\n")

