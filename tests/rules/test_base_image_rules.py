"""What the base image brings, as the runtime rules see it: the CMD, ENTRYPOINT and USER of an official image"""

from support import findings, model_of


def test_a_stage_starts_with_the_configuration_of_a_known_image():
    stage = model_of("FROM nginx:1.27\n").stages[0]
    rt = stage.runtime
    assert rt.known_base
    assert (rt.entrypoint.words, rt.entrypoint.image, rt.entrypoint.keyword, rt.entrypoint.inherited) == (
        ("/docker-entrypoint.sh",), "nginx:1.27", "ENTRYPOINT", True)
    assert (rt.cmd.words, rt.cmd.display) == (("nginx", "-g", "daemon off;"), 'CMD ["nginx", "-g", "daemon off;"]')
    assert rt.argv == ("/docker-entrypoint.sh", "nginx", "-g", "daemon off;")
    assert rt.user is None  # nginx sets no USER: it runs as root
    # an image that sets a USER; one the table does not know; one it knows only the OS of (an old release)
    assert model_of("FROM memcached:1.6-alpine\n").stages[0].runtime.user.value == "memcache"
    for text in ("FROM ghcr.io/acme/nginx:1.27\n", "FROM python:2.7\n", "ARG TAG\nFROM node:$TAG\n"):
        rt = model_of(text).stages[-1].runtime
        assert (rt.known_base, rt.cmd, rt.entrypoint, rt.user) == (False, None, None, None), text
    # through FROM <stage>, and reset by an ENTRYPOINT
    model = model_of('FROM node:22 AS base\nFROM base\nENTRYPOINT ["tini", "--"]\n')
    child = model.stages[1].runtime
    assert (child.cmd, child.reset_cmd.words, child.reset_cmd.image) == (None, ("node",), "node:22")


def test_which_sh_and_how_dfcheck_knows():
    model = model_of("FROM docker:29\nFROM ghcr.io/acme/docker:29\nFROM scratch\nFROM python:3.12-alpine AS a\n"
                     "FROM a\n")
    assert [model.image_sh(s) for s in model.stages] == [
        ("ash", "table"),  # docker:29 is built on Alpine; its name does not say so
        ("dash", "guess"), ("none", "scratch"), ("ash", "table"), ("ash", "table")]


def test_a_named_context_replaces_a_stage_or_an_image():
    contexts = {"base": "docker-image://nginx:1.27", "shared": "/repo/libs/shared", "Tools": "/repo/tools"}
    model = model_of("FROM python:3.12 AS base\nFROM base AS prod\nCOPY --from=shared . /s\n"
                     "RUN --mount=from=tools,target=/t true\nCOPY --from=base /a /a\n", named_contexts=contexts)
    base, prod = model.stages
    assert (prod.base_stage, prod.base_context, model.base_image(prod)) == (None, "docker-image://nginx:1.27",
                                                                              "nginx:1.27")
    assert prod.runtime.cmd.image == "nginx:1.27"
    assert [(r.name, r.stage, r.context) for r in prod.references] == [
        ("shared", None, "/repo/libs/shared"), ("tools", None, "/repo/tools"), ("base", None,
                                                                                "docker-image://nginx:1.27")]
    # without the contexts: a stage, and images
    model = model_of("FROM python:3.12 AS base\nFROM base AS prod\nCOPY --from=shared . /s\n")
    assert model.stages[1].base_stage is model.stages[0]
    assert [(r.name, r.context) for r in model.stages[1].references] == [("shared", None)]
    # a local directory as FROM is no image: nothing known about it; `scratch` and `context` are reserved
    model = model_of("FROM base\nFROM scratch\n", named_contexts={"base": "/repo/base", "scratch": "/x"})
    assert (model.base_image(model.stages[0]), model.stages[0].runtime.known_base) == (None, False)
    assert model.stages[1].is_scratch


def test_a_named_context_is_no_unknown_stage_and_no_image():
    src = ("FROM golang:1.23 AS build\nCOPY --from=shared . /src/shared\nRUN --mount=from=tools,target=/t go build\n"
           "FROM base\nCOPY --from=build /out /out\n")
    contexts = {"shared": "/repo/libs/shared", "tools": "docker-image://ghcr.io/acme/tools:1", "base": "/repo/base"}
    assert findings("DF414", src, named_contexts=contexts) == []
    assert findings("DF413", src, named_contexts=contexts) == []
    assert findings("DF604", src, named_contexts=contexts) == []
    # without them: images pulled from Docker Hub
    assert [message.split(":")[0] for _, _, _, message in findings("DF414", src)] == [
        "no stage is named shared", "no stage is named tools"]
    assert [line for _, line, _, _ in findings("DF604", src)] == [4]

