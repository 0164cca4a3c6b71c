"""DF608: tls verification disabled (rules/df608_tls_verification_disabled.py)."""

from support import findings


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

