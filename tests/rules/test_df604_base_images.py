"""DF604: base images (rules/df604_base_images.py)."""

from support import findings

from security_rules_support import codes, run


def untagged(shown, name):
    return (f"{shown} has no tag, so it pulls `{name}:latest`, which changes under you; pin a version tag "
            f"(`{name}:<version>`) or a digest")


def latest(shown, name):
    return f"{shown} uses the `latest` tag, which changes under you; pin a version tag (`{name}:<version>`) or a digest"


def test_df604_untagged_and_latest():
    src = (
        "FROM node AS deps\n"
        "FROM --platform=$BUILDPLATFORM golang:latest AS build\n"
        "FROM localhost:5000/team/app\n"  # the port is not a tag
    )
    assert findings("DF604", src) == [
        ("DF604", 1, 6, untagged("`node`", "node")),
        ("DF604", 2, 32, latest("`golang:latest`", "golang")),
        ("DF604", 3, 6, untagged("`localhost:5000/team/app`", "localhost:5000/team/app")),
    ]


def test_df604_not_scratch_stages_or_digests():
    digest = "sha256:" + "a" * 64
    src = (
        "FROM scratch AS empty\n"
        "FROM golang:1.23 AS build\n"
        "FROM build AS test\n"
        f"FROM alpine@{digest}\n"
        f"FROM alpine:latest@{digest}\n"
        "FROM alpine:3.20\n"
        "COPY --from=build /app /app\n"
        "COPY --from=nginx /etc/nginx /etc/nginx\n"  # a bare word: maybe a named build context
    )
    assert findings("DF604", src) == []


def test_df604_tags_from_args():
    src = "ARG TAG=latest\nFROM node:$TAG\n"
    assert findings("DF604", src) == [
        ("DF604", 2, 6, latest("`node:$TAG` (`node:latest` with ARG TAG at line 1)", "node"))]
    assert findings("DF604", "ARG TAG=20.11\nFROM node:$TAG\n") == []
    assert findings("DF604", "ARG TAG\nFROM node:${TAG}\n") == []  # chosen at build time
    assert findings("DF604", "ARG TAG=latest\nFROM node:$TAG\n", build_args={"TAG": "22"}) == []
    src = "ARG BASE_IMAGE=quay.io/jupyter/base-notebook\nFROM $BASE_IMAGE\n"
    assert findings("DF604", src) == [("DF604", 2, 6, untagged(
        "`$BASE_IMAGE` (`quay.io/jupyter/base-notebook` with ARG BASE_IMAGE at line 1)",
        "quay.io/jupyter/base-notebook"))]
    assert findings("DF604", "ARG IMAGE\nFROM $IMAGE\n") == []
    assert findings("DF604", "ARG V\nFROM python${V}\n") == []  # the variable may bring the tag


def test_df604_unknown_registry_does_not_hide_a_missing_tag():
    src = "ARG REGISTRY\nFROM ${REGISTRY}/team/app\n"
    assert [(line, column) for _, line, column, _ in findings("DF604", src)] == [(2, 6)]


def test_df604_images_in_copy_from_and_run_mount():
    src = (
        "FROM python:3.12-slim\n"
        "COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n"
        "RUN --mount=type=bind,from=crazymax/gomod-updates,source=/x,target=/x true\n"
    )
    assert findings("DF604", src) == [
        ("DF604", 2, 6, latest("`ghcr.io/astral-sh/uv:latest`", "ghcr.io/astral-sh/uv")),
        ("DF604", 3, 5, untagged("`crazymax/gomod-updates`", "crazymax/gomod-updates")),
    ]


def test_df604_continuation_line():
    src = "FROM \\\n    alpine \\\n    AS base\n"
    assert [(line, column) for _, line, column, _ in findings("DF604", src)] == [(2, 5)]


def test_df604_hadolint_ignores_silence_it():
    assert "DF604" in codes("FROM alpine\n")
    assert "DF604" not in codes("# hadolint ignore=DL3006\nFROM alpine\n")
    assert "DF604" not in codes("# hadolint ignore=DL3007\nFROM alpine:latest\n")


def test_df605_policy_rule_off_by_default():
    assert "DF605" not in codes("FROM alpine:3.20\n")
    digest = "sha256:" + "b" * 64
    src = (
        "FROM alpine:3.20 AS a\n"
        f"FROM alpine:3.20@{digest} AS b\n"
        "FROM a\n"
        "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n"
        "FROM scratch\n"
    )
    assert findings("DF605", src) == [
        ("DF605", 1, 6, "`alpine:3.20` is not pinned by digest: the tag `3.20` can be moved to other content; pin it "
                        "as `alpine:3.20@sha256:<digest>`"),
        ("DF605", 4, 6, "`ghcr.io/astral-sh/uv:0.5` is not pinned by digest: the tag `0.5` can be moved to other "
                        "content; pin it as `ghcr.io/astral-sh/uv:0.5@sha256:<digest>`"),
    ]
    assert findings("DF605", "ARG REF\nFROM alpine${REF}\n") == []  # the variable may bring the digest


def test_df606_nothing_without_a_list():
    assert findings("DF606", "FROM ghcr.io/x/y:1\n") == []
    assert "DF606" not in codes("FROM ghcr.io/x/y:1\n")


def test_df606_registries_and_docker_hub_spellings():
    src = (
        "FROM python:3.12 AS a\n"
        "FROM library/python:3.12 AS b\n"
        "FROM docker.io/library/python:3.12 AS c\n"
        "FROM index.docker.io/bitnami/nginx:1.27 AS d\n"
        "FROM ghcr.io/astral-sh/uv:0.5 AS e\n"
        "FROM registry.example.com:5000/team/app:1 AS f\n"
        "FROM scratch\n"
        "COPY --from=quay.io/team/tool:1 /t /t\n"
    )
    allowed = {"allowed-registries": ["hub.docker.com", "registry.example.com:5000"]}
    assert run("DF606", src, allowed) == [
        ("DF606", 5, 6, "`ghcr.io/astral-sh/uv:0.5` comes from ghcr.io, which is not an allowed registry "
                        "(hub.docker.com, registry.example.com:5000); pull it from an allowed registry or mirror"),
        ("DF606", 8, 6, "`quay.io/team/tool:1` comes from quay.io, which is not an allowed registry "
                        "(hub.docker.com, registry.example.com:5000); pull it from an allowed registry or mirror"),
    ]
    only_mirror = {"allowed-registries": ["registry.example.com:5000"]}
    assert [line for _, line, _, _ in run("DF606", src, only_mirror)] == [1, 2, 3, 4, 5, 8]
    assert "from Docker Hub (docker.io)" in run("DF606", src, only_mirror)[0][3]


def test_df606_wildcards_and_path_prefixes():
    src = (
        "FROM eu.mirror.example.com/python:3.12 AS a\n"
        "FROM python:3.12 AS b\n"
        "FROM bitnami/nginx:1.27 AS c\n"
        "FROM gcr.io/distroless/static-debian12 AS d\n"
        "FROM gcr.io/other-project/app:1\n"
    )
    allowed = {"allowed-registries": ["*.example.com", "docker.io/library", "gcr.io/distroless"]}
    assert [line for _, line, _, _ in run("DF606", src, allowed)] == [3, 5]


def test_df606_unknown_registry_is_not_reported():
    src = "ARG REGISTRY\nARG IMAGE\nFROM ${REGISTRY}/team/app:1\nFROM $IMAGE\nFROM $UNDEFINED\n"
    assert run("DF606", src, {"allowed-registries": ["registry.example.com"]}) == []
    src = "ARG REGISTRY=ghcr.io\nFROM ${REGISTRY}/team/app:1\n"
    assert [line for _, line, _, _ in run("DF606", src, {"allowed-registries": ["registry.example.com"]})] == [2]

