"""DF203: package cache in layer (rules/df203_package_cache_in_layer.py)."""

import pytest

from support import findings, raw_findings

from layer_rules_support import _fixed


def test_df203_apt_lists_with_fix():
    src = "FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    [finding] = raw_findings("DF203", src)
    assert (finding.span.line, finding.span.column) == (2, 5)
    assert finding.message == (
        "`apt-get update` leaves the apt lists (/var/lib/apt/lists) in this layer; remove them in the same RUN with "
        "`rm -rf /var/lib/apt/lists/*`, or mount it with `RUN --mount=type=cache,target=/var/lib/apt/lists`")
    assert finding.fix.applicability == "safe"
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.text) == (2, 70, " && rm -rf /var/lib/apt/lists/*")


def test_df203_no_fix_removes_the_lists_a_later_install_needs():
    src = "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y vim\n"
    [finding] = raw_findings("DF203", src)
    assert finding.fix is None  # the install at line 3 would fail without them
    src = "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y vim\n"
    assert [f.fix.applicability for f in raw_findings("DF203", src)] == ["safe", "safe"]


def test_df203_flags_for_pip_and_apk():
    [finding] = raw_findings("DF203", "FROM python\nRUN pip install -r requirements.txt\n")
    assert finding.message.startswith("`pip install -r requirements.txt` leaves the pip cache (/root/.cache/pip)")
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.text) == (2, 16, " --no-cache-dir")
    [finding] = raw_findings("DF203", "FROM alpine\nRUN apk add curl\n")
    assert finding.fix.edits[0].text == " --no-cache" and finding.fix.edits[0].span.column == 12
    [finding] = raw_findings("DF203", "FROM alpine\nRUN apk update && apk add curl\n")
    assert finding.fix is None and finding.span.column == 5


def test_df203_each_manager():
    cases = {
        "FROM fedora:40\nRUN dnf install -y git\n": "dnf cache (/var/cache/dnf)",
        # Fedora 41 and later run dnf5 as dnf; its cache moved
        "FROM fedora\nRUN dnf install -y git\n": "dnf5 cache (/var/cache/libdnf5)",
        "FROM fedora:40\nRUN dnf5 install -y git\n": "dnf5 cache (/var/cache/libdnf5)",
        "FROM rockylinux:9\nRUN dnf rei -y git\n": "dnf cache (/var/cache/dnf)",
        "FROM rockylinux:9\nRUN dnf up-min -y\n": "dnf cache (/var/cache/dnf)",
        "FROM centos\nRUN yum install -y git\n": "yum cache (/var/cache/yum)",
        "FROM opensuse/leap\nRUN zypper install -y git\n": "zypper cache (/var/cache/zypp)",
        "FROM node\nRUN npm install -g pnpm\n": "npm cache (/root/.npm)",
        "FROM node\nRUN yarn install\n": "yarn cache (/usr/local/share/.cache/yarn)",
        "FROM golang\nRUN go build -o /bin/app .\n": "Go build cache (/root/.cache/go-build)",
    }
    for src, what in cases.items():
        assert any(what in m for _, _, _, m in findings("DF203", src)), src


def test_df203_a_cache_without_a_flag_or_a_clean_command_gets_a_cache_mount():
    # the rust images set CARGO_HOME=/usr/local/cargo: the registry is there, and the mount needs USER root
    src = ("FROM rust:1.80\nUSER root\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n"
           "CMD [\"/src/target/release/app\"]\n")
    [finding] = raw_findings("DF203", src)
    assert (finding.fix.applicability, finding.fix.description) == (
        "unsafe", "Keep the Cargo registry in a cache mount: `RUN --mount=type=cache,target=/usr/local/cargo/registry`")
    assert _fixed("DF203", src) == [
        src.replace("RUN cargo", "RUN --mount=type=cache,target=/usr/local/cargo/registry cargo")]
    # after `# syntax=` naming a frontend that has RUN --mount
    for syntax in ("docker/dockerfile:1", "docker/dockerfile:1.4-labs", "docker.io/docker/dockerfile:1.2@sha256:ab",
                   "docker/dockerfile-upstream:master", "docker/dockerfile:1.0-experimental"):
        assert raw_findings("DF203", f"# syntax={syntax}\n{src}")[0].fix is not None, syntax


def test_df203_names_the_cache_where_the_environment_puts_it():
    # the rust images set CARGO_HOME=/usr/local/cargo
    assert findings("DF203", "FROM rust:1.85\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n") == [(
        "DF203", 4, 5, "`cargo build --release` leaves the Cargo registry (/usr/local/cargo/registry) in this layer; "
                       "build in another stage and copy the binary, or mount it with "
                       "`RUN --mount=type=cache,target=/usr/local/cargo/registry`")]
    src = "FROM python:3.12\nENV XDG_CACHE_HOME=/cache\nRUN pip install flask\n"
    assert findings("DF203", src) == [(
        "DF203", 3, 5, "`pip install flask` leaves the pip cache (/cache/pip) in this layer; use `pip install "
                       "--no-cache-dir`, or mount it with `RUN --mount=type=cache,target=/cache/pip`")]
    # a cache cleaned where it is: nothing left
    assert findings("DF203", "FROM composer:2\nWORKDIR /app\nRUN composer install && composer clear-cache\n") == []
    assert findings("DF203", "FROM golang:1.22\nENV XDG_CACHE_HOME=/c\nRUN go build -o /a . && go clean -cache "
                             "-modcache\n") == []


@pytest.mark.parametrize("src", [
    # a later instruction runs the tool, or names the cache
    "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"mvn\", \"spring-boot:run\"]\n",
    "FROM maven:3 AS build\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nFROM build\nRUN ls /root/.m2/repository\n",
    # an earlier layer filled the directory the mount would hide
    "FROM golang:1.22\nUSER root\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app . && go clean -cache\n",
    # a frontend without RUN --mount, or one dfcheck does not know
    "# syntax=docker/dockerfile:1.1\nFROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build\n",
    "# syntax=example.com/my/frontend:2\nFROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build\n",
    # a cache outside /root, and a base image not known to run as root
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app . && go clean -cache\n",
    "FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n",
])
def test_df203_no_cache_mount_when_something_needs_the_cache(src):
    assert not any(f.fix and "cache mount" in f.fix.description for f in raw_findings("DF203", src))


def test_df203_fine_cases():
    assert findings("DF203", "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n") == []
    assert findings("DF203", "FROM alpine\nRUN apk add --no-cache curl\n") == []
    assert findings("DF203", "FROM python\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n") == []
    assert findings("DF203", "FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n") == []
    assert findings("DF203", "FROM centos\nRUN yum install -y git && yum clean all\n") == []
    # A builder stage the image only copies from:
    assert findings("DF203", "FROM golang AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n") == []


def test_df203_apt_archives_once_docker_clean_is_deleted():
    # The official Debian images delete downloaded .debs (docker-clean): a Dockerfile that deletes that file keeps
    # them in /var/cache/apt/archives, which a cache mount on the lists alone does not cover.
    src = ("FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\n"
           "RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y python3\n")
    assert findings("DF203", src) == [(
        "DF203", 3, 62, "`apt-get install -y python3` leaves the apt package cache (/var/cache/apt/archives) in this "
                        "layer; run `apt-get clean` in the same RUN (the image's docker-clean was deleted), or mount it "
                        "with `RUN --mount=type=cache,target=/var/cache/apt/archives`")]
    [finding] = raw_findings("DF203", src)
    assert finding.fix.edits[0].text == " && apt-get clean"
    both = ("FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\n"
            "RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt \\\n"
            "    apt-get update && apt-get install -y python3\n")
    assert findings("DF203", both) == []
    cleaned = ("FROM debian:12\nRUN rm -rf /etc/apt/apt.conf.d/* && apt-get update && apt-get install -y curl "
               "&& apt-get clean && rm -rf /var/lib/apt/lists/*\n")
    assert findings("DF203", cleaned) == []
    kept = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    assert findings("DF203", kept) == []  # docker-clean still there


def test_df203_pip2_and_not_pipx():
    assert [f[3][:40] for f in findings("DF203", "FROM python:2.7\nRUN pip2 install MySQL_python\n")] == [
        "`pip2 install MySQL_python` leaves the p"]
    assert findings("DF203", "FROM python:3.12\nRUN pipx install black && pip install foo/bar\n") == []


def test_df203_dnf5_cache_is_cleaned_by_removing_it():
    assert findings("DF203", "FROM fedora:42\nRUN dnf install -y git && rm -rf /var/cache/libdnf5\n") == []
    assert findings("DF203", "FROM fedora:40\nRUN dnf install -y git && rm -rf /var/cache/dnf\n") == []
    assert findings("DF203", "FROM fedora:42\nRUN dnf install -y git && dnf clean all\n") == []


def test_df203_apt_lists_a_repository_setup_script_leaves_say_the_assumption():
    src = "FROM debian:12\nRUN curl -fsSL https://get.docker.com | sh\n"
    assert findings("DF203", src) == [(
        "DF203", 2, 41,
        "`sh` leaves the apt lists (/var/lib/apt/lists) in this layer (assuming the Docker install script runs "
        "apt-get update); remove them in the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount it with "
        "`RUN --mount=type=cache,target=/var/lib/apt/lists`",
    )]



def test_df203_hex_gem_nuget_and_go_get_caches():
    src = "FROM elixir:1.16\nWORKDIR /app\nRUN mix deps.get\n"
    assert findings("DF203", src) == [(
        "DF203", 3, 5, "`mix deps.get` leaves the Hex package cache (/root/.hex/packages) in this layer; build the "
        "release in another stage and copy it, or mount it with `RUN --mount=type=cache,target=/root/.hex/packages`")]
    src = "FROM ruby:3.3\nRUN gem install rails -v 7.2.2\n"
    assert findings("DF203", src) == [(
        "DF203", 2, 5, "`gem install rails -v 7.2.2` leaves the gem cache (/usr/local/bundle/cache) in this layer; "
        "delete the gem directory's `cache/` in the same RUN, or mount it with "
        "`RUN --mount=type=cache,target=/usr/local/bundle/cache`")]
    src = "FROM ruby:3.3\nENV GEM_HOME=/gems\nWORKDIR /app\nRUN bundle install\n"
    assert [m for _, _, _, m in findings("DF203", src)] == [
        "`bundle install` leaves the gem cache (/gems/cache) in this layer; delete the gem directory's `cache/` in "
        "the same RUN, or mount it with `RUN --mount=type=cache,target=/gems/cache`"]
    # `bundle install --path`: into the project's vendor directory, and not GEM_HOME's cache
    assert findings("DF203", "FROM ruby:3.3\nWORKDIR /app\nRUN bundle install --path vendor/bundle\n") == []
    # where the gem directory is unknown (not the ruby image, no GEM_HOME), nothing is said
    assert findings("DF203", "FROM debian:12\nRUN gem install rails\n") == []
    src = "FROM mono:6\nWORKDIR /src\nRUN nuget restore\n"
    assert [m.split(";")[0] for _, _, _, m in findings("DF203", src)] == [
        "`nuget restore` leaves the NuGet package cache (/root/.nuget/packages) in this layer"]
    src = "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go get github.com/foo/bar@v1.2.0\n"
    assert [m.split(";")[0] for _, _, _, m in findings("DF203", src)] == [
        "`go get github.com/foo/bar@v1.2.0` leaves the Go module cache (/go/pkg/mod) in this layer"]
    # no go.mod in sight: GOPATH-era use, into $GOPATH/src (no cache)
    assert findings("DF203", "FROM ubuntu:14.04\nENV GOPATH /go\nRUN go get golang.org/x/tools/cmd/cover\n") == []


@pytest.mark.parametrize("src", [
    "FROM elixir:1.16\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.hex mix deps.get\n",
    "FROM ruby:3.3\nRUN --mount=type=cache,target=/usr/local/bundle/cache gem install rails -v 7.2.2\n",
    "FROM ruby:3.3\nWORKDIR /app\nRUN --mount=type=tmpfs,target=/usr/local/bundle bundle install\n",
    "FROM mono:6\nWORKDIR /src\nRUN --mount=type=cache,target=/root/.nuget/packages nuget restore\n",
    # Composer keeps its cache in ~/.composer/cache where XDG is not in use: a mount there covers it too
    "FROM php:8.3\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.composer/cache composer install\n",
    "FROM php:8.3\nWORKDIR /app\nRUN --mount=type=tmpfs,target=/root/.cache/composer composer install\n",
    "FROM golang:1.22\nWORKDIR /src\n"
    "RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./...\n",
])
def test_df203_a_cache_or_tmpfs_mount_over_the_cache_keeps_it_out(src):
    assert findings("DF203", src) == []


def test_df203_a_mount_over_one_of_go_s_two_caches_leaves_the_other():
    src = "FROM golang:1.22\nWORKDIR /src\nRUN --mount=type=cache,target=/go/pkg/mod go build ./...\n"
    assert [m.split(";")[0] for _, _, _, m in findings("DF203", src)] == [
        "`go build ./...` leaves the Go build cache (/root/.cache/go-build) in this layer"]


def test_df203_answers_to_hadolint_s_cache_mount_codes():
    from dfcheck.config import default_settings
    from dfcheck.engine import lint_text, load_rules

    settings = default_settings(load_rules())
    for code, run in [("DL3069", "cargo build"), ("DL3070", "go build ./..."), ("DL3071", "mvn package"),
                      ("DL3072", "gradle build"), ("DL3073", "composer install"), ("DL3074", "dotnet restore"),
                      ("DL3075", "pnpm install"), ("DL3076", "mix deps.get"), ("DL3077", "bundle install")]:
        src = f"FROM ruby:3.3\nWORKDIR /app\nRUN {run}\n"
        assert [f.code for f in lint_text(src, "Dockerfile", settings).findings if f.code == "DF203"], run
        src = f"FROM ruby:3.3\nWORKDIR /app\n# hadolint ignore={code}\nRUN {run}\n"
        assert not [f for f in lint_text(src, "Dockerfile", settings).findings if f.code == "DF203"], run
