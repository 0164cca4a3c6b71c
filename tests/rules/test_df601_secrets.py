"""DF601: secrets (rules/df601_secrets.py)."""

from support import findings, raw_findings

from security_rules_support import codes, spans


ARG_WHY = ("its value is recorded in `docker history` for every later RUN of the stage, in the build cache and in "
           "provenance; "
           "pass it with `RUN --mount=type=secret` instead")


ENV_WHY = ("its value is stored in the image config, visible with `docker inspect` and `docker history`; pass "
           "build-time secrets with `RUN --mount=type=secret` and run-time ones with `docker run -e` or the "
           "orchestrator's secrets")


GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


ADVICE = "revoke it, and pass it with `RUN --mount=type=secret` (or `--mount=type=ssh`) instead"


HISTORY = "the instruction's text is kept in the image's history (`docker history`) and in the Dockerfile"


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



def test_credentials_searches_only_texts_with_a_needle_and_finds_the_same():
    """`credentials` skips a pattern when the text has none of its needles: over one real-shaped example of each
    kind, texts around them, and the corpus when present, it finds what a search with every pattern finds."""
    import re
    from pathlib import Path

    from dfcheck.rules.df601_secrets import _TOKENS, _URL_PASSWORD, _placeholder, credentials

    def every_pattern(text):
        for what, pattern, _ in _TOKENS:
            for match in re.finditer(pattern, text):
                if "EXAMPLE" not in match.group(0).upper():
                    yield match.start(), match.end(), what
        for match in re.finditer(_URL_PASSWORD, text):
            if not _placeholder(match.group(2)):
                yield match.start(2), match.end(2), "a password in a URL"

    body = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2G3h4I5j6K7l8M9n0O1p2Q3r4S5t6U7v8W9x0"
    examples = {
        "a private key": "-----BEGIN RSA PRIVATE KEY-----", "an AWS access key id": "ASIA" + "Q" * 16,
        "a GitHub token": GHP, "a GitLab token": "glpat-" + body[:20], "a Slack token": "xoxp-" + body[:12],
        "a Stripe secret key": "rk_live_" + body[:24], "an npm token": "npm_" + body[:36],
        "a PyPI token": "pypi-AgEIcHlwaS5vcmc" + body[:50], "a Google API key": "AIza" + body[:35],
        "a Docker Hub token": "dckr_pat_" + body[:27], "a Hugging Face token": "hf_" + body[:34],
        "an OpenAI API key": "sk-proj-" + body[:20] + "T3BlbkFJ" + body[:20],
        "an Anthropic API key": "sk-ant-api03-" + body[:80], "a password in a URL": "https://bob:s3cr3tW0rd@host/x",
    }
    assert set(examples) == {what for what, _, _ in _TOKENS} | {"a password in a URL"}
    texts = [f"RUN echo {e} && {e}" for e in examples.values()] + ["RUN true", "", " ".join(examples.values())]
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dockerfiles"
    texts += [p.read_text(errors="replace") for p in sorted(corpus.glob("*"))[:200]] if corpus.is_dir() else []
    for text in texts:
        assert list(credentials(text)) == list(every_pattern(text))
    for what, example in examples.items():
        assert [found[2] for found in credentials(example)] == [what]


def test_df607_finds_each_kind_of_token_by_its_documented_shape():
    # One made-up token of each kind (assembled so that no scanner takes this file for a leak): each pattern
    # runs only on a text holding one of its needles, so a needle missing from a shape would lose findings.
    tokens = {
        "a private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "an AWS access key id": "ASIA" + "Q7R2" * 4,
        "a GitHub token": "gho_" + "a1B2" * 9,
        "a GitLab token": "glpat-" + "x9" * 10,
        "a Slack token": "xoxp-" + "12345-abcde",
        "a Stripe secret key": "rk_live_" + "Ab1" * 7,
        "an npm token": "npm_" + "Zz09" * 9,
        "a PyPI token": "pypi-AgEIcHlwaS5vcmc" + "Ab_-" * 13,
        "a Google API key": "AIza" + "Sy0_" * 8 + "abc",
        "a Docker Hub token": "dckr_pat_" + "Qq1-" * 7,
        "a Hugging Face token": "hf_" + "Hh12" * 9,
        "an OpenAI API key": "sk-proj-" + "Ab1_" * 5 + "T3BlbkFJ" + "Cd2-" * 5,
        "an Anthropic API key": "sk-ant-api03-" + "Xy9_" * 20,
    }
    for what, token in tokens.items():
        src = f"FROM alpine:3.20\nRUN echo {token}\n"
        assert findings("DF607", src) == [
            ("DF607", 2, 10, f"RUN contains {what}: {HISTORY}; {ADVICE}"),
        ], what
