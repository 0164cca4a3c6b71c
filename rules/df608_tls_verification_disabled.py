"""DF608 tls-verification-disabled: downloads made without checking the server's certificate."""

from collections.abc import Iterator

from dfcheck.model import CURL_VALUES, Model, lookup
from dfcheck.rule import Finding, Options, rule

# Environment variables that switch verification off, and the values that do it (None: any value).
ENV_SWITCHES = {
    "NODE_TLS_REJECT_UNAUTHORIZED": ("0",),
    "PYTHONHTTPSVERIFY": ("0",),
    "GIT_SSL_NO_VERIFY": None,  # git: "set to any value"
    "NPM_CONFIG_STRICT_SSL": ("false",),
    "YARN_STRICT_SSL": ("false",),
    "PIP_TRUSTED_HOST": None,
}
_GIT_SETTING = "http.sslverify"


def _env_switch(name: str, value: str | None) -> bool:
    key = name.upper()
    if key not in ENV_SWITCHES or value is None:
        return False
    values = ENV_SWITCHES[key]
    if values is None:
        return value != ""
    return value.strip().lower() in values


def _short_flag(word, letter: str, takes_value) -> bool:
    """`-k` alone or among combined short flags (`-fsSLk`), before any letter that takes a value."""
    value = word.value
    if value is None or not value.startswith("-") or value.startswith("--") or len(value) < 2:
        return False
    for char in value[1:]:
        if char == letter:
            return True
        if "-" + char in takes_value:
            return False
    return False


def _switches(command):
    """(word, what) for each option of `command` that turns verification off."""
    found = lookup(command)
    tool = found[0].name if found else None
    if found:
        command = found[1]  # `python -m pip ...` as pip's command line
    name = command.basename
    args = command.args
    if name == "curl":
        for word in args:
            if word.value == "--insecure" or _short_flag(word, "k", CURL_VALUES):
                yield word, f"curl {word.value}"
            elif word.value == "--":
                break
    elif name == "wget":
        for word in args:
            if word.value == "--no-check-certificate":
                yield word, "wget --no-check-certificate"
    elif name == "git":
        for index, word in enumerate(args):
            value = word.value or ""
            setting = None
            if value == "-c" and index + 1 < len(args):
                setting = args[index + 1].value or ""
                word = args[index + 1]
            elif value.startswith("-c") and "=" in value:
                setting = value[2:]
            if setting is not None and setting.split("=", 1)[0].lower() == _GIT_SETTING \
                    and setting.split("=", 1)[1].strip().lower() in ("false", "0", "no", "off"):
                yield word, f"git -c {setting}"
        values = [w.value for w in args]
        if "config" in values:
            rest = [v for v in values[values.index("config") + 1:] if v is not None and not v.startswith("-")]
            if len(rest) >= 2 and rest[0].lower() == _GIT_SETTING and rest[1].lower() in ("false", "0", "no", "off"):
                yield args[values.index("config")], f"git config {rest[0]} {rest[1]}"
    elif tool == "pip":
        for word in args:
            if word.value == "--trusted-host" or (word.value or "").startswith("--trusted-host="):
                yield word, f"{name} --trusted-host"
    elif tool in ("npm", "yarn", "pnpm"):
        values = [(w.value or "").lower() for w in args]
        if "strict-ssl" in values:
            at = values.index("strict-ssl")
            if at >= 2 and values[at - 1] == "set" and at + 1 < len(values) and values[at + 1] == "false":
                yield args[at], f"{name} config set strict-ssl false"


@rule("DF608", "tls-verification-disabled", "warning", tags=("security",), scope="stage")
def tls_verification_disabled(model: Model, options: Options) -> Iterator[Finding]:
    """A download is made without verifying the server's TLS certificate.

    ## What it does
    Reports, in the shell code of each RUN (heredoc bodies included):

    - `curl -k` / `curl --insecure` (also among combined flags: `curl -fsSLk`);
    - `wget --no-check-certificate`;
    - `git -c http.sslVerify=false ...` and `git config [--global] http.sslVerify false`;
    - `pip install --trusted-host ...`;
    - `npm config set strict-ssl false` (and yarn, pnpm);
    - a command run with `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`,
      `GIT_SSL_NO_VERIFY=1`, `NPM_CONFIG_STRICT_SSL=false`, `YARN_STRICT_SSL=false` or
      `PIP_TRUSTED_HOST=...` in front of it;

    and an ENV that sets one of those variables (it then applies to every later RUN and to the
    container).

    ## Why is this bad?
    Without certificate verification, anyone on the network path (a proxy, a captive portal, a
    poisoned DNS answer, a compromised mirror) can serve their own file in place of the one asked
    for, and the build installs it without a warning. It is usually added to get past a corporate
    TLS-intercepting proxy, which is fixed properly by trusting that proxy's CA certificate.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLk https://example.com/tool.tgz | tar -xz -C /usr/local/bin
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    COPY corporate-ca.crt /usr/local/share/ca-certificates/
    RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \\
     && update-ca-certificates \\
     && curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
    ```
    (or `RUN --mount=type=secret,id=ca,target=/usr/local/share/ca-certificates/ca.crt ...` to keep the
    CA out of the image).

    ## Fix safety
    No automatic fix: removing the option breaks the build until the certificates are fixed.
    """
    advice = ("anyone on the network path can substitute what is downloaded; install the CA certificate that "
              "signs the server's (`update-ca-certificates`) instead")
    for stage in model.stages:
        for node in stage.instructions:
            if node.keyword == "ENV":
                for pair in node.pairs:
                    value = pair.value
                    if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                        value = value[1:-1]
                    if _env_switch(pair.key, value):
                        yield Finding(pair.key_span, f"ENV {pair.key}={value} turns off TLS certificate verification "
                                                     f"for every later RUN and for the container: {advice}")
            elif node.keyword == "RUN":
                for code in model.shell_code(node):
                    for command in code.script.commands:
                        for name, word in command.assignments:
                            if _env_switch(name, word.value):
                                yield Finding(code.span(word.start - len(name) - 1, word.end),
                                              f"{name}={word.value} turns off TLS certificate verification: {advice}")
                        inner = command.effective()
                        for word, what in _switches(inner):
                            yield Finding(code.span(word.start, word.end),
                                          f"`{what}` turns off TLS certificate verification: {advice}")
