"""DF601-DF608: secrets in ARG/ENV and in instructions, the user the image runs as, downloads piped into a
shell or made without TLS verification, and the images a build pulls (moving tags, digests, registries)."""

from support import builtin_rules, findings, model_of, raw_findings

from dfcheck.config import default_settings
from dfcheck.engine import lint_text
from dfcheck.rule import Options

RULES = builtin_rules()
SETTINGS = default_settings(RULES.values())


def run(code, source, options=None, **model_options):
    """Like support.findings, with rule options."""
    rule = RULES[code]
    merged = Options({**rule.options, **(options or {})})
    return [(code, f.span.line, f.span.column, f.message)
            for f in rule.check(model_of(source, **model_options), merged)]


def codes(source, settings=SETTINGS):
    return [f.code for f in lint_text(source, "Dockerfile", settings).findings]


def spans(found):
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in found]


def test_security_rules_are_declared_with_their_mapped_codes():
    expected = {
        "DF601": ("secret-in-arg-or-env", "warning", True, ("DL3064",), ("SecretsUsedInArgOrEnv",)),
        "DF602": ("last-user-root", "warning", True, ("DL3002",), ()),
        "DF603": ("curl-pipe-shell", "warning", True, (), ()),
        "DF604": ("image-latest-or-untagged", "warning", True, ("DL3006", "DL3007"), ()),
        "DF605": ("image-not-pinned-by-digest", "info", False, (), ()),
        "DF606": ("untrusted-registry", "error", False, ("DL3026",), ()),
        "DF607": ("hardcoded-credential", "error", True, (), ()),
        "DF608": ("tls-verification-disabled", "warning", True, (), ()),
        "DF609": ("inherits-root-user", "warning", True, (), ()),
    }
    for code, (name, severity, enabled, hadolint, buildkit) in expected.items():
        r = RULES[code]
        assert (r.name, r.severity, r.enabled, r.hadolint, r.buildkit) == (name, severity, enabled, hadolint, buildkit)
        assert "security" in r.tags
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
            assert section in r.doc, (code, section)


# -- DF601 secret-in-arg-or-env ---------------------------------------------------------------------

ARG_WHY = ("its value is recorded in `docker history` for every later RUN of the stage, in the build cache and in "
           "provenance; "
           "pass it with `RUN --mount=type=secret` instead")
ENV_WHY = ("its value is stored in the image config, visible with `docker inspect` and `docker history`; pass "
           "build-time secrets with `RUN --mount=type=secret` and run-time ones with `docker run -e` or the "
           "orchestrator's secrets")


def test_df601_names_buildkit_reports():
    src = (
        "FROM alpine:3.20\n"
        "ARG AWS_SECRET_ACCESS_KEY\n"
        "ARG github_token=\n"
        "ENV NPM_AUTH=abc DB_PASSWORD=hunter2\n"
        "ENV Api_Key x\n"
    )
    assert findings("DF601", src) == [
        ("DF601", 2, 5, f"ARG AWS_SECRET_ACCESS_KEY is named like a secret: {ARG_WHY}"),
        ("DF601", 3, 5, f"ARG github_token is named like a secret: {ARG_WHY}"),
        ("DF601", 4, 5, f"ENV NPM_AUTH is named like a secret: {ENV_WHY}"),
        ("DF601", 4, 18, f"ENV DB_PASSWORD is named like a secret: {ENV_WHY}"),
        ("DF601", 5, 5, f"ENV Api_Key is named like a secret: {ENV_WHY}"),
    ]


def test_df601_names_buildkit_excludes_and_whole_parts_only():
    src = (
        "FROM alpine:3.20\n"
        "ARG SSH_PUBLIC_KEY\n"  # public
        "ARG DB_PASSWORD_FILE=/run/secrets/db\n"  # file
        "ARG TOKEN_VERSION=2\n"  # version
        "ARG MONKEY=1 KEYS=2 TOKENIZER=3 AUTHOR=me\n"  # not whole parts
    )
    assert findings("DF601", src) == []


def test_df601_names_dfcheck_keeps_out_public_key_ids_locations_and_switches():
    src = (
        "FROM python:3.12\n"
        "ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305\n"
        "ENV RABBITMQ_PGP_KEY_ID=0x0A9AF2115F4687BD29803A206B73A3A6\n"
        "ENV APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE=1\n"
        "ENV SSL_KEY_PATH=/etc/ssl/private/key.pem AUTH_URL=https://auth.example.com SECRET_NAME=db\n"
        "ENV API_KEY=\"\" REDIS_AUTH=false TLS_KEY=/etc/ssl/private/server.key\n"
        "ARG ENABLE_AUTH=true\n"
    )
    assert findings("DF601", src) == []
    # A private OpenPGP key is a secret again; so is `pass`/`pwd` as the last part, and `passphrase`.
    src = "FROM alpine:3.20\nARG GPG_PRIVATE_KEY\nENV NAGIOSADMIN_PASS nagios\nARG DB_PWD SIGNING_PASSPHRASE\n"
    assert [(line, column) for _, line, column, _ in findings("DF601", src)] == [(2, 5), (3, 5), (4, 5), (4, 12)]


def test_df601_env_copying_an_arg_keeps_the_secret_in_the_image():
    src = "FROM alpine:3.20\nARG TOKEN\nENV TOKEN=$TOKEN\n"
    assert [(line, message.split(":")[0]) for _, line, _, message in findings("DF601", src)] == [
        (2, "ARG TOKEN is named like a secret"), (3, "ENV TOKEN is named like a secret")]


def test_df601_global_args_are_not_reported_by_name_as_buildkit_does():
    src = "ARG REGISTRY_TOKEN\nFROM alpine:3.20\nRUN true\n"
    assert findings("DF601", src) == []
    # ... but redeclared in a stage the value reaches the stage's RUNs.
    src = "ARG REGISTRY_TOKEN\nFROM alpine:3.20\nARG REGISTRY_TOKEN\nRUN true\n"
    assert [(line, column) for _, line, column, _ in findings("DF601", src)] == [(3, 5)]


GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def test_df601_literal_credential_values_are_errors_whatever_the_name():
    src = (
        f"ARG BOOTSTRAP={GHP}\n"
        "FROM alpine:3.20\n"
        "ENV PIP_INDEX_URL=https://deploy:s3cr3tPa55@pypi.example.com/simple\n"
        "ENV SAMPLE=AKIAIOSFODNN7EXAMPLE\n"  # AWS's documented example key
        "ENV DATABASE_URL=postgres://app:password@db/app\n"  # a placeholder password
        "ENV MIRROR=https://user:${MIRROR_PASSWORD}@mirror.example.com\n"  # from a variable
    )
    found = raw_findings("DF601", src)
    assert [(f.span.line, f.span.column, f.severity, f.message) for f in found] == [
        (1, 15, "error", "ARG BOOTSTRAP is set to a GitHub token: the Dockerfile keeps it, and each stage that "
                         "declares it records it in `docker history`; revoke it, and pass it with "
                         "`RUN --mount=type=secret` instead"),
        (3, 19, "error", "ENV PIP_INDEX_URL is set to a password in a URL: its value is stored in the image config, "
                         "visible with `docker inspect` and `docker history`; revoke it, and pass build-time secrets "
                         "with `RUN --mount=type=secret` and run-time ones with `docker run -e` or the orchestrator's "
                         "secrets"),
    ]
    assert all(GHP not in f.message and "s3cr3tPa55" not in f.message for f in found)


def test_df601_secret_name_and_secret_value_give_one_finding():
    src = f"FROM alpine:3.20\nENV GITHUB_TOKEN={GHP}\n"
    assert [(line, column, message.split(":")[0]) for _, line, column, message in findings("DF601", src)] == [
        (2, 18, "ENV GITHUB_TOKEN is set to a GitHub token")]


def test_df601_private_key_value():
    src = 'FROM alpine:3.20\nENV DEPLOY="-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA"\n'
    assert [message.split(":")[0] for *_, message in findings("DF601", src)] == ["ENV DEPLOY is set to a private key"]


def test_df601_buildkit_skip_directive_silences_it():
    assert "DF601" in codes("FROM alpine:3.20\nARG NPM_TOKEN\n")
    assert "DF601" not in codes("# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nARG NPM_TOKEN\n")


# -- DF607 hardcoded-credential ---------------------------------------------------------------------

ADVICE = "revoke it, and pass it with `RUN --mount=type=secret` (or `--mount=type=ssh`) instead"
HISTORY = "the instruction's text is kept in the image's history (`docker history`) and in the Dockerfile"


def test_df607_password_in_a_url_on_a_continuation_line():
    src = (
        "FROM alpine:3.20\n"
        "RUN apk add --no-cache git \\\n"
        "    && git clone https://deploy:hunter22@git.example.com/team/app.git /src\n"
    )
    assert findings("DF607", src) == [
        ("DF607", 3, 33, f"RUN contains a password in a URL: {HISTORY}; {ADVICE}")]
    [finding] = raw_findings("DF607", src)
    assert spans([finding]) == [(3, 33, 3, 41)]  # exactly the password


def test_df607_tokens_in_run_heredoc_label_and_add():
    slack = "xoxb-" + "1234567890-abcdefghij"
    src = (
        "FROM alpine:3.20\n"
        "RUN <<EOF\n"
        "set -e\n"
        f"  curl -H 'Authorization: token {GHP}' https://api.github.com/user\n"
        "EOF\n"
        f"LABEL notify={slack}\n"
        "ADD https://bot:Zq8wPm2x@files.example.com/tool.tgz /opt/\n"
    )
    assert findings("DF607", src) == [
        ("DF607", 4, 33, f"RUN contains a GitHub token in a heredoc: the Dockerfile keeps it; {ADVICE}"),
        ("DF607", 6, 14, "LABEL contains a Slack token: labels are stored in the image config, visible with "
                         f"`docker inspect`; {ADVICE}"),
        ("DF607", 7, 17, f"ADD contains a password in a URL: {HISTORY}; {ADVICE}"),
    ]


def test_df607_variables_placeholders_and_arg_env_are_not_its_business():
    src = (
        "FROM alpine:3.20\n"
        "RUN --mount=type=secret,id=t,env=TOKEN git clone https://oauth2:${TOKEN}@gitlab.com/g/p.git\n"
        "RUN git clone https://user:password@git.example.com/r.git\n"
        "RUN echo AKIAIOSFODNN7EXAMPLE\n"
        f"ENV TOKEN={GHP}\n"  # DF601's
    )
    assert findings("DF607", src) == []


# -- DF602 last-user-root ---------------------------------------------------------------------------

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


# -- DF609 inherits-root-user ------------------------------------------------------------------------

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


def test_df602_hadolint_ignore_silences_it():
    assert "DF602" in codes("FROM debian:12\nUSER root\n")
    assert "DF602" not in codes("FROM debian:12\n# hadolint ignore=DL3002\nUSER root\n")


# -- DF603 curl-pipe-shell --------------------------------------------------------------------------

PIPE_ADVICE = ("the downloaded code runs unverified; download it to a file, check it against a known SHA-256 "
               "(`sha256sum -c`) or signature, then run it; or install the tool from a package")


def test_df603_curl_piped_into_sh():
    src = "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n"
    assert findings("DF603", src) == [
        ("DF603", 2, 5, f"curl pipes `https://example.com/install.sh` into sh: {PIPE_ADVICE}")]
    assert spans(raw_findings("DF603", src)) == [(2, 5, 2, 51)]


def test_df603_wget_to_stdout_through_sudo_with_script_arguments():
    src = (
        "FROM debian:12\n"
        "RUN apt-get update \\\n"
        " && wget -qO- https://get.example.com \\\n"
        "    | sudo -E bash -s -- --yes\n"
    )
    assert findings("DF603", src) == [
        ("DF603", 3, 5, f"wget pipes `https://get.example.com` into sudo bash: {PIPE_ADVICE}")]
    assert spans(raw_findings("DF603", src)) == [(3, 5, 4, 31)]


def test_df603_interpreters_reading_stdin():
    for tail, name in (("python3 -", "python3"), ("php -- --install-dir=/usr/local/bin", "php"),
                       ("bash /dev/stdin -v latest", "bash"), ("perl", "perl"), ("tee x.sh | sh -x", "sh")):
        src = f"FROM debian:12\nRUN curl -sSL https://x.example/get | {tail}\n"
        assert [message.split(": the")[0] for *_, message in findings("DF603", src)] == [
            f"curl pipes `https://x.example/get` into {name}"], tail


def test_df603_downloads_not_run_as_code():
    for run_line in (
        "curl -fsSL https://x.example/a.tgz | tar -xz",
        "curl -s https://api.example/v1 | python3 -c 'import json, sys; print(json.load(sys.stdin))'",
        "curl -fsSLo /tmp/i.sh https://x.example/i.sh && sh /tmp/i.sh",
        "curl -fsSLO https://x.example/i.sh | sh",  # -O writes the file; nothing reaches sh
        "wget https://x.example/i.sh | sh",  # wget writes to a file by default
        "curl -fsSL https://x.example/i.sh | bash -c 'cat > /tmp/i.sh'",
        "cat install.sh | sh",
        "sh -c \"echo $(curl -s https://x.example/v)\"",
    ):
        assert findings("DF603", f"FROM debian:12\nRUN {run_line}\n") == [], run_line


def test_df603_download_substituted_as_the_code():
    src = (
        "FROM debian:12\n"
        'RUN sh -c "$(curl -fsSL https://raw.example.com/install.sh)"\n'
        "RUN bash <(wget -O- https://x.example/setup)\n"
        'RUN eval "$(curl -s https://x.example/env)"\n'
    )
    assert findings("DF603", src) == [
        ("DF603", 2, 5, f"sh runs the output of curl (`https://raw.example.com/install.sh`) as code: {PIPE_ADVICE}"),
        ("DF603", 3, 5, f"bash runs the output of wget (`https://x.example/setup`) as code: {PIPE_ADVICE}"),
        ("DF603", 4, 5, f"eval runs the output of curl (`https://x.example/env`) as code: {PIPE_ADVICE}"),
    ]


def test_df603_heredoc_body_and_exec_form():
    src = (
        "FROM debian:12\n"
        "RUN <<EOF\n"
        "set -eux\n"
        "curl -fsSL https://x.example/install | bash\n"
        "EOF\n"
        'RUN ["/bin/sh", "-c", "curl -s https://y.example/i | sh"]\n'
    )
    assert [(line, column, message.split(": the")[0]) for _, line, column, message in findings("DF603", src)] == [
        (4, 1, "curl pipes `https://x.example/install` into bash"),
        (6, 23, "curl pipes `https://y.example/i` into sh"),
    ]


def test_df603_url_from_a_variable_is_shown_as_written():
    src = "FROM debian:12\nARG V=1\nRUN curl -fsSL \"https://x.example/$V/install.sh\" | sh\n"
    assert [message.split(": the")[0] for *_, message in findings("DF603", src)] == [
        "curl pipes `https://x.example/$V/install.sh` into sh"]


# -- DF604 image-latest-or-untagged -----------------------------------------------------------------

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


# -- DF605 image-not-pinned-by-digest ---------------------------------------------------------------

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


# -- DF606 untrusted-registry -----------------------------------------------------------------------

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


def test_df603_substitution_must_be_the_code_itself():
    src = (
        "FROM debian:12\n"
        "RUN . <(curl -fsSL https://x.example/env.sh)\n"
        "RUN python3 $(curl -s https://x.example/name)\n"  # a file named by the download, not its code
        "RUN bash -c \"$(cat local.sh)\"\n"
    )
    assert [(line, message.split(": the")[0]) for _, line, _, message in findings("DF603", src)] == [
        (2, ". runs the output of curl (`https://x.example/env.sh`) as code")]


# -- DF608 tls-verification-disabled ----------------------------------------------------------------

TLS_ADVICE = ("anyone on the network path can substitute what is downloaded; install the CA certificate that signs "
              "the server's (`update-ca-certificates`) instead")


def test_df608_download_options():
    src = (
        "FROM debian:12\n"
        "RUN curl -fsSLk https://x.example/a.tgz | tar -xz \\\n"
        " && wget --no-check-certificate -q https://x.example/b \\\n"
        " && git -c http.sslVerify=false clone https://git.example/r.git\n"
        "RUN pip install --trusted-host pypi.example.com app && npm config set strict-ssl false\n"
        "RUN curl --insecure -o /tmp/x https://x.example/x\n"
    )
    assert findings("DF608", src) == [
        ("DF608", 2, 10, f"`curl -fsSLk` turns off TLS certificate verification: {TLS_ADVICE}"),
        ("DF608", 3, 10, f"`wget --no-check-certificate` turns off TLS certificate verification: {TLS_ADVICE}"),
        ("DF608", 4, 12, f"`git -c http.sslVerify=false` turns off TLS certificate verification: {TLS_ADVICE}"),
        ("DF608", 5, 17, f"`pip --trusted-host` turns off TLS certificate verification: {TLS_ADVICE}"),
        ("DF608", 5, 71, f"`npm config set strict-ssl false` turns off TLS certificate verification: {TLS_ADVICE}"),
        ("DF608", 6, 10, f"`curl --insecure` turns off TLS certificate verification: {TLS_ADVICE}"),
    ]


def test_df608_environment_switches():
    src = (
        "FROM node:22-slim\n"
        "ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"
        "RUN GIT_SSL_NO_VERIFY=1 git clone https://git.example/r.git\n"
        "ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1\n"
    )
    assert findings("DF608", src) == [
        ("DF608", 2, 5, "ENV NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate verification for every later "
                        f"RUN and for the container: {TLS_ADVICE}"),
        ("DF608", 3, 5, f"GIT_SSL_NO_VERIFY=1 turns off TLS certificate verification: {TLS_ADVICE}"),
    ]


def test_df608_similar_options_that_verify():
    src = (
        "FROM debian:12\n"
        "RUN curl -fsSL -o k https://x.example/k\n"  # `k` is -o's value
        "RUN curl -H 'X-k: 1' https://x.example/ && wget -k https://x.example/\n"  # wget -k converts links
        "RUN git config --global http.sslVerify true && git -c core.autocrlf=false status\n"
        "RUN pip install --index-url https://pypi.example.com/simple app\n"
    )
    assert findings("DF608", src) == []
