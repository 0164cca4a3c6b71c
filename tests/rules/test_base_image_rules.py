"""What the base image brings, as the runtime rules see it: the CMD, ENTRYPOINT and USER of an official image
in dfcheck's table, and its /bin/sh. An image the table does not know keeps the old behaviour."""

from support import findings, model_of, raw_findings


# -- the model ------------------------------------------------------------------------------------------------

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


# -- DF304 shell-entrypoint-ignores-cmd: only where a CMD really survives ------------------------------------

def test_df304_an_entrypoint_resets_the_image_cmd_so_nothing_is_dropped():
    assert findings("DF304", "FROM node\nENTRYPOINT node server.js\n") == []
    assert findings("DF304", "FROM nginx:1.27\nENTRYPOINT nginx -g 'daemon off;'\n") == []
    assert findings("DF304", "FROM node:22 AS base\nFROM base\nENTRYPOINT node server.js\n") == []


def test_df304_a_cmd_set_before_the_entrypoint_survives():
    assert findings("DF304", 'FROM node:22\nCMD ["--port", "80"]\nENTRYPOINT node server.js\n') == [
        ("DF304", 3, 1, 'shell-form ENTRYPOINT runs ["/bin/sh", "-c", "node server.js"]; CMD ["--port", "80"] at '
                        "line 2 is dropped, and so are `docker run` arguments")]


# -- DF305 shell-entrypoint-no-signals: /bin/sh from the table -----------------------------------------------

def test_df305_takes_the_shell_from_the_table():
    # docker:29 is Alpine: BusyBox ash execs the lone command, dockerd is PID 1
    assert findings("DF305", "FROM docker:29\nENTRYPOINT dockerd --debug\n") == []
    # the same name on another registry: not in the table, guessed Debian's dash, which forks
    assert [line for _, line, _, _ in findings("DF305", "FROM ghcr.io/acme/docker:29\nENTRYPOINT dockerd --debug\n")
            ] == [2]


def test_df305_a_cmd_on_an_image_without_entrypoint_runs():
    assert findings("DF305", "FROM python:3.12\nCMD cd /app && python -m app\n") == [
        ("DF305", 2, 1, 'shell-form CMD runs ["/bin/sh", "-c", "cd /app && python -m app"]: the shell stays PID 1 '
                        "and does not pass SIGTERM on to python; use the exec form, or start the command with `exec`")]
    # an image with an entrypoint script: DF306's
    assert findings("DF305", "FROM node:22\nCMD cd /app && node server.js\n") == []


# -- DF306 exec-entrypoint-shell-cmd: the image's entrypoint script -------------------------------------------

def test_df306_nginx_entrypoint_skips_its_init_scripts():
    [finding] = raw_findings("DF306", 'FROM nginx\nCMD nginx -g "daemon off;"\n')
    assert (finding.span.line, finding.span.column, finding.message) == (
        2, 1,
        'shell-form CMD reaches ENTRYPOINT ["/docker-entrypoint.sh"] of the base image `nginx` as arguments: runs '
        '["/docker-entrypoint.sh", "/bin/sh", "-c", "nginx -g \\"daemon off;\\""]; /docker-entrypoint.sh runs the '
        "scripts in /docker-entrypoint.d/ (configuration templates, IPv6 listen, worker tuning) only when its first "
        'argument is nginx or nginx-debug, and gets /bin/sh; write CMD ["nginx", "-g", "daemon off;"]')
    [edit] = finding.fix.edits
    assert (finding.fix.applicability, edit.text) == ("unsafe", '["nginx", "-g", "daemon off;"]')


def test_df306_node_entrypoint_through_a_stage():
    assert findings("DF306", "FROM node:22-alpine AS base\nFROM base\nCMD node server.js\n") == [
        ("DF306", 3, 1, 'shell-form CMD reaches ENTRYPOINT ["docker-entrypoint.sh"] of the base image '
                        '`node:22-alpine` as arguments: runs ["docker-entrypoint.sh", "/bin/sh", "-c", '
                        '"node server.js"]; write CMD ["node", "server.js"]')]


def test_df306_silent_cases_from_the_table():
    assert findings("DF306", 'FROM nginx\nCMD ["nginx", "-g", "daemon off;"]\n') == []
    assert findings("DF306", "FROM python:3.12\nCMD python app.py\n") == []  # python sets no ENTRYPOINT
    assert findings("DF306", "FROM ghcr.io/acme/nginx\nCMD nginx\n") == []  # not in the table
    assert findings("DF306", "FROM nginx\nENTRYPOINT []\nCMD nginx\n") == []  # the script is gone


# -- DF307 entrypoint-resets-inherited-cmd: the image's CMD, as info -----------------------------------------

def test_df307_an_entrypoint_resets_the_image_cmd():
    [finding] = raw_findings("DF307", 'FROM nginx:1.27\nENTRYPOINT ["/entry.sh"]\n')
    assert (finding.span.line, finding.severity, finding.message) == (
        2, "info", 'ENTRYPOINT resets CMD ["nginx", "-g", "daemon off;"] of the base image `nginx:1.27`: runs '
                   '["/entry.sh"]; repeat the CMD after the ENTRYPOINT to keep it')
    assert finding.fix.edits[0].text == '\nCMD ["nginx", "-g", "daemon off;"]'
    # through a stage that sets nothing
    assert [(line, message.split(":")[0]) for _, line, _, message in findings(
        "DF307", 'FROM python:3.12 AS app\nFROM app\nENTRYPOINT ["tini", "--"]\n')] == [
        (3, 'ENTRYPOINT resets CMD ["python3"] of the base image `python')]


def test_df307_silent_cases_from_the_table():
    assert findings("DF307", 'FROM nginx\nCMD ["nginx"]\nENTRYPOINT ["/e"]\n') == []  # its own CMD first
    assert findings("DF307", 'FROM python:3.12\nENTRYPOINT ["python"]\nCMD ["app.py"]\n') == []
    assert findings("DF307", 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\n') == []  # no CMD
    assert findings("DF307", 'FROM ghcr.io/acme/python\nENTRYPOINT ["tini", "--"]\n') == []
    # the OS images' CMD only starts a shell: replacing it loses nothing
    assert findings("DF307", 'FROM alpine:3.20\nENTRYPOINT ["/traefik"]\n') == []
    assert findings("DF307", 'FROM ubuntu:24.04 AS base\nFROM base\nENTRYPOINT ["tini", "--", "start.sh"]\n') == []


# -- named contexts: neither unknown stages nor images ---------------------------------------------------------

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
