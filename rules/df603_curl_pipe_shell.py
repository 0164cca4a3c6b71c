"""DF603 curl-pipe-shell: code downloaded in a RUN goes straight into an interpreter."""

from collections.abc import Iterator

from dfcheck.model import CURL_VALUES, INLINE_CODE, SHELLS, STDIN, WGET_VALUES, Model, interpreter_family, value_options
from dfcheck.rule import Finding, Options, rule


def reads_code_from_stdin(command) -> bool:
    """`sh`, `bash -s -- args`, `sudo -E bash -`, `python3 -`, `php`, `bash /dev/stdin -v x`: the program runs
    the code it reads on standard input."""
    family = interpreter_family(command.basename)
    if family is None:
        return False
    takes = value_options(family)
    if command.has_option(*INLINE_CODE[family], takes_value=takes):
        return False
    if family in SHELLS and command.has_option("-s", takes_value=takes):
        return True
    operands = command.operands(takes_value=takes)
    if not operands or operands[0].value in STDIN:
        return True
    # `php -- --install-dir=/usr/local/bin`: everything after `--` is an argument of the script read from stdin
    ends = [i for i, word in enumerate(command.args) if word.value == "--"]
    return bool(ends) and command.args.index(operands[0]) > ends[0]


def download_to_stdout(command) -> bool:
    """curl without -o/-O (or with `-o -`), wget with `-O -`."""
    name = command.basename
    if name == "curl":
        takes = CURL_VALUES
        if command.has_option("-O", "--remote-name", "--remote-name-all", takes_value=takes):
            return False
        output = command.option_word("-o", "--output", takes_value=takes)
        return output is None or output.value in ("-", "/dev/stdout")
    if name == "wget":
        takes = WGET_VALUES
        output = command.option_word("-O", "--output-document", takes_value=takes)
        return output is not None and output.value in ("-", "/dev/stdout")
    return False


def _source(command, script) -> str:
    """What a downloader fetches, for the message: its first URL-like operand (as written), shortened."""
    for word in command.args:
        if "://" in word.text or (word.value or "").startswith(("http", "ftp")):
            text = word.value if word.value is not None else word.text.strip("'\"")
            return "`" + (text if len(text) <= 80 else text[:77] + "...") + "`"
    return "a download"


def _interp_name(command) -> str:
    name = command.basename or "the interpreter"
    return ("sudo " if "sudo" in command.wrappers else "") + name


_ADVICE = ("download it to a file, check it against a known SHA-256 (`sha256sum -c`) or signature, then run it; "
           "or install the tool from a package")


def _piped(script):
    """(downloader, interpreter) for each pipeline that feeds a download into an interpreter."""
    for pipeline in script.pipelines():
        nested = {c.in_substitution for c in pipeline}
        if len(nested) != 1:
            continue  # commands of a substitution mixed with the enclosing pipeline's: not one pipeline
        downloader = None
        for command in pipeline:
            inner = command.effective()
            if downloader is None:
                if download_to_stdout(inner):
                    downloader = inner
            elif reads_code_from_stdin(inner):
                yield downloader, inner, command
                break


def _substituted(script):
    """(downloader, interpreter command) for `sh -c "$(curl ...)"`, `bash <(curl ...)`, `eval "$(curl ...)"`,
    `. <(curl ...)`: the output of a download is the code."""
    for command in script.commands:
        inner = command.effective()
        family = interpreter_family(inner.basename)
        word, kind = None, None
        if family is not None:
            takes = value_options(family)
            for option in INLINE_CODE[family]:
                word, kind = inner.option_word(option, takes_value=takes) or word, "command"
            if word is None:  # the script file: `bash <(curl ...)`
                operands = inner.operands(takes_value=takes)
                word, kind = (operands[0] if operands else None), "process"
        elif inner.basename == "eval" and len(inner.args) == 1:
            word, kind = inner.args[0], "command"
        elif inner.basename in ("source", ".") and inner.args:
            word, kind = inner.args[0], "process"
        if word is None or len(word.parts) != 1 or not word.expansions or word.expansions[0].kind != kind:
            continue
        expansion = word.expansions[0]
        for candidate in script.commands:
            if (candidate.in_substitution and expansion.start <= candidate.start and candidate.end <= expansion.end
                    and download_to_stdout(candidate.effective())):
                yield candidate.effective(), inner, command
                break


@rule("DF603", "curl-pipe-shell", "warning", tags=("security",), scope="stage")
def curl_pipe_shell(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN pipes a download straight into a shell or another interpreter.

    ## What it does
    Reads the shell code of every RUN (continuation lines joined, heredoc bodies included) and
    reports:

    - a pipeline in which `curl` (without `-o`/`-O`) or `wget -O -` feeds a shell (`sh`, `bash`,
      `zsh`, ... with no script file, or with `-s`, `-` or `/dev/stdin`), or an interpreter that reads
      its program from standard input (`python3 -`, `perl`, `ruby`, `node`, `php`), also through
      `sudo`, `env` and the like: `curl -fsSL https://x/install.sh | sudo bash -s -- --yes`;
    - a download whose output is the code itself: `sh -c "$(curl -fsSL ...)"`, `bash <(curl ...)`,
      `eval "$(wget -qO- ...)"`, `. <(curl ...)`.

    A download piped into anything else (`curl ... | tar -xz`, `curl ... | python3 -c 'json...'`) is
    not reported.

    ## Why is this bad?
    The build runs whatever the server sends, with the build's privileges (usually root), and the
    image keeps the result: a compromised or hijacked server, a changed script, or a connection cut
    half-way through a script (the shell runs the truncated part) all end up in the image, and the
    same Dockerfile builds something different each time. Nothing records what ran.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSL https://example.com/install.sh | sh
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    ARG INSTALL_SHA256=0c6f6c3b6f1b1a8e2b4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f
    RUN curl -fsSLo /tmp/install.sh https://example.com/v1.2.3/install.sh \\
     && echo "${INSTALL_SHA256}  /tmp/install.sh" | sha256sum -c - \\
     && sh /tmp/install.sh && rm /tmp/install.sh
    ```
    Better still, install the tool from the distribution's packages, or `ADD --checksum=sha256:...`
    a release binary.

    ## Fix safety
    No automatic fix: the checksum has to come from the publisher.
    """
    for stage in model.stages:
        for node in stage.find("RUN"):
            for code in model.shell_code(node):
                script = code.script
                for downloader, interpreter, outer in _piped(script):
                    yield Finding(
                        code.span(downloader.start, outer.end),
                        f"{downloader.basename} pipes {_source(downloader, script)} into {_interp_name(interpreter)}: "
                        f"the downloaded code runs unverified; {_ADVICE}",
                    )
                for downloader, interpreter, outer in _substituted(script):
                    yield Finding(
                        code.span(outer.start, outer.end),
                        f"{_interp_name(interpreter)} runs the output of {downloader.basename} "
                        f"({_source(downloader, script)}) as code: the downloaded code runs unverified; {_ADVICE}",
                    )
