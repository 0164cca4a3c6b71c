"""DF610 download-not-verified: a RUN downloads an archive or a program and uses it without checking it."""

import posixpath
import re
from collections.abc import Iterator

from dfcheck.model import BIN_DIRS, EXTRACTORS, Model, action, interpreter_family, saved_names, value_options, verifies
from dfcheck.rule import Finding, Options, rule

from ._shell import commands, runs

# A URL that names its content by digest: an image or blob digest, a checksum in the URL, or a commit id.
_PINNED = re.compile(r"sha(?:256|384|512)[:=]|[0-9a-f]{40}", re.IGNORECASE)
_MOVES = ("mv", "cp", "install", "ln")
_SYMBOLIC_X = re.compile(r"[ugoa]*[+=][rwXst]*x")


@rule("DF610", "download-not-verified", "warning", tags=("security", "security-severity:5.0"), scope="stage")
def download_not_verified(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN downloads an archive or a program and unpacks, installs or runs it without checking its checksum or
    signature.

    ## What it does
    Reports a `curl` or `wget` download that the same RUN then uses as code:

    - extracts (`tar -xf`, `unzip`, `gunzip`, `7z x`, ..., or a download piped straight into one:
      `curl -fsSL URL | tar -xz`);
    - installs (`dpkg -i`, `rpm -i`, `apt-get install ./x.deb`, `pip install x.whl`, a move or copy
      into a `bin` directory, a download saved into one and made executable);
    - runs (`./installer.sh`, `sh install.sh`, `java -jar tool.jar`, the file as the command),

    when nothing in that RUN checks a checksum or signature: `sha256sum -c` (also
    `echo "<sha256>  file" | sha256sum -c -`), a checksum whose output is compared
    (`[ "$(sha256sum file | cut -d' ' -f1)" = "$SHA256" ]`), `gpg --verify`, `gpgv`, `cosign
    verify-blob`, `minisign -V`, `openssl dgst -verify`. The check need not name the file: one
    check in the RUN counts for all its downloads, as the official images check a list of sums
    or a signed file.

    Not reported: a URL that pins its content (a `sha256:` or `sha256=` in it, a 40-character commit
    id or digest), downloads the RUN only reads as data (keys for `gpg --dearmor`, configuration),
    downloads used only in a later RUN, and `curl ... | sh` (DF603).

    ## Why is this bad?
    Whoever controls the server, the project's release page or the network path decides what the
    image runs: a replaced release asset or a compromised mirror goes into the image unnoticed,
    and a rebuild may get different bytes than the ones tested. A checksum taken when the version
    was chosen, or the project's signature, makes the build fail instead.

    ## Example
    ```dockerfile
    FROM debian:12
    RUN curl -fsSLO https://github.com/org/tool/releases/download/v1.2.3/tool-linux-amd64.tar.gz \\
        && tar -xzf tool-linux-amd64.tar.gz -C /usr/local/bin
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12
    ARG TOOL_SHA256=5f4e...
    RUN curl -fsSLO https://github.com/org/tool/releases/download/v1.2.3/tool-linux-amd64.tar.gz \\
        && echo "${TOOL_SHA256}  tool-linux-amd64.tar.gz" | sha256sum -c - \\
        && tar -xzf tool-linux-amd64.tar.gz -C /usr/local/bin
    ```
    Or `ADD --checksum=sha256:... URL` (BuildKit checks it).

    ## Fix safety
    No automatic fix: the checksum has to come from the release.
    """
    for _stage, node in runs(model):
        found = list(commands(model, node))
        if any(verifies(inner) for _, _, inner in found):
            continue
        env = model.scope(node).values()
        pending = []  # (names, download command, code, url)
        reported = set()
        for code, command, inner in found:
            for names, download, where, url in pending:
                if id(download) in reported:
                    continue
                how = _use(inner, command, names, download)
                if how:
                    reported.add(id(download))
                    yield _finding(where, download, url, how)
            names = saved_names(inner)
            if names is None:
                continue
            url, resolved = _url(inner, env)
            if resolved is not None and _PINNED.search(resolved):
                continue
            if names:
                url = url or names[0]
                pending.append((names, command, code, url))
                if any(_in_bin(n) for n in names) and _made_executable(found, names):
                    reported.add(id(command))
                    yield _finding(code, command, url, "saves it into a bin directory as a program")
            else:
                consumer = _piped_into(found, command)
                if consumer is not None and consumer.basename in EXTRACTORS:
                    yield Finding(code.span(command.start, command.end),
                                  f"`{consumer.basename}` unpacks {_shown(url)} as it streams in, with nothing checking "
                                  "it: whoever serves the file decides what the image gets; download it to a file, "
                                  "check its SHA-256 (`sha256sum -c`) or signature, then unpack it")


def _finding(code, download, url, how):
    return Finding(code.span(download.start, download.end),
                   f"this RUN downloads {_shown(url)} and {how} without checking a checksum or signature: whoever "
                   "serves the file decides what the image gets; check it first (`echo \"<sha256>  <file>\" | "
                   "sha256sum -c -`, `gpg --verify`)")


def _shown(url):
    if url is None:
        return "a download"
    return "`" + (url if len(url) <= 80 else url[:77] + "...") + "`"


def _url(command, env):
    """(the URL as written, its value with the Dockerfile's variables put in) of a download."""
    for word in command.args:
        text = word.value if word.value is not None else word.text.strip("'\"")
        if "://" in text:
            return text, word.value if word.value is not None else word.resolve(env) or text
    return None, None


def _normal(text):
    return re.sub(r"\$\{(\w+)\}", r"$\1", text)


def _names_it(word, names):
    """Whether a word names one of the downloaded files: the same path, or the same file name."""
    texts = {t for t in (word.value, word.text.strip("'\"")) if t}
    for text in texts:
        text = _normal(text)
        for name in names:
            name = _normal(name)
            if text == name or posixpath.basename(text) == posixpath.basename(name) and posixpath.basename(name):
                return True
    return False


def _use(inner, command, names, download):
    """How `inner` uses the download as code ("extracts it", "installs it", "runs it"), or None."""
    if inner is None or inner.basename is None or command is download:
        return None
    if _names_it(inner.argv[0], names):
        return "runs it"
    named = [w for w in inner.args if _names_it(w, names)]
    if not named:
        return None
    name = inner.basename
    if name in EXTRACTORS and name not in ("python", "python3", "busybox"):
        return f"unpacks it (`{name}`)"
    act = action(inner)
    if act is not None and act.role in ("install", "upgrade") and any(w in act.targets for w in named):
        return f"installs it (`{name} {act.verb}`)"
    if name in ("dpkg", "rpm") and any((w.value or "").startswith(("-i", "--install", "-U", "--upgrade"))
                                       for w in inner.args):
        return f"installs it (`{name}`)"
    family = interpreter_family(name)
    if family is not None:
        operands = inner.operands(takes_value=value_options(family))
        if operands and operands[0] in named:
            return f"runs it (`{name}`)"
    if name == "java" and inner.option_word("-jar") in named:
        return "runs it (`java -jar`)"
    operands = inner.operands()
    if name in _MOVES and len(operands) > 1 and any(w in named for w in operands[:-1]) and \
            _in_bin(operands[-1].value or ""):
        return f"installs it as a program (`{name}` into {operands[-1].value})"
    return None


def _in_bin(path):
    return posixpath.dirname(path.rstrip("/")) in BIN_DIRS or path.rstrip("/") in BIN_DIRS


def _executable(mode):
    """Whether a chmod mode gives someone the right to run the file: `+x`, `a+rx`, `755`, `0555`."""
    if mode.isdigit():
        return any(int(d) % 2 for d in mode[-3:])
    return bool(_SYMBOLIC_X.match(mode))


def _made_executable(found, names):
    for _code, _command, inner in found:
        if inner.basename == "chmod":
            words = list(inner.args)
            if any(_executable(w.value or "") for w in words) and any(_names_it(w, names) for w in words):
                return True
    return False


def _piped_into(found, command):
    """The command (wrappers stripped) that reads `command`'s output through a pipe, or None."""
    if command.pipeline is None:
        return None
    for _code, other, inner in found:
        if other.pipeline == command.pipeline and other.pipeline_index == command.pipeline_index + 1:
            return inner
    return None
