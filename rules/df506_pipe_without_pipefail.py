"""DF506 pipe-without-pipefail: a pipeline whose status hides the failure of an earlier command."""

import posixpath
from collections.abc import Iterator

from dfcheck.model import DOWNLOADERS, HARMLESS, PIPEFAIL_SHELLS, Model, dash_pipefail, image_shell
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

from ._shell import runs


def _flags(words):
    """(pipefail, errexit) set by option words such as `-euxo pipefail`, `-o errexit`, `-e`."""
    pipefail = errexit = False
    for i, word in enumerate(words):
        if word is None or len(word) < 2 or word[0] not in "-+" or word.startswith("--"):
            continue
        on = word[0] == "-"
        letters = word[1:]
        if "o" in letters and i + 1 < len(words):
            name = words[i + 1]
            if name == "pipefail":
                pipefail = on
            elif name == "errexit":
                errexit = on
            letters = letters[:letters.index("o")]
        if "e" in letters:
            errexit = on
    return pipefail, errexit


def _runner(model, node, code):
    """(shell name, its options) that run `code`: the SHELL (or the exec-form program), the shebang of a
    `RUN <<EOF` script, or the shell a heredoc is fed to (`RUN bash -e <<EOF`)."""
    if code.heredoc is not None:
        body = code.heredoc.body
        if body.startswith("#!"):
            words = body[2:].split("\n", 1)[0].split()
            if words and posixpath.basename(words[0]) == "env":
                words = words[1:]
                while words and words[0].startswith("-"):
                    words = words[1:]  # env -S
            if words:
                return posixpath.basename(words[0]), words[1:]
        main = model.shell_code(node)[0]
        if main is not code:
            for command in main.script.commands:
                if any(r.op in ("<<", "<<-") and r.target is not None and r.target.value == code.heredoc.name
                       for r in command.redirects):
                    inner = command.effective()
                    return inner.basename or "sh", [w.value for w in inner.args]
    if node.json:
        values = node.values
        return posixpath.basename(values[0]), values[1:-1]
    shell = model.shell(node)
    return posixpath.basename(shell[0]), list(shell[1:])


def _flavour(model, stage, name):
    if name == "sh":
        root = model.root(stage)
        return "none" if root.is_scratch else image_shell(root.base)
    return "ash" if name == "busybox" else name


def _culprit(stages):
    """(the command whose failure the pipeline hides, how) or None."""
    inner = [c.effective() for c in stages]
    for command in inner[:-1]:
        if command.basename in DOWNLOADERS:
            return command, "download"
    if inner[-1].basename == "tee":
        for command in inner[:-1]:
            if command.basename is not None and command.basename not in HARMLESS + ("tee",):
                return command, "tee"
    return None


def _checked(stages, errexit):
    """Whether the shell looks at the pipeline's status: it ends an `&&` chain link, the RUN or a block, or
    `set -e` is on. Not in a condition, after `||`, in the background or in a command substitution."""
    last = stages[-1]
    if last.in_substitution or last.background or any(c.negated for c in stages):
        return False
    if last.connector == "||" or (last.in_condition and last.connector != "&&"):
        return False
    return last.connector in ("&&", None) or errexit


def _setting_before(code, offset, shell_flags):
    """(pipefail, errexit) in effect at `offset`: the shell's options, then `set` commands before it."""
    pipefail, errexit = shell_flags
    for command in code.script.commands:
        if command.start >= offset:
            break
        inner = command.effective()
        if inner.basename != "set" or command.in_function or command.in_substitution or command.in_subshell:
            continue
        words = [w.value for w in inner.args]
        found_pipefail, found_errexit = _flags(words)
        pipefail = found_pipefail if any(w in ("pipefail",) for w in words) else pipefail
        errexit = found_errexit or (errexit and not any(w and w.startswith("+") and "e" in w for w in words))
    return pipefail, errexit


def _advice(flavour, name, knows):
    """What to do, given whether the shell is known to have pipefail (None: a dash of an unknown release)."""
    if flavour == "dash" and not knows:
        shell = "/bin/sh of Debian and Ubuntu images is dash" if name == "sh" else "dash"
        bash = "put `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN"
        if knows is None:
            return (f"{shell}, which has pipefail only from Debian 13 and Ubuntu 25.04 on: {bash} (on those releases "
                    "`set -o pipefail &&` at the start of the RUN does it)")
        return f"{shell}, which has no pipefail before Debian 13 and Ubuntu 25.04: {bash}"
    return "start the RUN with `set -o pipefail &&`"


@rule("DF506", "pipe-without-pipefail", "warning", hadolint=("DL4006",), fixable="unsafe")
def pipe_without_pipefail(model: Model, options: Options) -> Iterator[Finding]:
    """A pipeline in a RUN hides the failure of a download, or of a command piped into `tee`.

    ## What it does
    Reports a pipeline whose exit status the shell checks (it ends the RUN or an `&&` link, or
    `set -e` is on) while `pipefail` is off, when an earlier stage's failure would not be the
    pipeline's failure:

    - a download (`curl`, `wget`) feeds another command: `curl -fsSL URL | tar -xz`,
      `wget -qO- URL | sh`;
    - a command is piped into `tee`, which succeeds whatever it reads: `make 2>&1 | tee build.log`.

    `pipefail` is on when the SHELL has it (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`), when
    a `set -o pipefail` (or `set -euxo pipefail`) runs earlier in the script, or when a
    `RUN <<EOF` script's `#!` line or the shell a heredoc is fed to has it.

    Not reported: pipelines whose producer cannot fail in a way that matters (`echo "$sum *file" |
    sha256sum -c -`, `yes | apt-get ...`), pipelines in an `if`/`while` condition, before `||`,
    in a command substitution, or after `;` without `set -e` (their status is ignored anyway, so
    pipefail would change nothing). hadolint's DL4006 reports every RUN with a pipe when SHELL
    lacks pipefail; DF603 reports `curl | sh` for a different reason (running unverified code).
    In a stage built FROM scratch there is no shell at all: DF415 reports the RUN, this rule
    nothing (hadolint's DL4006 reports the pipe there too). A SHELL that gives dash `-o pipefail`
    is taken at its word here; DF518 reports that dash rejects it.

    ## Why is this bad?
    A pipeline's status is its last command's. When the download fails, `sh` happily runs the
    empty script it got and the build goes on without the software; `tar` or `gpg` stop with an
    error about their input that hides the network error; `tee` always succeeds. With
    `set -o pipefail` the first failing command fails the RUN.

    Not every `/bin/sh` knows pipefail: BusyBox ash (Alpine) and bash (Fedora, RHEL, Amazon Linux)
    do; dash, the `/bin/sh` of Debian and Ubuntu, knows it only from Debian 13 "trixie" and Ubuntu
    25.04 on (Debian's dash 0.5.12-7) and rejects `set -o pipefail` with "Illegal option" before,
    so there the SHELL must become bash (DF518 reports a pipefail those releases reject). Where the
    release is not known (`debian:latest`, an image whose tag names none), the message says both.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSL https://example.com/tool.tar.gz | tar -xzC /usr/local/bin
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tar.gz | tar -xzC /usr/local/bin
    ```
    On Alpine, or wherever the shell has it: `RUN set -o pipefail && curl ... | tar ...`.

    ## Fix safety
    Where the shell running the RUN knows pipefail (bash, ash, zsh, ksh, the dash of Debian 13 and
    Ubuntu 25.04 on), the fix puts `set -o pipefail && ` at the start of a shell-form RUN. It is
    unsafe: a command that used to fail harmlessly (a producer killed by SIGPIPE when the consumer
    stops reading early, `grep` finding nothing) now fails the build. For an older dash there is
    no fix: changing the SHELL affects every later RUN, CMD and ENTRYPOINT of the stage.
    """
    for stage, node in runs(model):
        for code in model.shell_code(node):
            pipelines = code.script.pipelines()
            if not pipelines:
                continue
            name, shell_options = _runner(model, node, code)
            flavour = _flavour(model, stage, name)
            if flavour in ("none", "windows"):
                continue
            # dash knows pipefail from Debian 13 and Ubuntu 25.04 on: None when the release is not known
            if flavour == "dash":
                knows = dash_pipefail(model.base_image(stage))
            else:
                knows = flavour in PIPEFAIL_SHELLS
            shell_flags = _flags(shell_options)
            fixed = False
            for stages in pipelines:
                found = _culprit(stages)
                if found is None:
                    continue
                pipefail, errexit = _setting_before(code, stages[0].start, shell_flags)
                if pipefail or not _checked(stages, errexit):
                    continue
                producer, how = found
                consumer = stages[-1].effective().basename or "the last command"
                if how == "download":
                    what = (f"if `{producer.basename}` fails, the pipeline's status is still `{consumer}`'s, which may "
                            "succeed on the missing input or blame the wrong command")
                else:
                    what = (f"`tee` succeeds whatever `{producer.basename}` does, so the pipeline hides a failure of "
                            f"`{producer.basename}`")
                fix = None
                if not fixed and knows and code.heredoc is None and not node.json \
                        and not code.script.has_errors:
                    start = len(code.text) - len(code.text.lstrip())
                    at = code.span(start, start + 1)
                    fix = Fix("unsafe", [Edit(Span(at.line, at.column, at.line, at.column), "set -o pipefail && ")],
                              "Start the RUN with `set -o pipefail &&`")
                    fixed = True
                advice = _advice(flavour, name, knows)
                if code.heredoc is not None and (flavour != "dash" or knows):
                    advice = "put `set -o pipefail` at the top of the script"
                yield Finding(code.span(stages[0].start, stages[-1].end), f"{what}; {advice}", fix)
