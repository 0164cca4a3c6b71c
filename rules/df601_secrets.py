"""DF601 secret-in-arg-or-env and DF607 hardcoded-credential: secrets that end up in the image's metadata.

Two detectors are shared: names that say a variable holds a secret (BuildKit's SecretsUsedInArgOrEnv
rule, made a little stricter), and literal values that have the shape of a real credential (a token with
a provider's prefix, a private key, a URL with a password in it). The value detector is deliberately
narrow: it never guesses from entropy alone, so what it reports is almost certainly a credential.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

# BuildKit's secret name parts (dockerfile2llb getSecretsRegex), matched case-insensitively as whole
# `_`-separated parts, and the parts that make a name not a secret (public, file, version).
SECRET_PARTS = ("apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret",
                "token")
ALLOW_PARTS = ("public", "file", "version")
# dfcheck also treats as secrets: `passphrase` anywhere, and `pass` / `pwd` as the last part (DB_PASS, DB_PWD).
EXTRA_PARTS = ("passphrase",)
LAST_PARTS = ("pass", "pwd")
# ... and as not secrets: names of a secret's location or of settings about it rather than the secret itself.
METADATA_PARTS = ("path", "dir", "url", "uri", "endpoint", "host", "server", "name", "type", "mode", "method",
                  "enabled", "disabled", "required", "length", "size", "header")
# OpenPGP key ids and fingerprints are public (ENV GPG_KEY 7169605F62C7...); a private one says so.
PUBLIC_KEY_PARTS = ("gpg", "pgp", "gnupg")
PRIVATE_PARTS = ("private", "secret", "passphrase", "password", "pass")
# Well-known variables that match the patterns and hold no secret.
NOT_SECRETS = {"APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE"}
BOOLEANS = {"true", "false", "yes", "no", "on", "off", "none", "null"}


def _parts(name: str) -> list[str]:
    return [p for p in name.lower().split("_") if p]


def secret_name(name: str) -> bool:
    """Whether a variable's name says it holds a secret."""
    if name.upper() in NOT_SECRETS:
        return False
    parts = _parts(name)
    if not parts:
        return False
    hit = (any(p in SECRET_PARTS or p in EXTRA_PARTS for p in parts)
           or (len(parts) > 1 and parts[-1] in LAST_PARTS))
    if not hit or any(p in ALLOW_PARTS or p in METADATA_PARTS for p in parts):
        return False
    if any(p in PUBLIC_KEY_PARTS for p in parts) and not any(p in PRIVATE_PARTS for p in parts):
        return False
    return True


# -- values ------------------------------------------------------------------------------------------

# (description, pattern); each pattern is a provider's documented token format, not a guess.
_TOKENS = [
    ("a private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("an AWS access key id", r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    ("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b"),
    ("a GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("a Slack token", r"\bxox[abposr]-[0-9A-Za-z-]{10,}"),
    ("a Stripe secret key", r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    ("an npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("a PyPI token", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
    ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("a Docker Hub token", r"\bdckr_pat_[A-Za-z0-9_-]{27,}"),
    ("a Hugging Face token", r"\bhf_[A-Za-z0-9]{34,}\b"),
    ("an OpenAI API key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}"),
    ("an Anthropic API key", r"\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}"),
]
# Text that each pattern's matches contain, by description: a pattern runs only on a text that has one (a
# plain substring search), since most texts have no credential and a scan per pattern was most of DF607's time.
_NEEDLES = {
    "a private key": ("PRIVATE KEY",), "an AWS access key id": ("AKIA", "ASIA", "ABIA", "ACCA"),
    "a GitHub token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), "a GitLab token": ("glpat-",),
    "a Slack token": ("xox",), "a Stripe secret key": ("k_live_",), "an npm token": ("npm_",),
    "a PyPI token": ("pypi-AgEIcHlwaS5vcmc",), "a Google API key": ("AIza",), "a Docker Hub token": ("dckr_pat_",),
    "a Hugging Face token": ("hf_",), "an OpenAI API key": ("T3BlbkFJ",), "an Anthropic API key": ("sk-ant-",),
}
# scheme://user:password@host, the password literal (no `$`), not a placeholder.
_URL_PASSWORD = r"\b[A-Za-z][A-Za-z0-9+.-]*://([^\s/@:'\"$`]+):([^\s/@'\"$`]+)@[A-Za-z0-9.\[-]"
_PLACEHOLDERS = {"password", "passwd", "pass", "pwd", "secret", "token", "changeme", "example", "user", "username",
                 "pw", "foo", "bar", "test"}

_compiled = None


def _patterns():
    global _compiled
    if _compiled is None:
        _compiled = ([(what, _NEEDLES[what], re.compile(pattern)) for what, pattern in _TOKENS],
                     re.compile(_URL_PASSWORD))
    return _compiled


def _placeholder(password: str) -> bool:
    lowered = password.lower()
    return (lowered in _PLACEHOLDERS or len(set(lowered)) == 1 or password.startswith(("<", "{", "%", "["))
            or "example" in lowered)


def credentials(text: str):
    """(start, end, description) of each literal credential in `text`."""
    tokens, url = _patterns()
    for what, needles, pattern in tokens:
        if not any(needle in text for needle in needles):
            continue
        for match in pattern.finditer(text):
            if "EXAMPLE" in match.group(0).upper():
                continue  # AWS's documented AKIAIOSFODNN7EXAMPLE and the like
            yield match.start(), match.end(), what
    for match in url.finditer(text) if "://" in text else ():
        if not _placeholder(match.group(2)):
            yield match.start(2), match.end(2), "a password in a URL"


# -- DF601 --------------------------------------------------------------------------------------------

@rule("DF601", "secret-in-arg-or-env", "warning", hadolint=("DL3064",), buildkit=("SecretsUsedInArgOrEnv",),
      tags=("security", "security-severity:7.0"))
def secret_in_arg_or_env(model: Model, options: Options) -> Iterator[Finding]:
    """An ARG or ENV holds a secret: its value is kept in the image's metadata.

    ## What it does
    Reports an ARG or ENV of a stage whose name says it holds a secret, as BuildKit's
    SecretsUsedInArgOrEnv check does: a `_`-separated part of the name is `apikey`, `auth`,
    `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token` (any case:
    `AWS_SECRET_ACCESS_KEY`, `github_token`, `NPM_AUTH`), and no part is `public`, `file` or
    `version` (`SSH_PUBLIC_KEY`, `DB_PASSWORD_FILE` and `TOKEN_VERSION` are fine). `MONKEY` and
    `KEYS` are not parts `key`. dfcheck differs from BuildKit in a few ways, all to keep false
    alarms out:

    - a name that also says where the secret is or how it is used is not reported: a part `path`,
      `dir`, `url`, `uri`, `endpoint`, `host`, `server`, `name`, `type`, `mode`, `method`,
      `enabled`, `disabled`, `required`, `length`, `size` or `header` (`SSL_KEY_PATH`,
      `AUTH_URL`, `SECRET_NAME`);
    - OpenPGP key ids and fingerprints are public: a name with a part `gpg`, `pgp` or `gnupg` is
      reported only with `private`, `secret`, `pass` or `passphrase` in it (`GPG_KEY` is fine,
      `GPG_PRIVATE_KEY` is not); `APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE` is a setting of `apt-key`;
    - an ENV set to an empty, boolean or absolute-path value holds no secret (`ENV API_KEY=""`,
      `ENV REDIS_AUTH=false`, `ENV TLS_KEY=/etc/ssl/private/server.key`);
    - `passphrase` anywhere, and `pass` or `pwd` as the last part (`DB_PASS`, `ADMIN_PWD`), are
      reported too.

    It also reports, at the severity "error", any ARG or ENV (global ARGs too) whose value is a
    literal credential, whatever its name: a token in a provider's format (GitHub `ghp_...`,
    GitLab `glpat-...`, Slack `xox.-...`, AWS `AKIA...`, npm, PyPI, Docker Hub, Hugging Face,
    Stripe, Google, OpenAI, Anthropic), a `-----BEGIN ... PRIVATE KEY-----` block, or a URL with a
    literal password (`https://user:s3cr3t@host`, placeholders such as `password` aside). The
    message never repeats the secret.

    hadolint's DL3064 matches a list of names and the parts `password`, `secret`, `token`, `private`,
    `username`, `api_key` and `client_key` anywhere in a name; dfcheck follows BuildKit's `_`-separated
    parts, with the exceptions above.

    ## Why is this bad?
    An ENV is stored in the image's configuration: anyone who can pull the image reads it with
    `docker inspect` or `docker history`, every container and every image built on it inherits
    it. A build argument is recorded in the history of every later RUN of its stage (`RUN |1
    TOKEN=... /bin/sh -c ...`), in the build cache and in provenance attestations. A literal
    secret in the Dockerfile is also in the repository's history. Neither can be taken back once
    the image or the commit is public: the credential has to be revoked.

    ## Example
    ```dockerfile
    FROM node:22-slim
    ARG NPM_TOKEN
    RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    ```

    ## Use instead
    ```dockerfile
    FROM node:22-slim
    RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\
        echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    ```
    built with `docker build --secret id=npm_token,env=NPM_TOKEN .`; a secret the container needs
    at run time is given to `docker run` (`-e`, `--env-file`) or by the orchestrator's secrets.

    ## Fix safety
    No automatic fix: the build (and whoever runs it) must be changed to pass the secret another
    way.

    ## Relation to other linters
    BuildKit's SecretsUsedInArgOrEnv (`docker build --check`); `# check=skip=SecretsUsedInArgOrEnv`
    silences this rule. BuildKit does not look at global ARGs (declared before the first FROM:
    only FROM lines see them) nor at values. A global ARG's name is not reported either: no
    instruction of a stage sees its value, and no image keeps it; hadolint's DL3064 reports
    `ARG AWS_ACCESS_KEY_ID` before FROM too (a deliberate difference; its value, when it is a
    literal credential, is reported).
    """
    for node in model.instructions:
        if node.keyword not in ("ARG", "ENV") or node.error:
            continue
        in_stage = model.stage_of(node) is not None
        for pair in node.pairs:
            value = _unquoted(pair.value)
            found = next(iter(credentials(pair.value or "")), None) if pair.value else None
            if found is not None:
                start, end, what = found
                finding = Finding(pair.value_span or pair.key_span,
                                  f"{node.keyword} {pair.key} is set to {what}: {_why(node.keyword, in_stage)}; "
                                  f"revoke it, and {_instead(node.keyword)}")
                finding.severity = "error"
                yield finding
                continue
            if not in_stage or not secret_name(pair.key):
                continue
            if value is not None and (value.lower() in BOOLEANS or value.startswith("/")
                                      or (node.keyword == "ENV" and not value)):
                continue  # a switch or a file's location, not a secret; an empty ENV stores nothing
            yield Finding(pair.key_span,
                          f"{node.keyword} {pair.key} is named like a secret: {_why(node.keyword)}; "
                          f"{_instead(node.keyword)}")


def _unquoted(raw):
    if raw is None:
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


def _why(keyword: str, in_stage: bool = True) -> str:
    if keyword == "ENV":
        return "its value is stored in the image config, visible with `docker inspect` and `docker history`"
    if not in_stage:
        return "the Dockerfile keeps it, and each stage that declares it records it in `docker history`"
    return ("its value is recorded in `docker history` for every later RUN of the stage, in the build cache and in "
            "provenance")


def _instead(keyword: str) -> str:
    if keyword == "ENV":
        return ("pass build-time secrets with `RUN --mount=type=secret` and run-time ones with `docker run -e` or "
                "the orchestrator's secrets")
    return "pass it with `RUN --mount=type=secret` instead"


# -- DF607 --------------------------------------------------------------------------------------------

@rule("DF607", "hardcoded-credential", "error", tags=("security",))
def hardcoded_credential(model: Model, options: Options) -> Iterator[Finding]:
    """An instruction contains a literal credential: a provider's token, a private key, a password in a URL.

    ## What it does
    Looks at the text of every instruction other than ARG and ENV (DF601 covers those), heredoc
    bodies included, for a literal credential in a format that cannot be mistaken: a token with a
    provider's prefix (GitHub `ghp_...`/`github_pat_...`, GitLab `glpat-...`, Slack `xox.-...`, AWS
    `AKIA...`, npm `npm_...`, PyPI, Docker Hub `dckr_pat_...`, Hugging Face `hf_...`, Stripe
    `sk_live_...`, Google `AIza...`, OpenAI, Anthropic), a `-----BEGIN ... PRIVATE KEY-----`
    block, or a URL with a literal password (`https://deploy:s3cr3t@git.example.com/repo.git`;
    a password from a variable, `https://user:${TOKEN}@...`, and placeholders such as `password`
    are not reported). The message names the kind of credential, never the credential.

    ## Why is this bad?
    The text of every RUN, ADD, COPY and LABEL is kept in the image: `docker history` shows the
    commands, the image config holds the labels, and an ADD'ed URL is recorded as written. The
    Dockerfile is usually committed too. Whoever can pull the image or read the repository has
    the credential; it must be revoked.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN git clone https://deploy:hunter22@git.example.com/team/app.git /src
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    RUN --mount=type=secret,id=git_token,env=GIT_TOKEN \\
        git clone "https://deploy:${GIT_TOKEN}@git.example.com/team/app.git" /src
    ```
    or `RUN --mount=type=ssh git clone git@git.example.com:team/app.git /src`.

    ## Fix safety
    No automatic fix: the credential has to be revoked and passed another way.
    """
    for node in model.instructions:
        yield from _credentials_in(node)


def _credentials_in(node):
    if node.keyword in ("ARG", "ENV"):
        return
    advice = "revoke it, and pass it with `RUN --mount=type=secret` (or `--mount=type=ssh`) instead"
    for start, end, what in credentials(node.original):
        yield Finding(node.span_of(start, end), f"{node.keyword} contains {what}: {_kept(node.keyword)}; {advice}")
    for heredoc in node.heredocs:
        lines = heredoc.content.split("\n")
        kept = "it is written into the image" if node.keyword in ("COPY", "ADD") else "the Dockerfile keeps it"
        for start, end, what in credentials(heredoc.content):
            line, column = _position(lines, start)
            yield Finding(_span(heredoc.body_line + line, column, end - start),
                          f"{node.keyword} contains {what} in a heredoc: {kept}; {advice}")


def _kept(keyword: str) -> str:
    if keyword == "LABEL":
        return "labels are stored in the image config, visible with `docker inspect`"
    return "the instruction's text is kept in the image's history (`docker history`) and in the Dockerfile"


def _position(lines, offset):
    for index, text in enumerate(lines):
        if offset <= len(text):
            return index, offset + 1
        offset -= len(text) + 1
    return len(lines) - 1, 1


def _span(line, column, length):
    from dfcheck.syntax.nodes import Span

    return Span(line, column, line, column + length)
