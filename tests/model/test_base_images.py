"""What the official base images bring: the shipped table, its lookup by image reference, and the model's access."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dfcheck.model.base_images import facts_for, parse_reference
from support import model_of

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
DEBIAN_ROOT = dict(os="debian", sh="dash", package_manager="apt", user="")
ALPINE_ROOT = dict(os="alpine", sh="ash", package_manager="apk", user="")


def facts(ref):
    found = facts_for(ref)
    assert found is not None, ref
    return found


def check(found, **expected):
    assert {name: getattr(found, name) for name in expected} == expected


# -- the table's rows, through the tags people write ------------------------------------------------------------


def test_nginx_rows():
    nginx = dict(cmd=("nginx", "-g", "daemon off;"), entrypoint=("/docker-entrypoint.sh",), workdir="/",
                 shell=("/bin/sh", "-c"), runtime=None, exact=True)
    check(facts("nginx"), **DEBIAN_ROOT, **nginx, version=None)  # mainline and stable: versions differ
    check(facts("nginx:mainline"), **DEBIAN_ROOT, **nginx, version="1.27.4")
    check(facts("nginx:1.27-alpine"), **ALPINE_ROOT, **nginx, version="1.27.4")
    check(facts("nginx:stable-alpine-slim"), **ALPINE_ROOT, **nginx, version="1.26.3")
    # nginx:*-alpine is FROM nginx:*-alpine-slim: its settings come through the table
    assert facts("nginx:mainline-alpine").sources == (
        "nginxinc/docker-nginx@b430becb8f0f6b8d69e68cc73a82ea2873c38639 mainline/alpine/Dockerfile, 2026-12-02",)


def test_node_rows():
    node = dict(cmd=("node",), entrypoint=("docker-entrypoint.sh",), workdir="/", runtime="node", exact=True)
    check(facts("node:22"), **DEBIAN_ROOT, **node, runtime_version="22.23.2")
    check(facts("node:22-bookworm-slim"), **DEBIAN_ROOT, **node, runtime_version="22.23.2")
    check(facts("node:24-alpine3.24"), **ALPINE_ROOT, **node, runtime_version="24.19.0")
    check(facts("node:alpine"), **ALPINE_ROOT, **node, runtime_version=None)  # the latest: 22, 24 or 26


def test_python_rows():
    python = dict(cmd=("python3",), entrypoint=(), workdir="/", runtime="python", exact=True)
    check(facts("python:3.12-alpine"), **ALPINE_ROOT, **python, runtime_version="3.12.13")
    check(facts("python:3.12-bookworm"), **DEBIAN_ROOT, **python, runtime_version="3.12.13")
    # no slim Dockerfile in the table: a slim variant has its full variant's configuration
    check(facts("python:3.12-slim"), **DEBIAN_ROOT, **python, runtime_version="3.12.13")
    check(facts("python:3.11-slim-trixie"), **DEBIAN_ROOT, **python, runtime_version="3.11.15")
    check(facts("python:3.12.8-slim"), **DEBIAN_ROOT, **python, runtime_version="3.12.8")  # the tag's patch release
    check(facts("python:3"), **DEBIAN_ROOT, **python, runtime_version="3")
    check(facts("python"), **DEBIAN_ROOT, **python, runtime_version=None)


def test_images_built_on_images_inherit_what_they_do_not_set():
    check(facts("ghost:6-alpine"), **ALPINE_ROOT, cmd=("node", "current/index.js"),
          entrypoint=("docker-entrypoint.sh",), workdir="/var/lib/ghost", runtime="node", runtime_version="22.23.2")
    check(facts("php:8.3-fpm-alpine3.23"), **ALPINE_ROOT, cmd=("php-fpm",), entrypoint=("docker-php-entrypoint",),
          workdir="/var/www/html", runtime="php", runtime_version="8.3.33")
    check(facts("php:8.4-alpine"), cmd=("php", "-a"), workdir="/")  # cli, the default flavour
    check(facts("golang:1.26"), **DEBIAN_ROOT, cmd=("bash",), entrypoint=(), workdir="/go", runtime="go")
    check(facts("memcached:alpine"), user="memcache", cmd=("memcached",))
    check(facts("docker:29-dind-rootless"), user="rootless", cmd=(), entrypoint=("dockerd-entrypoint.sh",))
    assert facts("memcached:alpine").runs_as_root is False and facts("python:3.12").runs_as_root is True


def test_os_images_are_kept_by_hand_for_every_tag():
    check(facts("debian:bookworm-slim"), **DEBIAN_ROOT, cmd=("bash",), entrypoint=(), sources=("by hand, 2026-12-02",))
    check(facts("ubuntu:24.04"), os="ubuntu", sh="dash", package_manager="apt", cmd=("/bin/bash",))
    check(facts("alpine"), **ALPINE_ROOT, cmd=("/bin/sh",))
    check(facts("fedora:41"), os="fedora", sh="bash", package_manager="dnf", cmd=("/bin/bash",))
    check(facts("busybox:musl"), os="busybox", sh="ash", package_manager="", cmd=("sh",))


def test_an_unknown_version_gives_only_what_every_row_of_its_variant_says_about_the_os():
    check(facts("node:20-alpine"), **{**ALPINE_ROOT, "user": None}, runtime="node", runtime_version="20",
          cmd=None, entrypoint=None, workdir=None, exact=False)
    check(facts("python:3.9-slim"), os="debian", sh="dash", user=None, cmd=None, runtime_version="3.9", exact=False)
    check(facts("node:lts-alpine"), os="alpine", runtime_version=None, exact=False)  # a name the table lacks


@pytest.mark.parametrize("ref", [
    "ghcr.io/acme/python:3.12",  # another registry
    "bitnami/redis:7",  # a Docker Hub image that is not an official one
    "python:3.12-nosuchvariant",
    "python@sha256:0123456789abcdef",  # a digest alone: any variant
    "php:8.3",  # php's Debian variants are not in the table
    "scratch",
    "python:${VERSION}",
    "",
])
def test_references_the_table_cannot_answer(ref):
    assert facts_for(ref) is None


def test_registry_prefixes_of_official_images():
    assert parse_reference("docker.io/library/python:3.12-slim") == ("python", "3.12-slim")
    assert parse_reference("index.docker.io/library/node") == ("node", "latest")
    assert parse_reference("docker.io/nginx:alpine@sha256:00") == ("nginx", "alpine")
    assert parse_reference("localhost:5000/python") == ("localhost:5000/python", "latest")
    assert facts("docker.io/library/python:3.12-slim").runtime_version == "3.12.13"
    assert facts("library/nginx:mainline").version == "1.27.4"


# -- the model follows the FROM lineage to the external image -------------------------------------------------


def test_model_base_facts_follows_the_lineage():
    model = model_of(
        "ARG PY=3.12\nARG TAG\nFROM python:${PY}-slim AS base\nFROM base AS app\nFROM node:${TAG}\nFROM scratch\n")
    base, app, node, scratch = model.stages
    assert model.base_facts(base).runtime_version == "3.12.13"
    assert model.base_facts(app).runtime_version == "3.12.13"  # FROM base: the same external image
    assert model.base_facts(node) is None  # TAG has no value
    assert model.base_facts(scratch) is None
    given = model_of("ARG TAG\nFROM node:${TAG}\n", build_args={"TAG": "22-alpine"})
    check(given.base_facts(given.stages[0]), os="alpine", entrypoint=("docker-entrypoint.sh",))


@pytest.mark.parametrize("text, loaded", [
    ("FROM python:3.12-slim\nRUN pip install flask\nCMD python app.py\n", "LOADED"),
    # no official image: the table is not read
    ("FROM ghcr.io/acme/base:1 AS build\nFROM scratch\nCOPY --from=build /app /app\n", "NOT LOADED"),
])
def test_linting_loads_the_table_only_for_official_images(tmp_path, text, loaded):
    """The table is read only when a stage is built on an image it may know."""
    (tmp_path / "Dockerfile").write_text(text)
    probe = ("import sys, dfcheck.cli\ndfcheck.cli.main(['--no-config', 'Dockerfile'])\n"
             "print('LOADED' if 'dfcheck.model.base_image_table' in sys.modules else 'NOT LOADED')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO)] + [p for p in sys.path if p]))
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == loaded, out.stdout + out.stderr


# -- the table is what the generator makes of the corpus ------------------------------------------------------


@pytest.mark.skipif(not (CORPUS / "manifest.tsv").is_file(), reason="../shared/corpus is not present (fresh clone)")
def test_the_shipped_table_is_the_generators_output_on_the_corpus():
    spec = importlib.util.spec_from_file_location("base_images_script", REPO / "scripts" / "base_images.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text, skipped = script.generate(CORPUS, script._previous_rows())
    shipped = (REPO / "dfcheck" / "model" / "base_image_table.py").read_text(encoding="utf-8")
    assert text == shipped, "run: python scripts/base_images.py"
    # what the corpus has but the table cannot derive: Windows and Red Hat UBI bases, and bases it lacks
    assert "docker-library/python 3.12/bookworm/Dockerfile" not in "\n".join(skipped)
    assert any(s.startswith("docker-library/python 3.13/windows/") for s in skipped)


def test_trees_of_known_layout_in_official_images():
    from dfcheck.model.base_images import known_tree, tree_holds

    assert known_tree("eclipse-temurin:21-jre-alpine", "/opt/java/openjdk/") == "JDK"
    assert tree_holds("eclipse-temurin:17", "/opt/java/openjdk/conf/security/java.security") == "JDK"
    assert tree_holds("eclipse-temurin", "/opt/java/openjdk/lib/security/cacerts") == "JDK"
    # A file not every JDK holds, a JDK 8 (jre/lib/security), a digest (no version), another image, another path.
    assert tree_holds("eclipse-temurin:17", "/opt/java/openjdk/conf/custom.policy") is None
    assert tree_holds("eclipse-temurin:8u402-b06-jdk", "/opt/java/openjdk/conf/security/java.security") is None
    assert tree_holds("eclipse-temurin@sha256:" + "0" * 64, "/opt/java/openjdk/release") is None
    assert tree_holds("openjdk:17", "/opt/java/openjdk/release") is None
    assert tree_holds("eclipse-temurin:17", "/opt/java/release") is None


def test_the_debian_or_ubuntu_release_and_its_dash_pipefail():
    from dfcheck.model.base_images import dash_pipefail, debian_release

    assert [debian_release(ref) for ref in ("debian:12-slim", "debian:bookworm-20240101", "ubuntu:22.04",
                                            "node:20-bookworm-slim", "mcr.microsoft.com/devcontainers/base:jammy",
                                            "buildpack-deps:noble-curl")] == [
        ("debian", 12), ("debian", 12), ("ubuntu", (22, 4)), ("debian", 12), ("ubuntu", (22, 4)), ("ubuntu", (24, 4))]
    # moving tags, and official images whose rows span several releases, name none
    assert [debian_release(ref) for ref in ("debian:latest", "debian:stable", "ubuntu", "python:3.12-slim")] == [
        None, None, None, None]
    # Debian's dash 0.5.12-7 added pipefail: Debian 13 and Ubuntu 25.04 have it; Ubuntu 24.10's is not known
    assert [dash_pipefail(ref) for ref in ("debian:bookworm", "debian:13", "debian:sid", "ubuntu:24.04",
                                           "ubuntu:24.10", "ubuntu:25.04", "debian:latest", None)] == [
        False, True, True, False, None, True, None, None]
